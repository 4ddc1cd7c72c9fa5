# The two commands a newcomer needs: `make brief` and `make test`. Both set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: brief check audit test lint bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml setup.py scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# The distribution was called `report` before it was verbatim-briefs: one install only.
	$(BIN)/python -m pip uninstall -q -y report 2>/dev/null || true
	rm -rf report.egg-info
	$(BIN)/python -m pip install -q -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

## Verify and render the sample brief into out/ (PDF and Word), and the same brief written
## in Markdown into out/markdown/ (both are named xi-putin).
brief: setup
	$(BIN)/report build outlines/*.yaml -o $(OUT)
	$(BIN)/report build outlines/*.md -o $(OUT)/markdown

## Verify the sample outlines and Markdown briefs only.
check: setup
	$(BIN)/report check outlines/

## The whole test suite, lint and the docs site included (what CI runs), on every core.
## `mkdocs build --strict` fails on a broken link or anchor in docs/ (not --quiet: it hides
## the warnings that --strict turns into errors).
test: setup
	$(BIN)/ruff check .
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site
	$(BIN)/python -m pytest -n auto --dist worksteal

## The benchmarks (ripgrep, their second baseline, is installed for them only).
bench: setup
	bash scripts/system-deps.sh --bench
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/limits.py

clean:
	rm -rf $(OUT) site .pytest_cache .ruff_cache

## Audit the sample Word draft (two planted misquotes: exit status 1 is expected) and
## write a copy with a comment on each into out/.
audit: setup
	$(BIN)/report audit outlines/xi-putin-draft.docx --annotate $(OUT)/xi-putin-draft.annotated.docx \
		|| test $$? -eq 1
