# Two set-up commands: `make demo` and `make test` (see README). Both install what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
DEMO := .demo

.PHONY: demo test bench system venv clean

system:
	@bash scripts/install-system-packages.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# compat mode puts the project root on sys.path: every top-level package is importable as edited
	$(PY) -m pip install -q -e '.[dev]' --config-settings editable_mode=compat
	touch $@

demo: system venv
	rm -rf $(DEMO)
	$(VENV)/bin/casefile run fixtures/sample/batch --roster fixtures/sample/roster.csv \
		--report-json $(DEMO)/report.json --workspace $(DEMO)/workspace
	$(VENV)/bin/casefile eval fixtures/sample/truth.json $(DEMO)/report.json

test: system venv
	$(PY) -m pytest -q

bench: system venv
	$(VENV)/bin/casefile bench

clean:
	rm -rf $(DEMO) .casefile .pytest_cache
