"""Operations (issue 10): compose passes `.env` to every service, the web healthcheck passes with production
settings (allowed hosts, HTTPS redirect) against a real gunicorn, and `.env.example` lists every setting."""
from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# Set by manage.py itself, never by an operator.
INTERNAL = {"DJANGO_CLI_LOCAL_SECRET_KEY"}
LINE = re.compile(r'^(?P<key>[A-Z][A-Z0-9_]*)=(?P<value>"[^"]*"|[^\s"\'#]*)$')


def env_example() -> dict[str, str]:
    values = {}
    for number, line in enumerate((ROOT / ".env.example").read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = LINE.match(line)
        assert match, f".env.example line {number} is not KEY=value (comments on their own line, spaces quoted)"
        values[match["key"]] = match["value"].strip('"')
    return values


def settings_variables() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'(?:env_\w+|os\.environ\.get)\("([A-Z][A-Z0-9_]*)"', source)) - INTERNAL


def readme_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| variable | default | meaning |"):]
    table = table[:table.index("\n\n")]
    return {name for row in table.splitlines()[2:] for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_env_example_lists_every_setting_the_code_and_the_readme_know():
    listed = set(env_example())
    assert settings_variables() - listed == set()
    assert readme_variables() - listed == set()
    # and the README explains every one the code reads
    assert settings_variables() - readme_variables() == set()


def test_every_compose_service_reads_the_env_file_and_has_a_healthcheck():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    for name, service in services.items():
        assert [e["path"] for e in service["env_file"]] == [".env"], name
        if name != "migrate":
            assert service["healthcheck"]["test"], name
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "scripts/healthcheck.py"]
    # only the service addresses and the key guard are set beside the file; the rest comes from .env
    assert set(services["web"]["environment"]) == {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, **headers) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        opener = urllib.request.build_opener(NoRedirect)
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(params=["behind a proxy", "TLS without a proxy"])
def production_web(request, tmp_path):
    """gunicorn with `.env.example` as the operator copied it, plus the README's production settings."""
    port = free_port()
    env = {**os.environ, **env_example(), "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_DEBUG": "0",
           "DJANGO_HTTPS": "1", "DJANGO_BEHIND_PROXY": "1" if request.param == "behind a proxy" else "0",
           "DJANGO_ALLOWED_HOSTS": "testimonials.example.com,.example.org", "VAR_DIR": str(tmp_path),
           "DATABASE_URL": "", "REDIS_URL": "", "STATIC_MANIFEST": "0"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                time.sleep(0.2)
        yield port, env
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_web_healthcheck_passes_with_production_settings(production_web):
    port, env = production_web
    url = f"http://127.0.0.1:{port}/healthz"
    # a naive probe is refused by the production settings (host not allowed)…
    assert get(url) == 400
    # …and every other page still redirects to https: only /healthz is exempt
    assert get(f"http://127.0.0.1:{port}/api/v1/stats/", Host="testimonials.example.com") == 301
    # the compose healthcheck sends what the proxy would, and passes
    result = subprocess.run([sys.executable, "scripts/healthcheck.py"], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "HEALTHCHECK_URL": url}, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("200 ") and '"database": "ok"' in result.stdout


def test_the_healthcheck_fails_when_nothing_answers():
    result = subprocess.run([sys.executable, "scripts/healthcheck.py"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "HEALTHCHECK_URL": f"http://127.0.0.1:{free_port()}/healthz",
                                 "HEALTHCHECK_TIMEOUT": "2"}, timeout=30)
    assert result.returncode == 1 and "unreachable" in result.stdout


def requirement_names(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-r "):
            continue
        name, _, version = line.partition("==")
        assert re.fullmatch(r"\d+(\.\d+)*", version), f"{path.name}: {line!r} is not pinned exactly"
        pins[re.sub(r"\[.*\]", "", name).lower()] = version
    return pins


def test_runtime_and_development_dependencies_are_split_and_pinned():
    runtime = requirement_names(ROOT / "requirements.txt")
    development = requirement_names(ROOT / "requirements-dev.txt")
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text().splitlines()
    tools = {"pytest", "pytest-django", "factory-boy", "playwright", "axe-playwright-python", "hypothesis",
             "schemathesis", "ruff"}
    assert tools <= set(development) and not tools & set(runtime)
    assert {"django", "celery", "gunicorn", "sentry-sdk"} <= set(runtime)
    # the image installs the runtime pins only; make's install and test use the development file
    installs = re.findall(r"pip install (.*)", (ROOT / "Dockerfile").read_text())
    assert installs == ["-r requirements.txt"]
    assert "-r requirements-dev.txt" in (ROOT / "Makefile").read_text()
