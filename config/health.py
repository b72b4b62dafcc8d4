"""GET /healthz: the database and the broker, as JSON; 503 when the database is down."""
from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("healthz: database unreachable", exc_info=True)
        return False


def _broker_ok() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("healthz: broker unreachable")
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database, broker = _database_ok(), _broker_ok()
    # Submissions survive a broker outage (the sweep catches up), so only the database is fatal.
    status = "ok" if database and broker else ("degraded" if database else "down")
    return JsonResponse({"status": status, "database": "ok" if database else "down",
                         "broker": "ok" if broker else "down"}, status=200 if database else 503)
