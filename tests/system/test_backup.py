"""The backup and restore commands in docs/deploy.md give back every row.

PostgreSQL: ``pg_dump -Fc`` of a database holding restriction facts, a class session with
students and answers, a user, a login session and cache rows, ``pg_restore`` into a new
database, then ``manage.py dumpdata`` of both must be identical and every table must have the
same row count. SQLite: the online ``.backup`` (``sqlite3`` CLI) and the portable
``dumpdata``/``loaddata`` pair, compared the same way.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.appserver import manage, production_environment
from tests.pg import TemporaryPostgres

POPULATE = """
from datetime import UTC, datetime
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from riskcalc.classroom.lessons import get_lesson
from riskcalc.classroom.sessions import session_start, student_join, submission_record
from riskcalc.models import Restriction

user = User.objects.create_user("backup-teacher", "t@x.test", "backup-Pa55word")
# Under a millisecond past the second: the JSON dump's one lossy case, made certain here.
User.objects.filter(pk=user.pk).update(last_login=datetime(2026, 11, 22, 0, 28, 59, 123, UTC))
store = SessionStore()
store["_auth_user_id"] = str(user.pk)
store.create()
cache.set("backup-test", "kept", timeout=3600)
session, _ = session_start(lesson=get_lesson("liquidation-distance"))
for number in range(3):
    student, _ = student_join(session=session, nickname=f"backup {number}")
    for n in range(2):
        submission_record(
            student=student, exercise="margin-wipe-move", answer_text=f"{n}.5",
            idempotency_key=f"b{number}-{n}",
        )
print(Restriction.objects.count())
"""

# Models the comparison must cover: a dump without them would prove little.
REQUIRED_MODELS = (
    "riskcalc.restriction",
    "riskcalc.jurisdiction",
    "riskcalc.classsession",
    "riskcalc.student",
    "riskcalc.submission",
    "auth.user",
    "sessions.session",
)


def dumpdata(env: dict[str, str]) -> list[dict[str, object]]:
    output = manage("dumpdata", "--all", "--indent", "0", "--exclude", "contenttypes", env=env)
    return sorted(json.loads(output), key=lambda o: (str(o["model"]), str(o["pk"])))


# Django's JSON serializer writes datetimes to the millisecond, so a time whose microseconds
# are below 1,000 (e.g. 12:00:00.000123) is dumped as "12:00:00.000Z", loaded back as
# 12:00:00 and dumped again as "12:00:00Z". The same instant, written two ways.
WHOLE_SECOND_WRITTEN_WITH_MILLISECONDS = re.compile(r"(T\d{2}:\d{2}:\d{2})\.000(?=Z|[+-]\d)")


def as_json_round_trip_keeps_it(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows as they read after a dumpdata/loaddata round trip (millisecond datetimes)."""
    text = WHOLE_SECOND_WRITTEN_WITH_MILLISECONDS.sub(r"\1", json.dumps(rows))
    return json.loads(text)


def populate(env: dict[str, str]) -> None:
    manage("load_restrictions", env=env)
    restrictions = manage("shell", "-c", POPULATE, env=env).strip().splitlines()[-1]
    assert int(restrictions) > 0


def assert_covers_every_required_model(rows: list[dict[str, object]]) -> None:
    present = {str(row["model"]) for row in rows}
    assert set(REQUIRED_MODELS) <= present, set(REQUIRED_MODELS) - present


def test_pg_dump_and_pg_restore_give_back_every_row(
    postgres: TemporaryPostgres, tmp_path: Path
) -> None:
    source = postgres.url.rsplit("/", 1)[0] + "/backup_source"
    restored = postgres.url.rsplit("/", 1)[0] + "/backup_restored"
    postgres.psql("CREATE DATABASE backup_source OWNER riskcalc")
    postgres.psql("CREATE DATABASE backup_restored OWNER riskcalc")
    source_env = production_environment(source)
    manage("migrate", "--noinput", env=source_env)
    manage("createcachetable", env=source_env)
    populate(source_env)
    dump = tmp_path / "riskcalc.dump"

    # The commands docs/deploy.md gives.
    subprocess.run(
        [postgres.tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source],
        check=True,
    )
    subprocess.run(
        [
            postgres.tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={restored}",
            dump,
        ],
        check=True,
    )

    before = dumpdata(source_env)
    after = dumpdata(production_environment(restored))
    assert_covers_every_required_model(before)
    assert after == before
    counts = (
        "SELECT string_agg(table_name || '=' || "
        "(xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || "
        "quote_ident(table_name), false, true, '')))[1]::text, ',' ORDER BY table_name) "
        "FROM information_schema.tables WHERE table_schema = 'public'"
    )
    assert postgres.psql(counts, database="backup_restored") == postgres.psql(
        counts, database="backup_source"
    )
    assert "riskcalc_cache=1" in postgres.psql(counts, database="backup_restored")


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 command-line tool")
def test_sqlite_backup_and_dumpdata_loaddata_give_back_every_row(tmp_path: Path) -> None:
    source_env = production_environment(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    manage("migrate", "--noinput", env=source_env)
    manage("createcachetable", env=source_env)
    populate(source_env)
    before = dumpdata(source_env)
    assert_covers_every_required_model(before)

    # Online copy, safe while the site runs.
    copy = tmp_path / "backup.sqlite3"
    subprocess.run(["sqlite3", str(tmp_path / "db.sqlite3"), f".backup {copy}"], check=True)
    assert dumpdata(production_environment(f"sqlite:///{copy}")) == before

    # Portable JSON, e.g. to move from SQLite to PostgreSQL.
    fixture = tmp_path / "riskcalc.json"
    fixture.write_text(
        manage(
            "dumpdata",
            "--natural-foreign",
            "--exclude",
            "contenttypes",
            "--exclude",
            "auth.permission",
            env=source_env,
        )
    )
    fresh_env = production_environment(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    manage("migrate", "--noinput", env=fresh_env)
    manage("loaddata", str(fixture), env=fresh_env)
    assert dumpdata(fresh_env) == as_json_round_trip_keeps_it(before)


def test_json_round_trip_writes_a_whole_second_one_way() -> None:
    rows: list[dict[str, object]] = [
        {"fields": {"at": "2026-11-22T00:28:59.000Z", "kept": "2026-11-22T00:28:59.445Z"}},
    ]
    assert as_json_round_trip_keeps_it(rows) == [
        {"fields": {"at": "2026-11-22T00:28:59Z", "kept": "2026-11-22T00:28:59.445Z"}},
    ]
