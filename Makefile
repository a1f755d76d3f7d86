# SocialGov: two commands on a fresh machine.
#   make run   install everything, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test  install what the tests need and run the whole suite in parallel

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
CSS := socialgov/web/static/socialgov/socialgov.css

.PHONY: run test install install-test browser frontend migrate demo lint format check-deploy clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): node_modules/.installed $(wildcard frontend/scss/*.scss)
	npm run --silent build

.env:
	cp .env.example .env
	sed -i 's/^# DEBUG=.*/DEBUG=true/' .env

install: $(VENV)/.runtime frontend .env
frontend: $(CSS)
install-test: install $(VENV)/.test browser

# Browser tests need Chromium: install Debian's package when we can, else they skip.
browser:
	@bash scripts/install-browser.sh

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

run: demo
	PORT=$(PORT) bash scripts/run-embedded.sh

test: install-test
	$(PY) -m pytest -n auto -q

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 $(CSS)
