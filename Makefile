# Amanah: `make demo` and `make test` work on a fresh machine (they install what they need).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
HOME_DIR ?= demo-home
ORIGIN ?= amanah.example/sy11/al-aqtan
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo test lint typecheck imports unit bench clean messages

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
	@echo; echo "Audit of the signed log:"
	$(BIN)/amanah --home $(HOME_DIR) ledger verify
	@echo
	$(BIN)/amanah --home $(HOME_DIR) serve --host $(HOST) --port $(PORT)

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

# Re-extract the web UI's messages and merge them into the catalogues (translate the new
# ones in src/amanah/web/locale/ar/LC_MESSAGES/messages.po; tests fail on any left empty).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
		-o src/amanah/web/locale/messages.pot .
	$(BIN)/pybabel update -i src/amanah/web/locale/messages.pot -d src/amanah/web/locale \
		--no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) $(HOME_DIR) .mypy_cache .ruff_cache .pytest_cache .hypothesis
