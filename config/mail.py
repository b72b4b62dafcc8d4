"""Email backends of our own. Django's console backend prints whole messages — the patient's address, first
name and a working withdrawal link — to standard output, which in production is the worker's log; it is for
`make run` (debug on) only. With debug off a console setting gets this backend instead: it sends nothing and
logs one line without any of the message."""
from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class WithheldConsoleBackend(BaseEmailBackend):
    """The console backend with debug off: one warning per message, nothing of its content."""

    def send_messages(self, email_messages) -> int:
        for _message in email_messages:
            logger.warning("an email was not sent: EMAIL_BACKEND is the console and DJANGO_DEBUG is off "
                           "(set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST)")
        return 0
