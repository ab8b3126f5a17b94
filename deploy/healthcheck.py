"""Docker HEALTHCHECK: exit 0 when GET /healthz on this container answers 200.

Sends the first of DJANGO_ALLOWED_HOSTS as the Host header (Django refuses other hosts);
/healthz is exempt from the HTTPS redirect. Standard library only.
"""

import http.client
import os
import sys

host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip() or "localhost"
if host.startswith("."):
    host = host.lstrip(".")
try:
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=4)
    connection.request("GET", "/healthz", headers={"Host": host})
    status = connection.getresponse().status
except OSError as error:
    sys.stderr.write(f"healthcheck: {error}\n")
    sys.exit(1)
sys.exit(0 if status == 200 else 1)
