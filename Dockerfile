# syntax=docker/dockerfile:1
# riskcalc production image: gunicorn + WhiteNoise, settings from the environment.
# Build: docker build -t riskcalc .     Run: see docs/deploy.md and compose.yaml.

ARG PYTHON_VERSION=3.12

# --- build: the virtualenv (runtime dependencies only), the hashed static files and the
# compiled translation catalogues (.mo files are derived from locale/*/django.po, not committed)
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_CACHE_DIR=/var/cache/uv \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN --mount=type=cache,target=/var/cache/uv \
    uv sync --frozen --no-dev --no-install-project
COPY . .
RUN --mount=type=cache,target=/var/cache/uv \
    uv sync --frozen --no-dev
# collectstatic needs settings but no database; the key is thrown away with this stage.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_STATIC_ROOT=/app/staticfiles \
    /app/.venv/bin/python manage.py collectstatic --noinput
RUN DJANGO_SECRET_KEY=compilemessages-only \
    /app/.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=staticfiles

# --- runtime: the venv and the app, as an unprivileged user ----------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_STATIC_ROOT=/app/staticfiles
RUN groupadd --system --gid 10001 riskcalc \
    && useradd --system --uid 10001 --gid riskcalc --no-create-home --home-dir /nonexistent riskcalc
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/staticfiles /app/staticfiles
COPY --from=build /app/manage.py /app/gunicorn.conf.py ./
COPY --from=build /app/riskcalc ./riskcalc
COPY --from=build /app/templates ./templates
COPY --from=build /app/static ./static
COPY --from=build /app/content ./content
COPY --from=build /app/locale ./locale
COPY --from=build /app/deploy/healthcheck.py ./deploy/healthcheck.py
USER riskcalc:riskcalc
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "riskcalc.wsgi:application"]
