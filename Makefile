# riskcalc: `make run` serves the site at http://127.0.0.1:8000, `make test` runs every check.
# Both install what they need: uv (through pip) and, for tests, Debian's Chromium.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format typecheck pytest deps chromium static benchmarks screenshots

## Start the development site with migrations applied and bundled content loaded.
run: export DJANGO_DEBUG = true
run: deps
	$(UV) run python manage.py migrate --noinput
	$(UV) run python manage.py load_restrictions
	$(UV) run python manage.py createcachetable
	$(UV) run python manage.py runserver $(HOST):$(PORT)

## Lint, type-check and run the whole test suite (unit, property and browser tests).
test: deps chromium lint typecheck pytest

deps:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

lint: deps
	$(UV) run ruff check .
	$(UV) run ruff format --check .

format: deps
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

typecheck: deps
	$(UV) run mypy

pytest: deps
	$(UV) run pytest

static: deps
	$(UV) run python manage.py collectstatic --noinput

benchmarks: deps
	$(UV) run python benchmarks/calc_speed.py
