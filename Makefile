# The two commands a user needs: `make run` and `make test` (`make test-fast` for quick loops).
# Django 6 needs Python 3.12+; PYTHON=... overrides the search below.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell \
	for c in python3.14 python3.13 python3.12 python3; do \
		if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
			command -v $$c; exit 0; fi; \
	done; \
	root="$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}")"; \
	if [ -d "$$root/versions" ]; then \
		for v in $$(ls -1 "$$root/versions" | sort -rV); do \
			p="$$root/versions/$$v/bin/python3"; \
			if [ -x "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
				echo "$$p"; exit 0; fi; \
		done; \
	fi)
endif

.PHONY: run test test-fast serve lint format install install-test check-python print-python clean

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is required (Django 6). Install one, or run: make PYTHON=/path/to/python3.12 ..." >&2; \
		exit 1; fi

$(VENV)/.installed: pyproject.toml | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

print-python: check-python
	@echo $(PYTHON)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: export DJANGO_DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py ensure_local_admin
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production-like serving on 127.0.0.1: DEBUG off, hashed and compressed static files,
# gunicorn (gunicorn.conf.py). No TLS here, so the HTTPS redirect is off unless you ask.
# Without DEBUG a strong DJANGO_SECRET_KEY is required: unless you set one, this local
# run uses the checkout's git-ignored `.secret_key` (created on first use, mode 600).
.secret_key:
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: export DJANGO_SECRET_KEY ?= $(shell cat .secret_key 2>/dev/null)
serve: install .secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn config.wsgi -c gunicorn.conf.py

# Everything, then branch coverage of the project's code (a report, not a gate:
# [tool.coverage.*] in pyproject.toml).
test: install-test
	$(BIN)/python -m pytest -n 2 --cov --cov-report=term $(PYTEST_ARGS)

# The quick loop: no browser tests, no slow ones (real processes), no coverage.
test-fast: install-test
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser" $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .pytest_cache
