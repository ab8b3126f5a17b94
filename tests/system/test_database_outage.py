"""PostgreSQL stopped under a running gunicorn: clear 503s, then recovery without a restart.

One gunicorn worker, so every request is served by the same process before, during and
after the outage.
"""

from __future__ import annotations

from tests.appserver import AppServer, HttpClient, production_environment
from tests.pg import TemporaryPostgres


def test_database_outage_gives_503_then_the_same_process_recovers(
    postgres: TemporaryPostgres,
) -> None:
    client = HttpClient()
    with AppServer(production_environment(postgres.url), workers=1) as app:
        [worker] = app.worker_pids()
        assert client.get(app.base_url + "/healthz").status == 200
        client.get(app.base_url + "/admin/login/")  # the CSRF cookie for the login below
        assert (
            client.post(app.base_url + "/admin/login/", {"username": "x", "password": "y"}).status
            == 200
        )

        postgres.stop_server()
        try:
            health = client.get(app.base_url + "/healthz")
            login = client.post(app.base_url + "/admin/login/", {"username": "x", "password": "y"})
            home = client.get(app.base_url + "/")
        finally:
            postgres.start_server()

        assert health.status == 503
        assert health.json()["checks"]["database"] == "unavailable (OperationalError)"
        assert login.status == 503
        assert "briefly unavailable" in login.text
        assert login.headers["Retry-After"] == "10"
        assert "no-store" in login.headers["Cache-Control"]
        assert home.status == 200, "a page that needs no database keeps working"

        assert client.get(app.base_url + "/healthz").status == 200
        after = client.post(app.base_url + "/admin/login/", {"username": "x", "password": "y"})
        assert after.status == 200  # the login form again, with "enter a correct username"
        assert "correct username" in after.text
        assert app.worker_pids() == [worker], "recovered in the same worker, no restart"
        assert not [line for line in app.log().splitlines() if '"status": 500' in line]
