# Two commands matter: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test check lint bench redis clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: setup
	$(BIN)/baogao demo

redis:
	@command -v redis-server >/dev/null || apt-get install -y -q redis-server >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null) \
	  || (echo "make: redis-server is missing and could not be installed (apt-get install redis-server)" && exit 1)

test: lint redis
	$(BIN)/pytest -q

# the fast loop while working: lint, formatting, import layers, types, and the tests not marked slow
check: lint
	$(BIN)/pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data
