"""gunicorn's settings for the production shape: `gunicorn -c config/gunicorn.py config.wsgi:application`.

The access log keeps what an operator needs (time, method, path, status, size, duration) and nothing that
identifies a patient: no client address (nor X-Forwarded-For), no query string, no referrer or user agent,
and withdrawal/renewal paths without their token. gunicorn's own error log goes through the same redaction
as the application's (config/log_redaction.py)."""
from __future__ import annotations

import os

from gunicorn.glogging import Logger

from config.log_redaction import RedactPersonalData, redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class PrivateLogger(Logger):
    """Whatever access_log_format an operator sets, the atoms that could name a patient are blanked or
    redacted, and every line of both logs passes the redacting filter."""

    BLANK = ("h", "q", "f", "a", "{x-forwarded-for}i", "{x-real-ip}i", "{forwarded}i", "{referer}i",
             "{user-agent}i", "{cookie}i", "{authorization}i", "{remote_addr}e", "{query_string}e", "{raw_uri}e",
             "{http_x_forwarded_for}e", "{http_referer}e", "{http_cookie}e")

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(RedactPersonalData())

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact(environ.get("PATH_INFO", ""))
        for name in self.BLANK:
            if name in atoms:
                atoms[name] = "-"
        atoms["U"] = path
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        return {name: redact(value) if isinstance(value, str) else value for name, value in atoms.items()}


logger_class = PrivateLogger
