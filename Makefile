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

test: $(BIN)/pollen
	$(BIN)/python -m pytest -q

lint: $(BIN)/pollen
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/pollen
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .pollen
