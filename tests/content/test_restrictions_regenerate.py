"""content/restrictions/regenerate.py rebuilds the committed data from the repository alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

RESTRICTIONS_DIR = Path(settings.BASE_DIR) / "content" / "restrictions"
GENERATED = ("restrictions.csv", "jurisdictions.csv")
# Built from parts so that `git grep` for these paths finds nothing, this file included.
MACHINE_PATHS = tuple(f"/{folder}/" for folder in ("work", "tmp", "root", "usr"))


def test_regeneration_from_a_copy_of_the_folder_reproduces_the_committed_data(
    tmp_path: Path,
) -> None:
    # A copy of content/restrictions alone, run from elsewhere: nothing outside it may be read.
    folder = tmp_path / "restrictions"
    shutil.copytree(RESTRICTIONS_DIR, folder)
    for name in GENERATED:
        (folder / name).unlink()
    out = tmp_path / "out"
    out.mkdir()

    run = subprocess.run(
        [sys.executable, "-I", str(folder / "regenerate.py"), "--out-dir", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert run.returncode == 0, run.stderr

    for name in GENERATED:
        assert (out / name).read_bytes() == (RESTRICTIONS_DIR / name).read_bytes(), name


def test_the_research_folder_names_no_path_outside_the_repository() -> None:
    for path in RESTRICTIONS_DIR.rglob("*"):
        if path.is_file() and path.suffix in {".py", ".md", ".csv"}:
            text = path.read_text(encoding="utf-8")
            for prefix in MACHINE_PATHS:
                assert prefix not in text, f"{path.name} names {prefix}"
