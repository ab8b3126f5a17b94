"""Fallback dependency audit through PyPI's project JSON, for machines that reach PyPI only.

pip-audit asks PyPI's per-version endpoint (``/pypi/<name>/<version>/json``), which the
project machine's registry proxy refuses (404), and OSV, which it cannot reach. The project
endpoint (``/pypi/<name>/json``) does answer: it describes the project's *latest* release,
including the known vulnerabilities of that release (the same PyPA advisory data pip-audit
uses). So a locked version that is the latest release can be audited exactly; an older one
cannot be audited here and is reported as not audited, never as clean.

Usage: ``python .ci/pypi_audit.py REQUIREMENTS`` (the output of ``uv export``). Exit 1 on a
known vulnerability; exit 0 otherwise, printing how many packages could not be audited on
stderr (``.ci/audit`` decides whether that fails). Standard library only.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


@dataclass(frozen=True)
class Finding:
    """What the project JSON says about one locked package."""

    name: str
    version: str
    audited: bool
    vulnerabilities: tuple[str, ...] = ()
    reason: str = ""


def locked_packages(requirements: str) -> list[tuple[str, str]]:
    """(name, version) of every pinned line of a requirements file."""
    return [
        (match.group(1), match.group(2))
        for line in requirements.splitlines()
        if (match := REQUIREMENT.match(line.strip()))
    ]


def judge(name: str, version: str, project: dict[str, Any]) -> Finding:
    """Audit ``name==version`` against its project JSON (latest release and its vulnerabilities)."""
    latest = str(project.get("info", {}).get("version", ""))
    if latest != version:
        return Finding(name, version, False, reason=f"locked {version}, latest is {latest or '?'}")
    found = tuple(
        f"{entry.get('id')} ({', '.join(entry.get('aliases') or []) or 'no aliases'})"
        f" fixed in: {', '.join(entry.get('fixed_in') or []) or 'no fixed release'}"
        for entry in project.get("vulnerabilities") or []
        if not entry.get("withdrawn")
    )
    return Finding(name, version, True, found)


def fetch(name: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:
        data: dict[str, Any] = json.load(response)
        return data


def audit(name: str, version: str) -> Finding:
    try:
        return judge(name, version, fetch(name))
    except (OSError, ValueError) as error:  # urllib.error.URLError is an OSError
        return Finding(name, version, False, reason=f"PyPI did not answer: {error}")


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as file:
        packages = locked_packages(file.read())
    with ThreadPoolExecutor(max_workers=8) as pool:
        findings = list(pool.map(lambda package: audit(*package), packages))
    vulnerable = [finding for finding in findings if finding.vulnerabilities]
    unaudited = [finding for finding in findings if not finding.audited]
    for finding in vulnerable:
        for vulnerability in finding.vulnerabilities:
            print(f"VULNERABLE {finding.name}=={finding.version}: {vulnerability}")
    for finding in unaudited:
        print(f"not audited {finding.name}=={finding.version}: {finding.reason}", file=sys.stderr)
    audited = len(findings) - len(unaudited)
    print(
        f"PyPI project JSON: {audited} of {len(findings)} packages audited, "
        f"{len(vulnerable)} with known vulnerabilities, {len(unaudited)} not audited."
    )
    print(f"unaudited={len(unaudited)}", file=sys.stderr)
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
