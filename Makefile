# dossier — make targets. `make dossier` builds Case 3386; `make test` runs the suite.
VENV ?= .venv
PY := $(VENV)/bin/python
CASE ?= cases/3386

.PHONY: dossier check test lint schemas golden bench docs-images clean

dossier: $(VENV)/.installed  # the build checks first; it prints a summary, not every warning
	@$(VENV)/bin/dossier build $(CASE)
	@echo "Run dossier as $(VENV)/bin/dossier (or: source $(VENV)/bin/activate; dossier --help)"

$(VENV)/.installed: pyproject.toml
	@echo "Installing dossier and its test tools into $(VENV)/ ..."
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[test]'
	@touch $@

check: $(VENV)/.installed
	$(VENV)/bin/dossier check $(CASE)

test: $(VENV)/.installed
	$(PY) -m pytest -n auto  # one worker per core (pytest-xdist)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check dossier tests
	$(VENV)/bin/ruff format --check dossier tests
	$(VENV)/bin/mypy --strict dossier

schemas: $(VENV)/.installed
	$(VENV)/bin/dossier schema --out schemas

golden: $(VENV)/.installed
	DOSSIER_GOLDEN=write $(PY) -m pytest tests/test_render.py -k golden

bench: $(VENV)/.installed  # BENCH_ARGS=--quick: the 2,000-page case only (see bench/README.md)
	$(PY) bench/run.py $(BENCH_ARGS)

docs-images: $(VENV)/.installed
	$(PY) docs/make_images.py

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis
