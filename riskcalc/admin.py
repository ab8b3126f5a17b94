"""Admin for the editable models. Facts loaded by ``load_restrictions`` may be corrected here;
the loader then keeps the edit instead of overwriting it (see its module docstring)."""

from __future__ import annotations

from django.contrib import admin

from riskcalc.models import Jurisdiction, Restriction, TierTableVersion


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "iso_alpha3"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = [
        "jurisdiction",
        "subject",
        "product",
        "kind",
        "max_leverage",
        "source_date_text",
        "confidence",
        "reviewed_on",
    ]
    list_filter = ["confidence", "kind", "product", "subject_kind", "subject", "jurisdiction__kind"]
    search_fields = [
        "jurisdiction__code",
        "jurisdiction__name",
        "jurisdiction_wording",
        "subject",
        "instrument",
        "note",
        "source_url",
    ]
    list_select_related = ["jurisdiction"]
    autocomplete_fields = ["jurisdiction"]
    readonly_fields = ["source_date", "source_key"]
    fieldsets = [
        (None, {"fields": ["jurisdiction", "jurisdiction_wording", "subject", "subject_kind"]}),
        ("Fact", {"fields": ["product", "kind", "instrument", "max_leverage", "note"]}),
        (
            "Source",
            {
                "fields": [
                    "source_url",
                    "source_date_text",
                    "source_date",
                    "confidence",
                    "confidence_basis",
                    "reviewed_on",
                    "source_key",
                ]
            },
        ),
    ]


@admin.register(TierTableVersion)
class TierTableVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from ``refresh_exchange_data`` and are kept as fetched."""

    list_display = ["exchange", "symbol", "fetched_at", "digest"]
    list_filter = ["exchange"]
    search_fields = ["symbol"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
