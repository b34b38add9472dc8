# Balai: `make run` serves the demo, `make test` runs the suite. `make help` lists every target.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format demo migrate messages bench-pages bench-quiz bench-roster bench-certificates bench-dashboard check-system finish-quizzes clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Balai needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install the venv module (Debian: apt-get install python3-venv)."; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

check-system: venv ## Check the system libraries (Pango for PDFs)
	@$(PY) -m lms.syscheck

migrate: check-system ## Create or update the database
	$(PY) manage.py migrate --no-input

demo: migrate ## Load the demo programme, cohort and accounts (idempotent)
	$(PY) manage.py load_demo_data

run: demo ## Serve the demo on http://127.0.0.1:8000, with the background-task worker beside it
	@echo ""; echo "Balai: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"; echo "Demo logins, password \"desmigratif\": koordinator (coordinator), pelatih (trainer), pendamping001 … pendamping240 (companions)"; echo ""
	@# Two workers stop with the server: one for background tasks (imports, Wagtail's indexing), and
	@# one for certificate PDFs, with the site's settings but no Wagtail loaded (lms/settings/render_worker.py).
	@$(PY) manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	BALAI_SETTINGS=$${DJANGO_SETTINGS_MODULE:-lms.settings.dev} DJANGO_SETTINGS_MODULE=lms.settings.render_worker \
		$(PY) manage.py db_worker --queue-name certificates --no-reload --no-startup-delay & renderer=$$!; \
	trap 'kill $$worker $$renderer 2>/dev/null; wait $$worker $$renderer' EXIT; trap 'exit 130' INT TERM HUP; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv ## Run the whole test suite (installs Pango and Chromium as root on Debian/Ubuntu)
	@$(PY) -m lms.syscheck --install --browser
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest

lint: venv ## Check the code with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv ## Update and compile the Indonesian catalogues, Wagtail's supplement too (needs gettext)
	$(PY) manage.py makemessages --locale id --no-obsolete --no-location --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'
	$(PY) manage.py wagtail_messages
	$(PY) manage.py compilemessages --locale id --locale id_ID --ignore '.venv/*'

bench-pages: check-system ## Measure queries, page weight and requests per second of lesson pages
	$(PY) bench/bench_pages.py

finish-quizzes: venv ## Score the quiz attempts whose time ran out (safe to rerun, e.g. from cron)
	$(PY) manage.py finish_expired_attempts

bench-dashboard: venv ## Measure the dashboard's render time and queries on 100,000 generated companions
	$(PY) bench/bench_dashboard.py

bench-roster: venv ## Time preview and confirm of a 10,000-row roster (XLSX and CSV) against a plain bulk_create
	$(PY) bench/bench_roster.py

bench-quiz: check-system ## Measure autosave and submit under 240 companions taking a quiz at once
	$(PY) bench/bench_quiz.py

bench-certificates: check-system ## Issue 240 certificates, render and sign every PDF with 2 workers, join the print file
	$(PY) bench/bench_certificates.py

clean: ## Remove the virtualenv, database and caches
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .pytest_cache .ruff_cache .cache static
