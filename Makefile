# Samenplan: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE := samenplan.settings

# `make run` is a local demo over plain http: no TLS redirect, demo users without 2FA,
# e-mail (login links) printed in this terminal. Those settings live in var/local.env, which
# manage.py also reads, so the commands in the README need nothing exported by hand.
# Production sets its own environment (deploy/).
RUN_ENV = env $$(grep -v '^\#' var/local.env)

.PHONY: help run test bench messages test-tools pdf-libs

help:
	@echo "make run    set up and serve the demo at http://127.0.0.1:8000 (Ctrl-C stops it)"
	@echo "make test   run the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)"
	@echo "make bench  measure page throughput and latency (see bench/)"

$(VENV)/.installed: requirements.txt
	@python=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then \
		rm -rf $(VENV) && echo "Creating $(VENV) with $$python" && $$python -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

var/secret_key:
	@mkdir -p var
	@$$(bin/find-python) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

var/local.env: var/secret_key Makefile
	@printf '%s\n' '# Written by `make run` for the local demo; read by manage.py. Never used in production.' \
		SAMENPLAN_DEMO=1 HTTPS=0 "SECRET_KEY=$$(cat var/secret_key)" \
		EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend > $@

# Debian packages are installed only when missing, so a second run needs no network.
define need_deb
	@command -v dpkg >/dev/null || exit 0; missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
endef

messages:
	$(call need_deb,gettext)
	@for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

test-tools: $(VENV)/.test-installed node_modules/.installed
	$(call need_deb,chromium poppler-utils redis-server)

pdf-libs:
	$(call need_deb,libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

run: $(VENV)/.installed messages var/local.env pdf-libs
	@$(RUN_ENV) $(PY) manage.py migrate --noinput -v0
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v0
	@$(RUN_ENV) $(PY) manage.py load_frameworks
	@$(RUN_ENV) $(PY) manage.py load_demo
	@$(RUN_ENV) $(PY) manage.py demo_accounts
	@$(RUN_ENV) bin/serve

# Two processes share the tests (pytest-xdist; measured in the issue-14 note: the suite takes about
# two thirds of the time on two cores); PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadscope) --durations=15

# With PostgreSQL at hand (CI sets TEST_DATABASE_URL) the browser tests run once, on PostgreSQL,
# what production runs on; the tests that use no database under test run once, with SQLite.
# Everything else runs on both.
test: messages test-tools pdf-libs
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
		echo "== The suite on SQLite, without the browser tests (they run on PostgreSQL)"; \
		env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS) -m "not browser" || exit 1; \
		echo "== The suite on PostgreSQL, without the database-independent tests (they ran on SQLite)"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(PY) -m pytest $(PYTEST_ARGS) -m "not database_independent"; \
	else \
		echo "== The whole suite on SQLite"; \
		env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS); \
	fi

bench: $(VENV)/.test-installed messages var/secret_key
	$(call need_deb,wrk redis-server)
	$(PY) bench/pages.py
	$(PY) bench/plan.py
	$(PY) bench/consent.py
	$(PY) bench/cluster.py
