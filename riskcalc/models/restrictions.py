"""Regional restrictions: which exchange or regulator limits which product where, and the source.

One :class:`Restriction` is one sourced fact from ``content/restrictions/restrictions.csv``
(made from the team's research file; see ``content/restrictions/PROVENANCE.md``). The
``load_restrictions`` management command loads that file; editors may correct rows in the
admin, and the loader then leaves those rows alone (see ``loaded_hash``).

Dates are kept honest: ``source_date_text`` holds the date exactly as the research file gives
it ("2023-12-28", "2021-03 (n.d. on page)", "n.d."), and ``source_date`` is filled from it only
when it starts with a full ISO date, so undated facts are never given a made-up day.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SOURCE_DATE_PATTERN = re.compile(r"^(n\.d\.|\d{4}(-\d{2}(-\d{2})?)?)( \(.+\))?$")
FULL_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")
UNVERIFIED_URL_PREFIX = "UNVERIFIED"


class Confidence(models.TextChoices):
    """How far the research file trusts a fact (PROVENANCE.md gives the mapping)."""

    HIGH = "high", _("High: regulator text or the exchange's own page")
    MEDIUM = "medium", _("Medium: law-firm, regulator repost or mainstream-news summary")
    LOW = "low", _("Low: review, affiliate or aggregator site, or an undated page")
    UNVERIFIED = "unverified", _("Unverified: no source confirmed it")
    CONFLICTING = "conflicting", _("Conflicting: sources disagree, unresolved")
    OUTDATED = "outdated", _("Outdated: superseded by a later dated source")
    UNRATED = "unrated", _("Unrated: the research file gives no confidence label")

    @property
    def short_label(self) -> str:
        return re.split("[:\uff1a]", str(self.label), maxsplit=1)[0]  # ":" or Chinese "："


class Product(models.TextChoices):
    ALL = "all", _("All products")
    DERIVATIVES = "derivatives", _("Derivatives")
    FUTURES = "futures", _("Futures")
    MARGIN = "margin", _("Margin trading")
    COPY_TRADING = "copy_trading", _("Copy trading")


class RestrictionKind(models.TextChoices):
    BLOCKED = "blocked", _("Blocked")
    RESTRICTED = "restricted", _("Restricted")
    LEVERAGE_CAP = "leverage_cap", _("Leverage cap")
    ALLOWED_WITH_LICENSE = "allowed_with_license", _("Allowed with a licence")


class SubjectKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange")
    REGULATOR = "regulator", _("Regulator")


class JurisdictionKind(models.TextChoices):
    COUNTRY = "country", _("Country or territory (ISO 3166-1)")
    SUBDIVISION = "subdivision", _("Sub-national area (ISO 3166-2)")
    REGION = "region", _("EU- or EEA-wide")
    GLOBAL = "global", _("Exchange-wide, not a jurisdiction")


jurisdiction_code_validator = RegexValidator(
    r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
    "Use an ISO 3166-1 alpha-2 code (e.g. GB), an ISO 3166-2 code (e.g. CA-ON), EU or ZZ.",
)


def validate_source_date_text(value: str) -> None:
    if not SOURCE_DATE_PATTERN.match(value):
        raise ValidationError(
            'Give the source date as YYYY, YYYY-MM or YYYY-MM-DD, or "n.d." when the page shows '
            'none, optionally followed by a note in brackets: "n.d. (events Dec 2021)".'
        )
    match = FULL_ISO_DATE.match(value)
    if match:
        try:
            datetime.date.fromisoformat(match.group(1))
        except ValueError as error:
            raise ValidationError(f"{match.group(1)} is not a calendar date.") from error


def validate_source_url(value: str) -> None:
    if value.startswith(UNVERIFIED_URL_PREFIX):
        return
    if not re.match(r"^https?://\S+$", value):
        raise ValidationError(
            f'Give an http(s) URL, or text starting "{UNVERIFIED_URL_PREFIX}" when no '
            "retrievable URL exists."
        )


class Jurisdiction(models.Model):
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[jurisdiction_code_validator],
        help_text="ISO 3166-1 alpha-2, ISO 3166-2 for sub-national areas, EU, or ZZ for "
        "exchange-wide facts.",
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=JurisdictionKind)
    iso_alpha3 = models.CharField(
        "ISO alpha-3 code",
        max_length=3,
        blank=True,
        help_text="For countries only; the world map draws countries by this code.",
    )
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Moves on every save, so the restrictions page can tell its cached fragment is stale
    # (riskcalc.restriction_cache.data_version).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("restrictions_jurisdiction_page", args=[self.code])


class Restriction(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="restrictions"
    )
    jurisdiction_wording = models.CharField(
        max_length=100, help_text="The jurisdiction as the source words it."
    )
    subject = models.CharField(max_length=60, help_text="The exchange or regulator.")
    subject_kind = models.CharField(max_length=10, choices=SubjectKind)
    product = models.CharField(max_length=12, choices=Product)
    kind = models.CharField("restriction", max_length=20, choices=RestrictionKind)
    instrument = models.CharField(
        max_length=200,
        blank=True,
        help_text="For leverage caps: the contracts or clients the figure applies to.",
    )
    max_leverage = models.DecimalField(
        "maximum leverage", max_digits=8, decimal_places=2, null=True, blank=True
    )
    source_url = models.CharField("source URL", max_length=500, validators=[validate_source_url])
    source_date_text = models.CharField(
        "source date",
        max_length=100,
        validators=[validate_source_date_text],
        help_text='As the source gives it: YYYY-MM-DD, YYYY-MM, YYYY or "n.d.", optionally '
        "with a note in brackets.",
    )
    source_date = models.DateField(
        null=True, blank=True, editable=False, help_text="Filled from a full ISO source date."
    )
    confidence = models.CharField(max_length=12, choices=Confidence)
    confidence_basis = models.CharField(
        max_length=300, blank=True, help_text="What the research file says that gives this label."
    )
    note = models.TextField(blank=True)
    reviewed_on = models.DateField(help_text="When this fact was last reviewed.")
    source_key = models.CharField(
        max_length=80,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The row's key in restrictions.csv; empty for facts added in the admin.",
    )
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jurisdiction__name", "subject", "product", "kind"]
        indexes = [models.Index(fields=["subject", "product", "kind"])]

    def __str__(self) -> str:
        return f"{self.subject}: {self.get_kind_display()} ({self.get_product_display()}) in {self.jurisdiction.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        match = FULL_ISO_DATE.match(self.source_date_text)
        self.source_date = datetime.date.fromisoformat(match.group(1)) if match else None
        super().save(*args, **kwargs)

    @property
    def is_undated(self) -> bool:
        return self.source_date_text.startswith("n.d.")

    @property
    def source_date_display(self) -> str:
        """The source date for readers: "undated" instead of "n.d.", the rest as given."""
        if self.is_undated:
            return gettext("undated") + self.source_date_text.removeprefix("n.d.")
        return self.source_date_text

    @property
    def has_source_link(self) -> bool:
        return not self.source_url.startswith(UNVERIFIED_URL_PREFIX)

    @property
    def confidence_label(self) -> str:
        return Confidence(self.confidence).short_label

    @property
    def confidence_description(self) -> str:
        return str(Confidence(self.confidence).label)
