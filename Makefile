# The two commands: `make output` (set up, convert samples/ into output/) and
# `make test` (set up, run every test). Both work on a fresh machine: the set-up
# script makes a virtual environment .venv from $(PYTHON) and installs into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHAINLP_OFFLINE := 1
export PYTHON VENV

.PHONY: output test setup bench lint wheel-check

setup:
	@bash scripts/setup.sh

output: setup
	$(PY) -m thaiplan convert samples -o output

test: setup
	$(PY) -m pytest

lint:
	$(PY) -m ruff check extract normalize families thaiplan tests bench scripts

bench: setup
	$(PY) bench/run.py

wheel-check: setup
	$(PY) scripts/check_wheel.py
