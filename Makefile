# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The virtualenv has the runtime and the development pins (tests, tools); the Docker image only the runtime.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install run test lint check bench bench-load clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Python writes no bytecode where PYTHONDONTWRITEBYTECODE is set (as in the image): without these .pyc
# files every `manage.py` start compiles the project's modules from source again (~0.15 s).
install: $(STAMP)
	$(BIN)/python -m compileall -q config moderation reviews > /dev/null

## Migrate, load demo data and serve web + Celery worker + beat at http://127.0.0.1:8000 (Ctrl-C stops all).
run: install
	$(BIN)/python scripts/run_local.py

## The whole suite (SQLite and the embedded broker unless DATABASE_URL / REDIS_URL are set).
test: install
	VAR_DIR=$(CURDIR)/var/test DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-key-not-for-production} $(BIN)/python -m pytest $(PYTEST_ARGS)

## Ruff (ruff.toml) and no model change without its migration.
lint: install
	$(BIN)/ruff check .
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-lint-only-key-not-for-production} VAR_DIR=$(CURDIR)/var/test \
		DATABASE_URL= $(BIN)/python manage.py makemigrations --check --dry-run  # models vs migrations: no server needed

## Production checks with production-shaped settings.
check: install
	DJANGO_DEBUG=0 DJANGO_HTTPS=1 DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: install
	$(BIN)/python bench/eval_analysis.py
	$(BIN)/python bench/analysis_throughput.py
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-bench-only-key-not-for-production} $(BIN)/python bench/api_feed.py
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-bench-only-key-not-for-production} $(BIN)/python bench/dashboard.py

## 60 s of mixed load on gunicorn + PostgreSQL + Redis + a Celery worker (needs DATABASE_URL and REDIS_URL).
bench-load: install
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var/test staticfiles
