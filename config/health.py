"""GET /healthz: the database and the broker, as JSON; 503 when the database is down.

It answers within HEALTH_TIMEOUT seconds whatever hangs: both checks run side by side in threads of
their own, and a check that has not answered by then counts as down (its thread ends by itself when
its socket times out)."""
from __future__ import annotations

import logging
import threading
import time

from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT = 1.5  # seconds for both checks together; a load balancer's probe usually allows 2–5


def _database_ok() -> bool:
    # A connection of this thread's own, closed after: a hung database never holds a request's connection.
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    finally:
        connections["default"].close()


def _broker_ok() -> bool:
    from config.celery import app

    options = {"socket_connect_timeout": HEALTH_TIMEOUT, "socket_timeout": HEALTH_TIMEOUT, "max_retries": 0}
    with app.connection_for_write(transport_options=options, connect_timeout=HEALTH_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=0, timeout=HEALTH_TIMEOUT)
        conn.default_channel  # noqa: B018 (opening a channel pings Redis)
    return True


def _run_bounded(checks: dict) -> dict[str, bool]:
    results: dict[str, bool] = {}

    def run(name: str, check) -> None:
        try:
            results[name] = check()
        except Exception as error:
            logger.warning("healthz: %s unreachable (%s)", name, type(error).__name__)
            results[name] = False

    threads = [threading.Thread(target=run, args=item, daemon=True, name=f"healthz-{item[0]}")
               for item in checks.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + HEALTH_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    for name in checks:
        if name not in results:
            logger.warning("healthz: %s did not answer within %g s", name, HEALTH_TIMEOUT)
    return {name: results.get(name, False) for name in checks}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    ok = _run_bounded({"database": _database_ok, "broker": _broker_ok})
    database, broker = ok["database"], ok["broker"]
    # Submissions survive a broker outage (the sweep catches up), so only the database is fatal.
    status = "ok" if database and broker else ("degraded" if database else "down")
    return JsonResponse({"status": status, "database": "ok" if database else "down",
                         "broker": "ok" if broker else "down"}, status=200 if database else 503)

