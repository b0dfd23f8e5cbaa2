# `make run` and `make test` work on a fresh clone: they create .venv and install on first use,
# and skip the install when nothing it depends on changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LINTER := tools/cypher-lint
LINTER_INSTALLED := $(LINTER)/node_modules/.installed

.PHONY: run test fuzz durability load check lint typecheck export-schema bench clean

# a first run loads the synthetic demo province into an empty graph (GREENMINE_DEMO_ON_START=false: no)
run: $(INSTALLED)
	GREENMINE_DEMO_ON_START=$${GREENMINE_DEMO_ON_START:-true} $(BIN)/greenmine serve

test: $(INSTALLED) $(LINTER_INSTALLED)
	$(BIN)/pytest

# property-based fuzzing of the GraphQL schema with many more examples than `make test` runs,
# and a fresh random seed each time (FUZZ_EXAMPLES per strategy); every injection payload
# through every text argument (`make test` sends each a rotating share)
FUZZ_EXAMPLES ?= 1000
fuzz: $(INSTALLED)
	GREENMINE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) GREENMINE_INJECTION_ALL=1 \
		$(BIN)/pytest tests/test_fuzz.py tests/test_injection.py -q -s

# the kill -9 durability test under each fsync policy (`make test` runs the default, everysec)
durability: $(INSTALLED)
	GREENMINE_DURABILITY_FSYNC=always,everysec,no $(BIN)/pytest tests/test_durability.py -q -s

# the bounded load test, never part of `make test`: a real server on loopback over a fresh demo
# province, LOAD_SECONDS of mixed traffic from LOAD_CLIENTS clients, then every acknowledged write
# reconciled with the graph (exit 1 on any error or mismatch); see docs/load-test.md
LOAD_SECONDS ?= 60
LOAD_CLIENTS ?= 8
load: $(INSTALLED)
	$(BIN)/greenmine bench load --duration $(LOAD_SECONDS) --clients $(LOAD_CLIENTS)

check: lint typecheck test

lint: $(INSTALLED)
	$(BIN)/ruff check .

typecheck: $(INSTALLED)
	$(BIN)/mypy

# the cost curve at 500, 5,000 and 50,000 mines (long: the first run loads each province);
# never part of `make test`. BENCH_ARGS="--runs 3 --resume" tops up to three runs per size.
bench: $(INSTALLED)
	$(BIN)/greenmine bench scale --write-docs $(BENCH_ARGS)

export-schema: $(INSTALLED)
	$(BIN)/greenmine export-schema

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "GreenMine Graph needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(LINTER_INSTALLED): $(LINTER)/package.json $(LINTER)/package-lock.json
	cd $(LINTER) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) $(LINTER)/node_modules .pytest_cache .mypy_cache
