# Amanah: `make demo` and `make test` work on a fresh machine (they install what they need).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
HOME_DIR ?= demo-home
ORIGIN ?= amanah.example/sy11/al-aqtan

.PHONY: setup demo test lint typecheck imports unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -rf $(HOME_DIR)
	$(BIN)/amanah --home $(HOME_DIR) init --origin $(ORIGIN) --party "al-Aqtan prison administration"
	$(BIN)/amanah --home $(HOME_DIR) demo
	@echo; echo "One person's record and history (synthetic):"
	$(BIN)/amanah --home $(HOME_DIR) person show D-000001
	@echo; echo "Search by part of a name, in Arabic script and in Latin letters:"
	$(BIN)/amanah --home $(HOME_DIR) person search "الحسن" --limit 3
	$(BIN)/amanah --home $(HOME_DIR) person search "hasan" --limit 3
	@echo; echo "Latest signed checkpoint:"
	@$(BIN)/amanah --home $(HOME_DIR) ledger checkpoint
	@echo; echo "Audit:"
	$(BIN)/amanah --home $(HOME_DIR) ledger verify

lint: setup
	$(BIN)/ruff check src tests bench

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

test: lint typecheck imports
	$(BIN)/pytest -q -n 2 --dist loadfile

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(HOME_DIR) .mypy_cache .ruff_cache .pytest_cache .hypothesis
