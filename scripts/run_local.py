#!/usr/bin/env python
"""`make run`: migrate, seed, then web + Celery worker (with beat) in the foreground.

Ctrl-C or SIGTERM stops every process this started; if one of them dies, the others are stopped too."""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # local development: readable error pages, static files served
PORT = os.environ.get("PORT", "8000")


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], check=True)


def ensure_admin() -> str:
    """A local superuser `admin` with a random password kept in var/ (printed at every start)."""
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    secret = var / "admin_password"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(12))
        secret.chmod(0o600)
    password = secret.read_text().strip()
    code = (
        "from django.contrib.auth import get_user_model as g; U=g(); "
        "u=U.objects.filter(username='admin').first() or U(username='admin', email='admin@localhost'); "
        f"u.is_staff=u.is_superuser=True; u.set_password({password!r}); u.save()"
    )
    subprocess.run([PY, "manage.py", "shell", "-c", code], check=True, stdout=subprocess.DEVNULL)
    return password


def main() -> int:
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_demo")
    password = ensure_admin()
    children = [
        subprocess.Popen([PY, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"]),
        # One worker for both queues (analysis, io), with beat embedded.
        subprocess.Popen([PY, "-m", "celery", "-A", "config", "worker", "-B", "--queues", "analysis,io",
                          "--loglevel", "INFO", "--concurrency", "1", "--without-mingle", "--without-gossip"]),
    ]
    print(
        f"\n  Patient form:  http://127.0.0.1:{PORT}/testimonials/new/\n"
        f"  Admin:         http://127.0.0.1:{PORT}/admin/   (user admin, password {password})\n"
        f"  API:           http://127.0.0.1:{PORT}/api/v1/testimonials/   docs: /api/v1/docs/\n"
        "  Ctrl-C stops the web server, the worker and beat.\n",
        flush=True,
    )

    def stop(signum=None, frame=None) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.time() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(0 if signum else 1)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        for child in children:
            if child.poll() is not None:
                print(f"{child.args[2]} exited with {child.returncode}; stopping the rest.", file=sys.stderr)
                stop()
        time.sleep(1)


if __name__ == "__main__":
    sys.exit(main())
