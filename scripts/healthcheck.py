"""The containers' healthcheck: GET /healthz the way a request through the proxy arrives, so it passes with the
production settings (`python scripts/healthcheck.py`; exit 0 healthy, 1 not). Standard library only, no Django.

- Host: the first entry of DJANGO_ALLOWED_HOSTS (a `.example.com` wildcard becomes `example.com`), since
  Django answers 400 to any other host;
- X-Forwarded-Proto: https, as the TLS proxy sends it (trusted with DJANGO_BEHIND_PROXY=1); /healthz is also
  exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so it answers without a proxy in front too.
A "degraded" answer (broker down, database up) is 200 and healthy: the web keeps taking submissions."""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def probe_host() -> str:
    hosts = [h.strip() for h in (os.environ.get("DJANGO_ALLOWED_HOSTS") or "localhost").split(",") if h.strip()]
    host = next((h for h in hosts if h != "*"), "localhost")
    return host.lstrip(".")


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL") or "http://127.0.0.1:8000/healthz"
    request = urllib.request.Request(url, headers={"Host": probe_host(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=float(os.environ.get("HEALTHCHECK_TIMEOUT") or 4)) as response:
            body = response.read(500).decode("utf-8", "replace")
            print(response.status, body)
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:
        print(error.code, error.read(500).decode("utf-8", "replace"))
    except OSError as error:
        print("unreachable:", error)
    return 1


if __name__ == "__main__":
    sys.exit(main())
