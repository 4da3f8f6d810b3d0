# Every target creates the virtualenv on first use, so a fresh clone needs only Python 3.11 and pip.
# Two stamps: running the dashboard installs what running needs; the test and lint targets add
# the test tools (pytest, Playwright, ruff: the `dev` extra) on top.
# A shell started empty (`env -i bash`) has a PATH it does not export: give make the usual one.
ifeq ($(origin PATH),undefined)
export PATH := /usr/local/bin:/usr/bin:/bin
endif

VENV ?= .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.installed

.PHONY: run test test-serial lint format demo docs screenshots bench clean

$(RUN_STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(DEV_STAMP)

run: $(RUN_STAMP)  ## the dashboard on the demo warehouse (built on first start)
	$(VENV)/bin/support-dashboard run

# Two workers (pytest-xdist), each test file on one worker so its module fixtures are built
# once; Spark and Chromium start once per worker, the demo and the real-data loads are built
# once a run and copied to each worker (tests/conftest.py, built_once). The serial
# suite keeps about one of two cores busy (bench/RESULTS.md, "Test suite time, part 2"):
# 19 min serial against 16-17 on two workers (2,982 tests). Files in collection order (tests/conftest.py
# puts the few that take minutes first), not xdist's default most-tests-first, which left them last.
# The 40 slowest tests are listed at the end, so every CI log says where the time goes.
test: $(DEV_STAMP)  ## the whole test suite, on two worker processes
	$(PY) -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder --durations=40

test-serial: $(DEV_STAMP)  ## the whole test suite in one process (slower; plain tracebacks)
	$(PY) -m pytest -q

lint: $(DEV_STAMP)  ## ruff, pinned in the dev extra (CI runs it before the tests)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(DEV_STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

demo: $(RUN_STAMP)  ## build the demo warehouse at data/demo.duckdb
	$(VENV)/bin/support-dashboard demo --db data/demo.duckdb

docs: $(RUN_STAMP)  ## regenerate docs/metrics.md from the metric registry
	$(PY) -m metrics glossary > docs/metrics.md

screenshots: $(DEV_STAMP)  ## regenerate docs/screenshots/ from the demo in Chromium
	$(PY) -m bench.screenshots

bench: $(DEV_STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis data
