# Two commands matter: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test check lint bench redis browser clean

# everything the tests and linters need (the demo's install plus the `test` extra)
setup: $(VENV)/.installed-test

# what the demo needs: the runtime dependencies only, installed with uv (a PyPI wheel: about 1/6 of pip's CPU,
# no bytecode compiled ahead); it honours pip's configured constraints and find-links
PIP_SETTING     = $(shell $(PYTHON) -m pip config list 2>/dev/null | sed -n "s/^global.$(1)='\(.*\)'$$/\1/p")
PIP_CONSTRAINT ?= $(call PIP_SETTING,constraint)
PIP_FIND_LINKS ?= $(call PIP_SETTING,find-links)
UV_OPTS = $(if $(PIP_CONSTRAINT),-c $(PIP_CONSTRAINT)) $(foreach d,$(PIP_FIND_LINKS),--find-links $(d))

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q uv
	$(BIN)/uv pip install -q --python $(BIN)/python $(UV_OPTS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/uv pip install -q --python $(BIN)/python $(UV_OPTS) -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/baogao demo

redis:
	@command -v redis-server >/dev/null || apt-get install -y -q redis-server >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null && apt-get install -y -q redis-server >/dev/null) \
	  || (echo "make: redis-server is missing and could not be installed (apt-get install redis-server)" && exit 1)

# the research page's browser tests drive Debian's chromium through chromedriver (tests/corpus/test_research_page.py)
browser:
	@command -v chromedriver >/dev/null || apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null) \
	  || (echo "make: chromium/chromedriver are missing and could not be installed (apt-get install chromium chromium-driver)" && exit 1)

test: lint redis browser
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
