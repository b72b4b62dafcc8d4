# The production image: gunicorn serves the app, whitenoise its static files; the same image runs
# the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 VAR_DIR=/app/var
WORKDIR /app

RUN useradd --create-home --uid 10001 app
# Runtime pins only: no pytest, Playwright or linters in the image (those are requirements-dev.txt).
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# Static files are collected at build time; the throwaway key never reaches a running container.
# PYTHONDONTWRITEBYTECODE keeps the running containers from writing .pyc files, so they are made
# here: otherwise every gunicorn worker, Celery process and manage.py command compiles the project anew.
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && python -m compileall -q config moderation reviews \
    && mkdir -p /app/var && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
