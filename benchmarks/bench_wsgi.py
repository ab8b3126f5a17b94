"""WSGI entry point for ``benchmarks/api_load.py``: the real site with the benchmark URLconf.

Same settings module, same middleware stack, same URL resolver as production, with one
extra route (/__bare__) so the API can be compared with a Django view that does no work.
Only ``ROOT_URLCONF`` is changed, before Django loads; gunicorn serves this module only when
the benchmark starts it.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskcalc.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "benchmarks.bench_urls"
application = get_wsgi_application()
