"""A safety net under every log line: email addresses, withdrawal and renewal links (their tokens) and
network addresses are replaced before a line is written. The code never logs them on purpose (ids only);
this catches what a library or a traceback carries (an SMTP refusal naming the recipient, a 404 for a
withdrawal link, a proxy's address)."""
from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z]{2,}")
# /testimonials/withdraw/<token>/ and /renew/<token>/, also under /es/ and as a full URL.
TOKEN_PATH = re.compile(r"(/testimonials/(?:withdraw|renew)/)[^/\s?#\"']+")
IPV4 = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])")
# Hex groups and colons; only taken for an address if it has "::" or a hex letter (a time like 18:41:46 is not).
IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])")


def _ipv6(match: re.Match) -> str:
    found = match.group(0)
    return "[ip]" if "::" in found or re.search(r"[A-Fa-f]", found) else found


def redact(text: str) -> str:
    """`text` without email addresses, withdrawal/renewal tokens or IP addresses."""
    text = EMAIL.sub("[email]", text)
    text = TOKEN_PATH.sub(r"\1[token]", text)
    text = IPV4.sub("[ip]", text)
    return IPV6.sub(_ipv6, text)


class RedactPersonalData(logging.Filter):
    """A handler filter: the message (arguments merged in), a traceback and stack info, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call still gets logged, as its bare format string
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
