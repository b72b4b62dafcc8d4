"""The project package. The Celery app (config/celery.py) loads on first use, not with Django:

Celery's start-up is ~0.1 s that commands which never enqueue (`manage.py analyze`, `migrate`) need
not pay. Everything that enqueues imports moderation.tasks, which imports config.celery first, so the
tasks bind to this app; `celery -A config` finds config.celery by itself."""


def __getattr__(name: str):
    """`config.celery_app`, as the Celery-Django layout names it, loaded when first asked for."""
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
