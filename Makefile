# Everything runs inside .venv, created on first use from constraints.txt.
# Re-running any target on a set-up clone installs nothing: the stamp file
# records the installation and is only redone when pyproject.toml or
# constraints.txt change.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

# Strict: warnings are errors, every cross-reference must resolve. Pages are
# read, and examples run, in JOBS processes.
JOBS ?= 2
SPHINXOPTS ?= -W --keep-going -n -j $(JOBS)
export MLP_SYMMETRY_JOBS := $(JOBS)
BUILDDIR := docs/_build
SPHINXBUILD = $(BIN)/python -m sphinx -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees docs $(BUILDDIR)/html

.PHONY: install test lint docs docs-clean serve bench

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,docs]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

# Incremental: only changed pages and examples are rebuilt and re-executed.
docs: $(STAMP)
	$(SPHINXBUILD)

docs-clean:
	rm -rf $(BUILDDIR) docs/auto_examples docs/gen_modules docs/api/generated docs/jupyter_execute docs/sg_execution_times.rst

serve: docs
	@echo "Serving the site on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(BUILDDIR)/html

# Time the kernels against naive numpy loops and PyTorch (if installed); the
# table is printed and written to benchmarks/results.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks
