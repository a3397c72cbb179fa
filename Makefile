# The two set-up commands: `make run` (demo on the embedded store) and `make test`.
# Set-up is uv (from PyPI, into .pollen/tools) installing exactly the versions of uv.lock.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .pollen/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.pollen/dagster_home
# A step's per-day materializations reach the event log as one batch (pollen_pipeline/runs.py
# sets the same for the pollen command; here for runs the UI launches).
export DAGSTER_EVENT_BATCH_SIZE ?= 1000

.PHONY: run test ui lint format bench lock clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled once at install (~12 s): where PYTHONDONTWRITEBYTECODE is set (this machine,
# CI), every process would otherwise compile Dagster and pandas again (~2-4 s each; make test
# 215 s -> 189 s).
$(BIN)/pollen: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON) --quiet --compile-bytecode
	touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

run: $(BIN)/pollen $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/pollen demo
	@echo "Open the Dagster UI with: make ui  (then http://localhost:3000)"

ui: $(BIN)/pollen $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dg dev

# Whole files go to the workers, longest first (conftest.py orders them; xdist's own reordering,
# by number of tests, would start the one-minute files last). One worker more than cores: files
# wait on other processes (the UI test ~30 s for the backfill daemon's next pass, a browser, the
# CLI), and the extra worker uses those seconds (2 cores: pytest 242 and 296 s with 3 workers,
# 300-330 s with 2, 258 s with 4). The UI test drives Debian's headless Chromium: root installs
# it where it is missing (as on CI); elsewhere that test skips and says why.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')
# Test files (stores, Dagster homes) in memory where /dev/shm exists: Dagster's SQLite event log
# opens a connection and commits for every event (a WAL commit measured 1.2 ms on this disk,
# 0.25 ms in memory; pytest 330.8 -> 263.2 s). Removed after a passing run (~270 MB of memory),
# kept after a failing one.
TEST_TMP := $(if $(wildcard /dev/shm),/dev/shm/pollen-tests-$(shell id -u))

test: $(BIN)/pollen
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "headless Chromium not installed: the UI test will be skipped"
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	  $(if $(TEST_TMP),--basetemp=$(TEST_TMP))
	$(if $(TEST_TMP),rm -rf $(TEST_TMP))

# Benchmarks: floor vs materialize for 1M/5M/10M events in a day, a 90-day single-run backfill
# at 1M a day, and every Grafana panel on the backfilled store (benchmarks/README.md).
bench: $(BIN)/pollen
	$(BIN)/python benchmarks/run.py $(ARGS)

lint: $(BIN)/pollen
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/dg check defs

format: $(BIN)/pollen
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After changing dependencies in pyproject.toml: re-resolve uv.lock (commit both).
lock: | $(UV)
	$(UV) lock

clean:
	rm -rf .pollen
