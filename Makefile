# PhốiHợp — the two set-up commands are `make demo` and `make test`; each builds .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600

.PHONY: install demo test browser-deps quality format clean

# vietnam-provinces 2026.9.0 declares Python 3.12+ but runs on 3.11 (README, Dependencies), so
# it goes in first with --ignore-requires-python; the editable install then finds it satisfied.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "PhốiHợp needs Python 3.11 or newer (PYTHON=$(PYTHON))." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --ignore-requires-python "vietnam-provinces==2026.9.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/phoihop demo --host $(HOST) --port $(PORT)

# The browser tests drive Debian's chromium; fonts-liberation2 carries the Vietnamese letters.
# Installed here when missing (as root with apt); otherwise the run stops, never skips them.
browser-deps:
	@if [ -x /usr/bin/chromium ] && dpkg-query -W -f='$${Status}' fonts-liberation2 2>/dev/null \
	    | grep -q "ok installed"; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing chromium and fonts-liberation2 for the browser tests"; \
	  $(APT_GET) update && $(APT_GET) install --no-install-recommends chromium fonts-liberation2; \
	elif [ -x /usr/bin/chromium ]; then \
	  echo "make: WARNING fonts-liberation2 is missing; Vietnamese text may render badly" \
	       "in screenshots (apt-get install fonts-liberation2)." >&2; \
	else \
	  echo "make test: /usr/bin/chromium is missing and cannot be installed without root." >&2; \
	  echo "Run: sudo apt-get install chromium fonts-liberation2" >&2; \
	  exit 1; \
	fi
	@test -x /usr/bin/chromium || { echo "make test: /usr/bin/chromium still missing" >&2; exit 1; }

test: $(STAMP) browser-deps
	$(BIN)/python -m phoihop.devtools.compilemessages
	$(BIN)/pytest $(PYTEST_ARGS)

quality: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	PHOIHOP_MODE=test $(BIN)/mypy phoihop phoihop_dev config
	PHOIHOP_MODE=test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) test-results
