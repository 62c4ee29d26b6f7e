# Tremplin: `make demo` runs the demo, `make test` the test suite, both on PostgreSQL (see cms/core/localdb.py:
# DATABASE_URL, else the server on 127.0.0.1:5432, else an embedded one under var/postgres).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Where the demo is reached from outside (absolute URLs of media in API answers, links in e-mails).
BASE_URL ?= http://$(HOST):$(PORT)
N ?= 100000
BENCH_ARGS ?=
PYTEST_ARGS ?=
TEST_WORKERS ?= 3
LOCALDB_ARGS ?=

.PHONY: install demo serve worker test lint format bench schema graphiql-assets

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/.installed

LOCALDB := $(BIN)/python -m cms.core.localdb

demo: install
	DJANGO_SETTINGS_MODULE=cms.settings.dev BASE_URL=$(BASE_URL) \
	  $(LOCALDB) --database tremplin_demo --create -- sh -c '\
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py seed_demo && \
	  exec $(BIN)/python manage.py runserver $(HOST):$(PORT)'

# Production: static files collected (hashed, compressed), then gunicorn (gunicorn.conf.py: HOST, PORT,
# WEB_CONCURRENCY, WEB_THREADS). Needs the production environment (SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS…).
serve: install
	DJANGO_SETTINGS_MODULE=cms.settings.production $(BIN)/python manage.py collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=cms.settings.production HOST=$(HOST) PORT=$(PORT) \
	  exec $(BIN)/gunicorn -c gunicorn.conf.py cms.wsgi

# Production: the background worker (django-tasks-db) running the tasks the web processes enqueue.
worker: install
	DJANGO_SETTINGS_MODULE=cms.settings.production exec $(BIN)/python manage.py db_worker --queue-name '*'

# Bytecode is cached (__pycache__, ignored by git) even where PYTHONDONTWRITEBYTECODE is set: each test worker and
# each server or command a test starts would otherwise compile the project's modules (and pytest its test modules) again.
test: install
	@PYTHONDONTWRITEBYTECODE= $(LOCALDB) --database tremplin $(LOCALDB_ARGS) -- $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; exit $$rc

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=cms.settings.dev $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m tests.bench --missions $(N) $(BENCH_ARGS)

graphiql-assets:
	graphql_api/vendor_graphiql.sh
