# 皖救助: `make run` starts the demo, `make test` runs the whole suite.
VENV   := .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: install system-deps fonts run test lint worker beat bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

system-deps:
	@bash scripts/system_deps.sh

# Compact GB 2312 copies of the notice fonts (documents/fonts.py); a no-op once made.
fonts: system-deps $(VENV)/.installed
	$(PY) manage.py build_fonts

install: system-deps $(VENV)/.installed fonts

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py init_dev_pki
	$(PY) manage.py demo_logins
	WJZ_DEMO_MODE=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest

# The habits CI holds the tree to: the import contracts (.importlinter, DESIGN §4.10), no model
# change without its migration, ruff (ruff.toml) and mypy with django-stubs on the project (mypy.ini).
lint: install
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

worker: install
	$(VENV)/bin/celery -A config worker -l info

beat: install
	$(VENV)/bin/celery -A config beat -l info

bench: install
	$(PY) bench/bench_rules.py
