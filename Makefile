# riskcalc: `make run` serves the site at http://127.0.0.1:8000, `make test` runs every check.
# Both install what they need: uv (through pip) and, for tests, Debian's Chromium and PostgreSQL 15.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format typecheck audit pytest pytest-postgres deps chromium postgres gettext messages compilemessages static benchmarks bench-api bench-load bench-pages screenshots

## Start the development site with migrations applied and bundled content loaded.
run: export DJANGO_DEBUG = true
run: deps compilemessages
	$(UV) run python manage.py migrate --noinput
	$(UV) run python manage.py load_restrictions
	$(UV) run python manage.py createcachetable
	$(UV) run python manage.py runserver $(HOST):$(PORT)

## Lint, type-check and run the whole test suite (unit, property and browser tests), once on
## SQLite and once on a throwaway PostgreSQL 15 cluster.
test: deps chromium postgres gettext lint typecheck audit pytest pytest-postgres

deps:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql-15 for the PostgreSQL test run"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; }

## GNU gettext: makemessages runs xgettext and msgmerge, compilemessages runs msgfmt.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing Debian's gettext for the translation catalogues"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

## Translators: bring locale/<dir>/LC_MESSAGES/django.po up to date with the marked strings
## (new ones empty, changed ones fuzzy, gone ones dropped), then translate them. One language
## with LOCALE=es (or zh_Hans, ar); all three without. locale/README.md has the workflow.
LOCALE ?= es zh_Hans ar
MAKEMESSAGES_FLAGS := --no-obsolete --no-location --ignore=.venv --ignore=staticfiles \
	--ignore=node_modules --ignore=tests --ignore=benchmarks --ignore=deploy --ignore=docs
messages: deps gettext
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-messages-only} $(UV) run python manage.py makemessages $(addprefix --locale=,$(LOCALE)) $(MAKEMESSAGES_FLAGS)

## The .po catalogues compiled to the .mo files Django reads (not committed: derived). Settings
## refuse to load without a secret key when DEBUG is off (CI, a fresh clone); makemessages
## and compilemessages never use it, so a throwaway one stands in unless one is set (as in
## the Dockerfile).
compilemessages: deps gettext
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-compilemessages-only} $(UV) run python manage.py compilemessages --ignore=.venv --ignore=staticfiles --ignore=node_modules

lint: deps
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: deps
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

typecheck: deps
	$(UV) run mypy

pytest: deps compilemessages
	$(UV) run pytest

## The same suite against PostgreSQL: tests/pg.py initdb's a cluster in a temporary directory,
## runs pytest with DATABASE_URL pointing at it, then stops and removes it. tests/system is
## left out here only because it ignores DATABASE_URL: it always runs on a PostgreSQL cluster
## of its own, and already did in the `pytest` run. The browser tests and the schema fuzzing
## (which needs no database) ran in the `pytest` run too: repeating them here doubled their
## eight minutes and took CI past its 30-minute budget; every database path they use is also
## exercised here by the view, API, classroom and hostile-input tests.
pytest-postgres: deps postgres compilemessages
	$(UV) run python -m tests.pg run -- python -m pytest --ignore=tests/system \
	  --ignore=tests/browser --ignore=tests/api/test_schemathesis.py

## Known vulnerabilities in the locked dependencies (pip-audit through uvx); see .ci/audit.
audit: deps
	UV="$(UV)" bash .ci/audit

static: deps
	$(UV) run python manage.py collectstatic --noinput

benchmarks: deps
	$(UV) run python benchmarks/calc_speed.py

## API throughput under gunicorn + wrk against a bare Django view (needs wrk).
bench-api: deps
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(UV) run python benchmarks/api_load.py

## Full-page PNGs of every calculator, light and dark, 375 and 1280 px wide, in screenshots/.
screenshots: deps chromium
	$(UV) run python benchmarks/screenshots.py

## Load and fault figures for benchmarks/README.md ("Load and faults"): about 8 minutes.
bench-load: deps
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(UV) run python benchmarks/load.py

## Calculator pages (issue 5): transferred bytes in Chromium, htmx partials against a bare view
## (in process and under wrk), Lighthouse mobile scores. JSON in benchmarks/out/; about 10 minutes.
bench-pages: deps chromium
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(UV) run python benchmarks/page_weight.py
	$(UV) run python benchmarks/partial_speed.py --no-static
	$(UV) run python benchmarks/lighthouse.py --no-static
