"""The filter form of the restrictions table and the query it stands for.

The table is a GET form, so every filtered view has its own URL (shareable, bookmarkable,
and working without JavaScript); htmx only swaps the results in place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from riskcalc.models import Restriction
from riskcalc.models.restrictions import Product, RestrictionKind, SubjectKind

ANY = ("", _("Any"))
SUBJECT_GROUPS = {SubjectKind.EXCHANGE: _("Exchanges"), SubjectKind.REGULATOR: _("Regulators")}
SELECT = {"class": "form-select"}


def subject_choices() -> list[tuple[str, object]]:
    """Exchanges and regulators that have facts, as two option groups."""
    # order_by(): the model's ordering would put its columns into the DISTINCT (one
    # "Binance" per jurisdiction).
    pairs = Restriction.objects.order_by().values_list("subject_kind", "subject").distinct()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for kind, subject in sorted(pairs, key=lambda pair: (pair[0], pair[1].lower())):
        grouped.setdefault(kind, []).append((subject, subject))
    return [ANY] + [
        (SUBJECT_GROUPS[SubjectKind(kind)], options) for kind, options in sorted(grouped.items())
    ]


class RestrictionFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Jurisdiction"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": _("e.g. Canada, GB, Ontario"),
                "autocomplete": "off",
            }
        ),
    )
    subject = forms.ChoiceField(
        label=_("Exchange or regulator"), required=False, widget=forms.Select(attrs=SELECT)
    )
    product = forms.ChoiceField(
        label=_("Product"),
        required=False,
        choices=[ANY, *Product.choices],
        widget=forms.Select(attrs=SELECT),
    )
    kind = forms.ChoiceField(
        label=_("Restriction"),
        required=False,
        choices=[ANY, *RestrictionKind.choices],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(
        self,
        *args: object,
        subjects: list[tuple[str, object]] | None = None,
        **kwargs: object,
    ) -> None:
        """``subjects``: the subject options when the caller already has them (cached)."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = subject_choices() if subjects is None else subjects
        self.fields["subject"].choices = choices  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters; an unknown value is ignored rather than an error page."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value and name not in self.errors
        }


def filtered_restrictions(filters: dict[str, str]) -> QuerySet[Restriction]:
    facts = Restriction.objects.select_related("jurisdiction").order_by(
        "jurisdiction__name", "subject", "product", "kind", "pk"
    )
    if query := filters.get("q", "").strip():
        facts = facts.filter(
            Q(jurisdiction__name__icontains=query)
            | Q(jurisdiction__code__iexact=query)
            | Q(jurisdiction_wording__icontains=query)
        )
    for name in ("subject", "product", "kind"):
        if name in filters:
            facts = facts.filter(**{name: filters[name]})
    return facts


@dataclass(frozen=True, slots=True)
class ReviewSpan:
    """The oldest and newest review dates among some facts."""

    oldest: datetime.date | None
    newest: datetime.date | None


def review_span(facts: QuerySet[Restriction]) -> ReviewSpan:
    span = facts.order_by().aggregate(oldest=Min("reviewed_on"), newest=Max("reviewed_on"))
    return ReviewSpan(oldest=span["oldest"], newest=span["newest"])
