"""gunicorn settings for production: ``gunicorn`` reads this file from the working directory.

    DJANGO_SECRET_KEY=... DATABASE_URL=postgres://... uv run --no-dev gunicorn riskcalc.wsgi

Every value can be changed through the environment (docs/deploy.md lists them):
WEB_CONCURRENCY (workers), GUNICORN_BIND, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS.
"""

import os

# Sync workers: the views are CPU-bound (Decimal maths, template rendering) and short, and
# the reverse proxy buffers slow clients. Two per core plus one, as gunicorn recommends.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").split(",")

# Import Django once in the master, then fork: workers share its memory pages and a broken
# settings module fails at start, not on the first request. No connection is opened here.
preload_app = True

# A worker stuck longer than this is killed and replaced; on SIGTERM (deploy, scale-down)
# workers get graceful_timeout seconds to finish their requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Recycle each worker after about this many requests, staggered by the jitter so they do not
# all restart at once: a bound on any slow leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# The app logs each request itself as JSON (riskcalc/request_log.py): no access log here.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Write nothing to disk at run time: the worker heartbeat goes to shared memory, and
# gunicorn 27's control socket (by default ~/.gunicorn/gunicorn.ctl, one path shared by every
# gunicorn on the host) is off.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True
