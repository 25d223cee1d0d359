# Two commands on a fresh machine: `make run` and `make test`. Only Python 3.11 is needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed lint format messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

## Create the venv, install, migrate, load the demo city, print the demo logins, serve.
run: seed
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## The whole suite. Set DATABASE_URL / CELERY_BROKER_URL to run it on PostgreSQL and Redis;
## REQUIRE_SERVICES=1 turns the skips of service and browser tests into failures.
test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .

## Refresh locale/ko after changing strings, then compile (the .mo files are committed).
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages --locale ko --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
	$(DEV_ENV) $(PY) manage.py compilemessages --locale ko --ignore '.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
