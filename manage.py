#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import gc
import os
import sys


def main() -> None:
    # What start-up builds (modules, classes, models: ~100,000 tracked objects) lives as long as the
    # process, yet the cyclic collector would walk it again and again while it is being built: about a
    # quarter of a command's start-up. It is switched back on, with those objects frozen out of its walks, once
    # the apps are ready (moderation/apps.py).
    gc.disable()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] != ["runserver"]:
        # Commands on a developer's machine may use the local key in var/ (see config/settings.py);
        # a server, like gunicorn and Celery, needs DJANGO_SECRET_KEY whenever debug is off.
        os.environ.setdefault("DJANGO_CLI_LOCAL_SECRET_KEY", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
