# Every target creates the virtualenv on first use, so a fresh clone needs only Python 3.11 and pip.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format demo bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## the dashboard on the demo warehouse (built on first start)
	$(PY) -m streamlit run app.py --server.address 127.0.0.1 --browser.gatherUsageStats false

test: $(STAMP)  ## the whole test suite
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

demo: $(STAMP)  ## build the demo warehouse at data/demo.duckdb
	$(PY) -m etl demo --db data/demo.duckdb

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis data
