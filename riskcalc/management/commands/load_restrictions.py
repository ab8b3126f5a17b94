"""Load content/restrictions/*.csv into the database, idempotently, keeping admin edits.

Each loaded row remembers a hash of the values it was loaded with (``loaded_hash``). On the
next run a row is:

- **unchanged** when the database already holds the file's values;
- **updated** when the file changed and nobody edited the row since it was loaded;
- **kept** when the row was edited in the admin (its values no longer match the hash it was
  loaded with): it is skipped and reported, unless ``--force`` is given.

Rows that are in the database but no longer in the file are reported, never deleted.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction

from riskcalc.models import Jurisdiction, Restriction

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "content" / "restrictions"
JURISDICTION_FIELDS = ("code", "name", "kind", "iso_alpha3")
RESTRICTION_FIELDS = (
    "jurisdiction_code",
    "jurisdiction_wording",
    "subject",
    "subject_kind",
    "product",
    "kind",
    "instrument",
    "max_leverage",
    "source_url",
    "source_date_text",
    "confidence",
    "confidence_basis",
    "note",
    "reviewed_on",
)
CENT = Decimal("0.01")


def values_hash(values: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def leverage_text(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return ""
    return str(Decimal(value).quantize(CENT))


def jurisdiction_values(jurisdiction: Jurisdiction) -> dict[str, str]:
    return {name: getattr(jurisdiction, name) for name in JURISDICTION_FIELDS}


def restriction_values(restriction: Restriction) -> dict[str, str]:
    return {
        "jurisdiction_code": restriction.jurisdiction.code,
        "jurisdiction_wording": restriction.jurisdiction_wording,
        "subject": restriction.subject,
        "subject_kind": restriction.subject_kind,
        "product": restriction.product,
        "kind": restriction.kind,
        "instrument": restriction.instrument,
        "max_leverage": leverage_text(restriction.max_leverage),
        "source_url": restriction.source_url,
        "source_date_text": restriction.source_date_text,
        "confidence": restriction.confidence,
        "confidence_basis": restriction.confidence_basis,
        "note": restriction.note,
        "reviewed_on": restriction.reviewed_on.isoformat(),
    }


def apply_jurisdiction_values(jurisdiction: Jurisdiction, values: dict[str, str]) -> None:
    for name in JURISDICTION_FIELDS:
        setattr(jurisdiction, name, values[name])


def restriction_values_from_file(row: dict[str, str]) -> dict[str, str]:
    return {
        "jurisdiction_code": row["iso_code"],
        "jurisdiction_wording": row["jurisdiction"],
        "subject": row["subject"],
        "subject_kind": row["subject_kind"],
        "product": row["product"],
        "kind": row["restriction"],
        "instrument": row["instrument"],
        "max_leverage": leverage_text(row["max_leverage"]),
        "source_url": row["source_url"],
        "source_date_text": row["source_date"],
        "confidence": row["confidence"],
        "confidence_basis": row["confidence_basis"],
        "note": row["note"],
        "reviewed_on": row["reviewed_on"],
    }


@dataclass
class Tally:
    """What one run did to one model."""

    label: str
    singular: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated)

    def summary(self) -> str:
        return (
            f"{self.label}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.kept)} kept (edited in the admin), "
            f"{len(self.not_in_file)} in the database but not in the file."
        )


def read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError as error:
        raise CommandError(f"{path} not found") from error


class Command(BaseCommand):
    help = "Load the sourced regional-restriction facts; safe to run again (see module doc)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Folder holding restrictions.csv and jurisdictions.csv.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite rows edited in the admin with the file's values.",
        )

    def handle(self, *args: Any, data_dir: Path, force: bool, **options: Any) -> None:
        jurisdiction_rows = read_csv(data_dir / "jurisdictions.csv")
        restriction_rows = read_csv(data_dir / "restrictions.csv")
        with transaction.atomic():
            jurisdictions = self.load_jurisdictions(jurisdiction_rows, force=force)
            restrictions = self.load_restrictions(restriction_rows, force=force)
        for tally in (jurisdictions, restrictions):
            self.stdout.write(tally.summary())
            for key in tally.kept:
                self.stdout.write(
                    f"  kept admin edit of {tally.singular} {key} "
                    "(run with --force to overwrite it with the file's values)"
                )
            for key in tally.not_in_file:
                self.stdout.write(
                    f"  {tally.singular} {key} is no longer in the file; "
                    "left in the database (delete it in the admin if it should go)"
                )

    def load_jurisdictions(self, rows: list[dict[str, str]], *, force: bool) -> Tally:
        tally = Tally("Jurisdictions", "jurisdiction")
        existing = {j.code: j for j in Jurisdiction.objects.all()}
        for row in rows:
            values = {name: row[name] for name in JURISDICTION_FIELDS}
            self.sync(
                tally,
                key=values["code"],
                instance=existing.pop(values["code"], None) or Jurisdiction(),
                file_values=values,
                current_values=jurisdiction_values,
                apply=apply_jurisdiction_values,
                force=force,
            )
        tally.not_in_file = sorted(existing)
        return tally

    def load_restrictions(self, rows: list[dict[str, str]], *, force: bool) -> Tally:
        tally = Tally("Restrictions", "restriction")
        jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        existing = {
            r.source_key: r
            for r in Restriction.objects.select_related("jurisdiction").exclude(source_key=None)
        }

        def apply(restriction: Restriction, values: dict[str, str]) -> None:
            try:
                restriction.jurisdiction = jurisdictions[values["jurisdiction_code"]]
            except KeyError as error:
                raise CommandError(
                    f"{values['jurisdiction_code']} is not in jurisdictions.csv"
                ) from error
            for name in RESTRICTION_FIELDS[1:]:
                setattr(restriction, name, values[name])
            restriction.max_leverage = (
                Decimal(values["max_leverage"]) if values["max_leverage"] else None
            )
            restriction.reviewed_on = datetime.date.fromisoformat(values["reviewed_on"])

        for row in rows:
            key = row["key"]
            self.sync(
                tally,
                key=key,
                instance=existing.pop(key, None) or Restriction(source_key=key),
                file_values=restriction_values_from_file(row),
                current_values=restriction_values,
                apply=apply,
                force=force,
            )
        tally.not_in_file = sorted(existing)
        return tally

    def sync(
        self,
        tally: Tally,
        *,
        key: str,
        instance: Any,
        file_values: dict[str, str],
        current_values: Any,
        apply: Any,
        force: bool,
    ) -> None:
        file_hash = values_hash(file_values)
        if instance.pk is None:
            apply(instance, file_values)
            self.save(instance, file_hash, key)
            tally.created.append(key)
            return
        current_hash = values_hash(current_values(instance))
        if current_hash == file_hash:
            if instance.loaded_hash != file_hash:
                type(instance).objects.filter(pk=instance.pk).update(loaded_hash=file_hash)
            tally.unchanged.append(key)
        elif current_hash == instance.loaded_hash or force:
            apply(instance, file_values)
            self.save(instance, file_hash, key)
            tally.updated.append(key)
        else:
            tally.kept.append(key)

    def save(self, instance: models.Model, file_hash: str, key: str) -> None:
        instance.loaded_hash = file_hash  # type: ignore[attr-defined]
        try:
            instance.full_clean(validate_unique=False)
        except ValidationError as error:
            raise CommandError(f"row {key}: {error.message_dict}") from error
        instance.save()
