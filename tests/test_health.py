from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["broker"] in ("ok", "down")


def test_healthz_is_200_but_degraded_when_the_broker_is_down(client):
    from tests.conftest import celery_broker

    with celery_broker("redis://127.0.0.1:1/0", {"socket_connect_timeout": 0.2}):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "down"}


def test_healthz_is_503_when_the_database_is_down():
    # A real process whose database does not answer (nothing listens on port 1).
    code = ("import django; django.setup(); from django.test import Client; r = Client().get('/healthz'); "
            "print(r.status_code, r.json()['database'])")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
           "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ALLOWED_HOSTS": "testserver"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split()[-2:] == ["503", "down"], result.stderr[-500:]
