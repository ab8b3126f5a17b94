"""load_restrictions loads every row once, changes nothing on a second run, and never
silently overwrites an edit made in the admin or deletes a row the file no longer has."""

from __future__ import annotations

import csv
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from riskcalc.management.commands.load_restrictions import DEFAULT_DATA_DIR
from riskcalc.models import Jurisdiction, Restriction

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_restrictions", *args, stdout=out)
    return out.getvalue()


def data_file_rows(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def copy_of_data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "restrictions"
    target.mkdir()
    for name in ("restrictions.csv", "jurisdictions.csv"):
        shutil.copy(DEFAULT_DATA_DIR / name, target / name)
    return target


def rewrite_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_first_run_loads_every_row_of_the_data_files() -> None:
    output = load()

    assert Restriction.objects.count() == len(data_file_rows("restrictions.csv")) == 287
    assert Jurisdiction.objects.count() == len(data_file_rows("jurisdictions.csv")) == 99
    assert "Restrictions: 287 created, 0 updated" in output


def test_second_run_changes_nothing() -> None:
    load()
    before = list(Restriction.objects.order_by("pk").values())

    output = load()

    assert "Jurisdictions: 0 created, 0 updated, 99 unchanged" in output
    assert "Restrictions: 0 created, 0 updated, 287 unchanged, 0 kept" in output
    assert list(Restriction.objects.order_by("pk").values()) == before


def test_admin_edit_is_kept_and_reported_on_the_next_run() -> None:
    load()
    edited = Restriction.objects.get(jurisdiction__code="YE", product="copy_trading")
    edited.note = "Checked against the Copy Trading Service Agreement."
    edited.save()

    output = load()

    edited.refresh_from_db()
    assert edited.note == "Checked against the Copy Trading Service Agreement."
    assert "1 kept (edited in the admin)" in output
    assert f"kept admin edit of restriction {edited.source_key}" in output


def test_force_overwrites_an_admin_edit_with_the_files_values() -> None:
    load()
    edited = Restriction.objects.get(jurisdiction__code="YE", product="copy_trading")
    edited.confidence = "high"
    edited.save()

    output = load("--force")

    edited.refresh_from_db()
    assert edited.confidence == "unverified"
    assert "Restrictions: 0 created, 1 updated" in output


def test_changed_file_row_updates_a_row_nobody_edited(tmp_path: Path) -> None:
    load()
    data_dir = copy_of_data_dir(tmp_path)
    rows = data_file_rows("restrictions.csv")
    rows[0]["note"] = "Re-checked note."
    rewrite_rows(data_dir / "restrictions.csv", rows)

    output = load("--data-dir", str(data_dir))

    assert Restriction.objects.get(source_key=rows[0]["key"]).note == "Re-checked note."
    assert "Restrictions: 0 created, 1 updated, 286 unchanged" in output


def test_row_removed_from_the_file_is_reported_and_left_in_place(tmp_path: Path) -> None:
    load()
    data_dir = copy_of_data_dir(tmp_path)
    rows = data_file_rows("restrictions.csv")
    rewrite_rows(data_dir / "restrictions.csv", rows[1:])

    output = load("--data-dir", str(data_dir))

    assert Restriction.objects.filter(source_key=rows[0]["key"]).exists()
    assert f"restriction {rows[0]['key']} is no longer in the file" in output


def test_undated_source_is_stored_without_a_date() -> None:
    load()
    undated = Restriction.objects.filter(source_date_text="n.d.")
    dated = Restriction.objects.get(jurisdiction__code="ZZ", subject="Bitget", max_leverage="150")

    assert undated.exists()
    assert set(undated.values_list("source_date", flat=True)) == {None}
    assert dated.source_date.isoformat() == "2025-09-26"
