# Two commands on a fresh machine: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
SOURCES ?= corpus/sources.yaml
PYTEST_ARGS ?=

.PHONY: run test install install-dev browser lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(PIP) -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -c requirements.lock -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## Migrate ./vnfacts.db and run the ingest flow over the bundled corpus: a progress bar, then a summary per source.
run: $(VENV)/.installed
	$(BIN)/vnfacts db upgrade
	$(BIN)/vnfacts run --sources $(SOURCES)

## The test suite (PostgreSQL tests need the server at 127.0.0.1:5432; CI requires them and the browser).
test: $(VENV)/.installed-dev browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Debian's Chromium for the Playwright browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
	  echo "chromium missing and not installable here: browser tests will be skipped"; }

## Re-pin every dependency after changing pyproject.toml.
lock: $(BIN)/python
	$(PIP) -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^vnfacts' > requirements.lock

clean:
	rm -rf $(VENV) vnfacts.db vnfacts.db-wal vnfacts.db-shm .pytest_cache artifacts
