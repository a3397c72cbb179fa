# The two set-up commands: `make run` (demo on the embedded store) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.pollen/dagster_home

.PHONY: run test ui lint format bench clean

$(BIN)/pollen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

run: $(BIN)/pollen $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/pollen demo
	@echo "Open the Dagster UI with: make ui  (then http://localhost:3000)"

ui: $(BIN)/pollen $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml

# The UI test drives Debian's headless Chromium: root installs it where it is missing (as on
# CI); elsewhere that test skips and says why.
test: $(BIN)/pollen
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "headless Chromium not installed: the UI test will be skipped"
	$(BIN)/python -m pytest -q

# Benchmarks (issue 6): floor vs materialize for 1M/5M/10M events in a day, a 90-day single-run
# backfill at 1M a day (~50 GB of disk: pass ARGS="--backfill-days 30" on a smaller disk), and
# every Grafana panel on the backfilled store. Figures go to benchmarks/results/latest.json.
bench: $(BIN)/pollen
	$(BIN)/python benchmarks/run.py $(ARGS)

lint: $(BIN)/pollen
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/pollen
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .pollen
