# PhốiHợp — the two set-up commands are `make demo` and `make test`; each builds .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test test-fast test-browser quality format messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# vietnam-provinces 2026.9.0 declares Python 3.12+ but runs on 3.11 (README, Dependencies).
	$(BIN)/pip install --quiet --ignore-requires-python "vietnam-provinces==2026.9.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/phoihop demo --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m phoihop.devtools.compilemessages
	$(BIN)/pytest

quality: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy phoihop config
	PHOIHOP_MODE=test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/test-results
