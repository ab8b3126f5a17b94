"""URL map: one flat list, grouped by part of the site. A route's name is its view's name.

Each registered calculator (:data:`riskcalc.calculators.CALCULATORS`) gets its page, its embed
and its API endpoint here, named after its slug (``margin_page``, ``margin_embed``,
``margin_api``); no calculator is listed by hand.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import path, register_converter

from riskcalc.calculators import CALCULATORS
from riskcalc.views import (
    api,
    calculators,
    classroom,
    embeds,
    exchanges,
    health,
    learn,
    pages,
    restrictions,
    widgets,
)

register_converter(learn.LearnSlugConverter, "learn_slug")
register_converter(restrictions.JurisdictionCodeConverter, "jurisdiction_code")

handler404 = "riskcalc.views.pages.page_not_found"
handler500 = "riskcalc.availability.server_error"

# Pages, in every language: English at /, the others under /es/, /zh-hans/ and /ar/. The API's
# endpoints, embeds, oEmbed, the admin and health checks below are the same URL in every
# language: the API answers in the Accept-Language language, an embed in its ?lang=.
urlpatterns = i18n_patterns(
    path("", pages.home, name="home"),
    # Calculators
    path("calculators/", calculators.calculators, name="calculators"),
    *(
        path(c.page_path.removeprefix("/"), calculators.calculator_page(c), name=c.page)
        for c in CALCULATORS.values()
    ),
    path("widgets/", widgets.widgets, name="widgets"),
    # Content
    path("learn/", learn.learn_index, name="learn_index"),
    path("learn/restrictions/", restrictions.restrictions_page, name="restrictions_page"),
    path(
        "learn/restrictions/copy-trading/",
        restrictions.restrictions_copy_trading_page,
        name="restrictions_copy_trading_page",
    ),
    path(
        "learn/restrictions/map.json",
        restrictions.restrictions_map_data,
        name="restrictions_map_data",
    ),
    path(
        "learn/restrictions/<jurisdiction_code:code>/",
        restrictions.restrictions_jurisdiction_page,
        name="restrictions_jurisdiction_page",
    ),
    path("learn/exchanges/", exchanges.exchanges_page, name="exchanges_page"),
    path("learn/<learn_slug:slug>/", learn.learn_page, name="learn_page"),
    # Classroom (fixed paths before the lesson routes, so "join" is never read as a lesson)
    path("classroom/", classroom.classroom, name="classroom"),
    path("classroom/join/", classroom.classroom_join, name="classroom_join"),
    path("classroom/started/", classroom.classroom_started, name="classroom_started"),
    path("classroom/teacher/<str:token>/", classroom.classroom_teacher, name="classroom_teacher"),
    path(
        "classroom/teacher/<str:token>/stats/",
        classroom.classroom_teacher_stats,
        name="classroom_teacher_stats",
    ),
    path(
        "classroom/projector/<str:token>/",
        classroom.classroom_projector,
        name="classroom_projector",
    ),
    path(
        "classroom/projector/<str:token>/stats/",
        classroom.classroom_projector_stats,
        name="classroom_projector_stats",
    ),
    path(
        "classroom/teacher/<str:token>/export.csv",
        classroom.classroom_teacher_export,
        name="classroom_teacher_export",
    ),
    path(
        "classroom/teacher/<str:token>/pace/",
        classroom.classroom_teacher_pace,
        name="classroom_teacher_pace",
    ),
    path(
        "classroom/teacher/<str:token>/reopen-joining/",
        classroom.classroom_teacher_reopen_joining,
        name="classroom_teacher_reopen_joining",
    ),
    path(
        "classroom/teacher/<str:token>/close/",
        classroom.classroom_teacher_close,
        name="classroom_teacher_close",
    ),
    path("classroom/student/<str:token>/", classroom.classroom_student, name="classroom_student"),
    path(
        "classroom/student/<str:token>/pace/",
        classroom.classroom_student_pace,
        name="classroom_student_pace",
    ),
    path(
        "classroom/student/<str:token>/answer/",
        classroom.classroom_student_answer,
        name="classroom_student_answer",
    ),
    path("classroom/<slug:lesson>/", classroom.classroom_lesson, name="classroom_lesson"),
    path("classroom/<slug:lesson>/check/", classroom.classroom_check, name="classroom_check"),
    path(
        "classroom/<slug:lesson>/worksheet/",
        classroom.classroom_worksheet,
        name="classroom_worksheet",
    ),
    path(
        "classroom/<slug:lesson>/worksheet/answers/",
        classroom.classroom_worksheet_answers,
        name="classroom_worksheet_answers",
    ),
    path("classroom/<slug:lesson>/present/", classroom.classroom_present, name="classroom_present"),
    path(
        "classroom/<slug:lesson>/sessions/",
        classroom.classroom_session_start,
        name="classroom_session_start",
    ),
    path("api/", api.api_docs, name="api_docs"),
    prefix_default_language=False,
) + [
    # Embeds: the only routes other sites may frame (riskcalc/views/embeds.py)
    path("embed.js", embeds.embed_loader, name="embed_loader"),
    *(
        path(f"embed/{c.slug}/", embeds.calculator_embed(c), name=c.embed)
        for c in CALCULATORS.values()
    ),
    path("oembed", widgets.oembed, name="oembed"),
    # API (no trailing slash on the endpoints: they are not pages)
    path("api/v1/openapi.json", api.openapi_schema, name="openapi_schema"),
    *(
        path(c.path.removeprefix("/"), api.calculator_api(c), name=c.api)
        for c in CALCULATORS.values()
    ),
    path("api/v1/exchanges", api.exchanges_api, name="exchanges_api"),
    # Admin
    path("admin/", admin.site.urls),
    # Operations (not a page: load balancers and Docker poll it)
    path("healthz", health.healthz, name="healthz"),
]
