# Two commands do all the set-up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install install-dev assets system-deps lint typecheck bench clean

# `make run` installs what serving needs (the package alone); `make test` adds the `dev`
# extra (pytest, Playwright, ruff, mypy, ...). Each stamp remembers what it installed.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: pyproject.toml $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

install-dev: $(BIN)/.installed-dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	node scripts/build-assets.mjs

system-deps:
	scripts/ensure-system-deps

run: install assets
	SMARTCITY_DEBUG=$${SMARTCITY_DEBUG:-1} $(BIN)/smartcity migrate
	SMARTCITY_DEBUG=$${SMARTCITY_DEBUG:-1} $(BIN)/smartcity demo
	SMARTCITY_DEBUG=$${SMARTCITY_DEBUG:-1} SMARTCITY_DEMO_FEED=$${SMARTCITY_DEMO_FEED:-10} \
		$(BIN)/smartcity serve --host $(HOST) --port $(PORT)

test: install-dev assets system-deps
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/lint-imports --no-cache  # the boundaries between core and the domains
	env -u SMARTCITY_DATABASE_URL $(BIN)/mypy src  # types do not depend on the store
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/lint-imports --no-cache

typecheck: install-dev
	env -u SMARTCITY_DATABASE_URL $(BIN)/mypy src  # types do not depend on the store

bench: install-dev  # the clients (httpx) come with the dev extra
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules src/smartcity/static/vendor
