# Smart Customs platform: `make run` and `make test` are all a fresh machine needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python

# `make test TEST_DB=postgresql` runs the suite against PostgreSQL at TEST_POSTGRES_URL.
TEST_DB ?= sqlite
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=

TYPED := shared/shared services/portal/portal services/assessment/assessment services/reports/reports

.PHONY: help bootstrap run test fuzz migrations-check audit lint typecheck fmt i18n i18n-add clean

help: ## List the targets
	@echo "Smart Customs: make <target>"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z0-9-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

bootstrap: ## Install uv if missing, sync .venv from uv.lock, find or fetch a redis-server
	@deploy/local/bootstrap.sh

run: bootstrap ## Start the whole platform (SQLite under data/, demo data) until Ctrl-C
	@$(PYTHON) deploy/local/run.py

test: bootstrap ## Run all tests (TEST_DB=postgresql for PostgreSQL; PYTEST_ARGS=... to pass on)
	TEST_DB=$(TEST_DB) TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) \
		$(PYTHON) deploy/local/with_redis.py $(BIN)/pytest $(PYTEST_ARGS)

fuzz: bootstrap ## Fuzz every API operation longer (FUZZ_MAX_EXAMPLES, 50) and print the report
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-50} TEST_DB=$(TEST_DB) TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) \
		$(PYTHON) deploy/local/with_redis.py $(BIN)/pytest -s -q \
		services/portal/tests/api/test_fuzz.py services/assessment/tests/api/test_fuzz.py \
		services/reports/tests/api/test_fuzz.py $(PYTEST_ARGS)

migrations-check: bootstrap ## Models = migrations, upgrades keep data (TEST_DB=postgresql too)
	TEST_DB=$(TEST_DB) TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) \
		$(PYTHON) deploy/local/with_redis.py $(BIN)/pytest -q shared/tests/test_migrations.py \
		services/portal/tests/integration/test_migrations.py \
		services/assessment/tests/integration/test_migrations.py \
		services/reports/tests/integration/test_migrations.py $(PYTEST_ARGS)

audit: bootstrap ## Audit the locked dependencies for known vulnerabilities (says when it cannot)
	$(PYTHON) deploy/local/audit.py

lint: bootstrap ## ruff check, ruff format --check, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: bootstrap ## mypy on shared and the services
	$(BIN)/mypy $(TYPED)

fmt: bootstrap ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One gettext domain per package holding translations/<lang>/LC_MESSAGES/messages.po. The dates
# pybabel writes in their headers are removed: they would change every file on every run. English
# catalogs get no fuzzy guesses (their ids are the texts); other languages' guesses are marked
# fuzzy for a translator to review (the catalog tests fail until then).
I18N_DOMAINS := shared/shared services/portal/portal services/assessment/assessment services/reports/reports
I18N_KEYWORDS := --no-default-keywords -k gettext -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 -k N_ -k NP_:1c,2

i18n: bootstrap ## Extract, update and compile the interface catalogs (babel.cfg, one domain per package)
	@set -e; for dir in $(I18N_DOMAINS); do \
		[ -d $$dir/translations ] || continue; \
		pot=$$(mktemp --suffix=.pot); \
		$(BIN)/pybabel -q extract -F babel.cfg $(I18N_KEYWORDS) --add-location=file --sort-by-file \
			--add-comments=TRANSLATORS: --project="Smart Customs" --copyright-holder="Smart Customs" -o $$pot $$dir; \
		for po in $$dir/translations/*/LC_MESSAGES/messages.po; do \
			lang=$$(basename $$(dirname $$(dirname $$po))); \
			$(BIN)/pybabel -q update -i $$pot -o $$po -l $$lang --ignore-obsolete \
				$$([ $$lang = en ] && echo --no-fuzzy-matching); \
			sed -i -e '/^"POT-Creation-Date: /d' -e '/^"PO-Revision-Date: /d' $$po; \
		done; \
		$(BIN)/pybabel compile -d $$dir/translations --statistics; \
		rm -f $$pot; \
	done

i18n-add: bootstrap ## Create the catalogs of a new language in every domain: make i18n-add CODE=es
	@test -n "$(CODE)" || { echo "usage: make i18n-add CODE=<language code>"; exit 2; }
	@set -e; for dir in $(I18N_DOMAINS); do \
		[ -d $$dir/translations ] || continue; \
		[ ! -e $$dir/translations/$(CODE) ] || { echo "$$dir: $(CODE) exists"; continue; }; \
		pot=$$(mktemp --suffix=.pot); \
		$(BIN)/pybabel -q extract -F babel.cfg $(I18N_KEYWORDS) --add-location=file --sort-by-file \
			--add-comments=TRANSLATORS: --project="Smart Customs" --copyright-holder="Smart Customs" -o $$pot $$dir; \
		$(BIN)/pybabel init -i $$pot -d $$dir/translations -l $(CODE); \
		sed -i -e '/^"POT-Creation-Date: /d' -e '/^"PO-Revision-Date: /d' $$dir/translations/$(CODE)/LC_MESSAGES/messages.po; \
		rm -f $$pot; \
	done

clean: ## Remove data/ (local databases, logs) and tool caches
	rm -rf data .pytest_cache .ruff_cache .mypy_cache
