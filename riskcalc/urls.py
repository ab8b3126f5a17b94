"""URL map: one flat list, grouped by part of the site. A route's name is its view's name."""

from django.contrib import admin
from django.urls import path

from riskcalc.views import pages

handler404 = "riskcalc.views.pages.page_not_found"

urlpatterns = [
    # Pages
    path("", pages.home, name="home"),
    # Admin
    path("admin/", admin.site.urls),
]
