# The two commands: `make output` (set up, convert samples/ into output/) and
# `make test` (set up, run every test). Both work on a fresh machine.
PYTHON ?= python3
export PYTHAINLP_OFFLINE := 1
export PYTHON

.PHONY: output test setup bench lint

setup:
	@bash scripts/setup.sh

output: setup
	$(PYTHON) -m thaiplan convert samples -o output

test: setup
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check extract normalize thaiplan tests bench

bench: setup
	$(PYTHON) bench/run.py
