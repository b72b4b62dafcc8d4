"""With debug off, a missing DJANGO_SECRET_KEY stops the process with a clear error (issue 7, item 9):
instances that made up their own keys would refuse each other's withdrawal links."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD_SETTINGS = "import django; django.setup(); from django.conf import settings; print(len(settings.SECRET_KEY))"


def run_django(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    return subprocess.run([sys.executable, "-c", LOAD_SETTINGS], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **env})


def test_without_a_secret_key_and_debug_off_the_process_stops_with_a_clear_error(tmp_path):
    result = run_django(tmp_path, DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_debug_off_runs_with_the_key_it_is_given(tmp_path):
    result = run_django(tmp_path, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    assert (result.returncode, result.stdout.strip()) == (0, "50")


def test_local_development_with_debug_on_keeps_a_key_of_its_own(tmp_path):
    first = run_django(tmp_path, DJANGO_DEBUG="1")
    second = run_django(tmp_path, DJANGO_DEBUG="1")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert (tmp_path / "secret_key").read_text().strip()


def test_the_wsgi_application_refuses_to_start_without_a_key(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**clean, "VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "0"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is not set" in result.stderr


def test_runserver_with_debug_off_refuses_to_start_without_a_key(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    result = subprocess.run([sys.executable, "manage.py", "runserver", "127.0.0.1:9799", "--noreload"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60,
                            env={**clean, "VAR_DIR": str(tmp_path), "DJANGO_DEBUG": "0"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_command_on_a_developers_machine_keeps_working_without_a_key(tmp_path):
    """migrate, seed_demo, analyze… on a machine with nothing but Python: the local key under var/."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL")}
    result = subprocess.run([sys.executable, "manage.py", "analyze", "Bri fixed my knee!", "--rating", "5"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env={**clean, "VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-300:]
    assert '"sentiment"' in result.stdout
