# Digis: `make dev` runs the whole stack, `make test` runs the suite. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PNPM_VERSION := $(shell sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)
PNPM := .tools/node_modules/.bin/pnpm
# Runs a command with DATABASE_URL / REDIS_URL set, starting project-local servers for unset ones.
WITH_SERVICES := $(BIN)/python -m tools.localservices run --
export PATH := $(CURDIR)/$(BIN):$(CURDIR)/.tools/node_modules/.bin:$(PATH)

.PHONY: help setup lock doctor dev test lint fmt type-check migrate makemigrations check-migrations \
	openapi api-types check-api-types build smoke-prod e2e bench clean stop

# Said after an install from a package registry fails, below the installer's own error.
INSTALL_FAILED = { echo ""; echo "Installing $(1) failed (the error is above). Check the network, a proxy \
(HTTPS_PROXY) and the certificate store (PIP_CERT, NODE_EXTRA_CA_CERTS), then run 'make setup' again." >&2; exit 1; }

# The locks: every version pinned with its hashes, no index address. main.txt is what a
# deployment installs (pyproject.toml's dependencies); dev.txt adds the `dev` extra at the
# same versions. `make lock` after changing pyproject.toml; `LOCK_ARGS=--upgrade` (or
# `--upgrade-package NAME`) to move pins.
PIP_COMPILE := $(BIN)/pip-compile --quiet --no-header --allow-unsafe --strip-extras \
	--generate-hashes --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(VENV)/.installed node_modules/.installed ## Create .venv and install Python and pnpm dependencies

$(VENV)/.installed: requirements/dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Digis needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "pip install --require-hashes -r requirements/dev.txt (into $(VENV)/)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/dev.txt || $(call INSTALL_FAILED,the Python packages)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

lock: $(VENV)/.installed ## Regenerate requirements/main.txt and dev.txt (with hashes) from pyproject.toml
	$(PIP_COMPILE) -o requirements/main.txt pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements/main.txt -o requirements/dev.txt pyproject.toml

$(PNPM): package.json
	@command -v node >/dev/null || { echo "Digis needs Node.js 20 or newer: https://nodejs.org"; exit 1; }
	@echo "npm install pnpm@$(PNPM_VERSION) (into .tools/)"
	@npm install --loglevel=error --no-fund --no-audit --no-save --no-package-lock --prefix .tools \
		pnpm@$(PNPM_VERSION) || $(call INSTALL_FAILED,pnpm (with npm))
	@touch $@

node_modules/.installed: $(PNPM) pnpm-lock.yaml package.json frontend/package.json
	@echo "pnpm install --frozen-lockfile"
	@$(PNPM) install --frozen-lockfile || $(call INSTALL_FAILED,the web app's packages (pnpm))
	@touch $@

doctor: ## Check Python, Node.js, pnpm, free ports, disk and the database/Redis; say what to fix
	@$(PYTHON) -m tools.doctor

dev: setup ## Run API, worker, beat, web app, Stripe emulator and mail sink together
	@$(WITH_SERVICES) $(MAKE) --no-print-directory _dev

_dev: export STRIPE_API_BASE ?= http://127.0.0.1:12111
# The demo's tips can be cashed out at once (production holds them EARNINGS_HOLD_DAYS).
_dev: export EARNINGS_HOLD_DAYS ?= 0
_dev:
	@$(BIN)/aerich upgrade >/dev/null
	@$(BIN)/digis seed-demo
	@echo ""
	@echo "  Digis is starting:"
	@echo "    web app   http://localhost:5173"
	@echo "    API       http://localhost:8000   (docs: http://localhost:8000/docs)"
	@echo "    Stripe    http://localhost:12111  (local emulator; see docs/stripe-emulator.md)"
	@echo "    mail      printed below by 'mail' and kept in .local/mail/"
	@echo "  Ctrl-C stops everything; 'make stop' also stops the local database and Redis."
	@echo ""
	@$(BIN)/python -m tools.foreground $(BIN)/honcho -f Procfile.dev start  # Ctrl-C: exit 0

test: setup ## Run every test: backend and worker (real PostgreSQL, Redis, Celery), then the web app's
	@$(WITH_SERVICES) $(BIN)/pytest --ignore=tests/cluster $(PYTEST_ARGS)
	$(PNPM) -C frontend test

# The worker and pipeline tests once more with RabbitMQ as Celery's broker (Redis keeps its
# other roles). Also the payments resilience tests: they cut the API's path to the broker or
# kill a worker, whichever the broker is. tests/faults/test_rabbitmq_redelivery.py is
# RabbitMQ's own redelivery of a killed worker's message. Without a RabbitMQ at RABBITMQ_URL
# the run is skipped, with one line saying so.
RABBITMQ_URL ?= amqp://guest:guest@127.0.0.1:5672//
RABBITMQ_TESTS := tests/pipeline tests/payments/test_resilience.py tests/faults/test_rabbitmq_redelivery.py

.PHONY: test-rabbitmq
test-rabbitmq: setup ## Run the worker and pipeline tests with RabbitMQ as the broker (RABBITMQ_URL)
	@reason=$$($(BIN)/python -m tools.broker_probe "$(RABBITMQ_URL)"); found=$$?; \
	if [ $$found -eq 0 ]; then \
		CELERY_BROKER_URL="$(RABBITMQ_URL)" $(WITH_SERVICES) $(BIN)/pytest $(RABBITMQ_TESTS) $(PYTEST_ARGS); \
	elif [ $$found -eq 1 ]; then \
		echo "test-rabbitmq: SKIPPED, $$reason; set RABBITMQ_URL to run it"; \
	else \
		echo "test-rabbitmq: $$reason" >&2; exit 1; \
	fi

# The cluster test (tests/cluster/): two API processes, two workers with a MEDIA_ROOT each,
# one beat, one database, a Redis of its own and media in a local S3 server (moto), all
# real processes. `make test` leaves it out (--ignore above) so that CI, which runs this
# target after it, runs each test once.
.PHONY: cluster-test
cluster-test: setup ## Run the cluster test: two APIs, two workers, beat, S3 media (tests/cluster)
	@$(WITH_SERVICES) $(BIN)/pytest tests/cluster $(PYTEST_ARGS)

lint: setup ## ruff, mypy --strict and the frontend's linters
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(PNPM) -C frontend type-check
	$(PNPM) -C frontend lint
	@$(MAKE) --no-print-directory check-api-types

fmt: setup ## Format Python and frontend code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(PNPM) -C frontend format

type-check: setup ## mypy --strict and tsc
	$(BIN)/mypy
	$(PNPM) -C frontend type-check

.PHONY: test-frontend
test-frontend: setup ## Run only the web app's unit tests
	$(PNPM) -C frontend test

migrate: setup ## Apply the migrations to DATABASE_URL (or the local database)
	@$(WITH_SERVICES) $(BIN)/aerich upgrade

makemigrations: setup ## Record model changes as a new migration: make makemigrations NAME=add_thing
	@test -n "$(NAME)" || { echo "usage: make makemigrations NAME=short_description"; exit 2; }
	@$(WITH_SERVICES) $(BIN)/aerich migrate --offline --name $(NAME)

check-migrations: setup ## Fail when a model change has no migration
	@$(WITH_SERVICES) $(BIN)/python -m tools.check_migrations

openapi: setup ## Write the API's OpenAPI document to frontend/src/api/openapi.json
	@$(BIN)/python -m tools.export_openapi frontend/src/api/openapi.json

# The web app's API types: the OpenAPI document and the TypeScript generated from it, both
# committed. `make api-types` after changing the API; `make check-api-types` (in `make lint` and
# CI) fails when they no longer match the code.
OPENAPI_TS := $(PNPM) -C frontend exec openapi-typescript --default-non-nullable=false --alphabetize

api-types: setup ## Regenerate frontend/src/api/openapi.json and schema.d.ts from the API's code
	@$(BIN)/python -m tools.export_openapi frontend/src/api/openapi.json
	@$(OPENAPI_TS) src/api/openapi.json -o src/api/schema.d.ts

check-api-types: setup ## Fail when the committed API types differ from what the API's code gives
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python -m tools.export_openapi "$$tmp/openapi.json" >/dev/null && \
	$(OPENAPI_TS) "$$tmp/openapi.json" -o "$$tmp/schema.d.ts" >/dev/null 2>&1 && \
	stale="" && \
	for f in openapi.json schema.d.ts; do \
		cmp -s "$$tmp/$$f" "frontend/src/api/$$f" || stale="$$stale frontend/src/api/$$f"; \
	done && \
	if [ -n "$$stale" ]; then \
		for f in openapi.json schema.d.ts; do \
			diff -u "frontend/src/api/$$f" "$$tmp/$$f" | head -40; \
		done; \
		echo ""; \
		echo "The committed API types are out of date:$$stale."; \
		echo "Run 'make api-types' and commit the result."; \
		exit 1; \
	fi && echo "API types match the API."

build: setup ## Build the web app into frontend/dist (the API serves it)
	$(PNPM) -C frontend build

# The production smoke (tools/smoke_prod): a fresh virtualenv with only requirements/main.txt
# and the package, the Procfile's api/worker/beat with APP_ENV=production, a journey over
# HTTP. `SMOKE_ARGS="--image digis:ci"` runs the Docker image instead (CI's docker job).
smoke-prod: setup build ## Start the production install (no dev extras) and walk a user journey through it
	@$(WITH_SERVICES) $(BIN)/python -m tools.smoke_prod $(SMOKE_ARGS)

# The end-to-end suite (e2e/README.md): checks for a Chromium (one line says what to install
# when there is none), builds the web app, then pytest starts the whole stack on free ports
# against a fresh database and tears it down, whatever happens. `PYTEST_ARGS="-k follow"`.
e2e: setup ## Run the end-to-end suite in a real browser against the whole stack
	@$(BIN)/python -m e2e.browser
	$(PNPM) -C frontend build
	@rm -rf e2e/artifacts && mkdir -p e2e/artifacts
	@$(WITH_SERVICES) $(BIN)/pytest -c e2e/pytest.ini --rootdir . e2e $(PYTEST_ARGS)

bench: setup ## Measure the hot paths against bare Sanic (needs wrk); see docs/performance.md
	@$(WITH_SERVICES) $(BIN)/python -m bench

stop: ## Stop the project-local database and Redis
	@test -x $(BIN)/python && $(BIN)/python -m tools.localservices down || true

clean: stop ## Remove every installed or generated file (keeps your .env)
	rm -rf $(VENV) node_modules frontend/node_modules .tools frontend/dist .local \
		.mypy_cache .ruff_cache .pytest_cache *.egg-info e2e/artifacts bench/results
