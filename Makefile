# Everything runs from the repo's own virtual environment (.venv), created on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench train results clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

## The main job on the embedded default: analyse the bundled demo documents.
demo: $(STAMP)
	$(VENV)/bin/muragat analyze demo/*.txt --to text

## The test suite (pytest's exit code 5, "no tests ran", counts as a failure).
test: $(STAMP)
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts

## Accuracy on ../shared/data and the sample article.
eval: $(STAMP)
	$(PY) scripts/eval_text.py

## Speed.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) scripts/bench_text.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache muragat.db muragat.db-wal muragat.db-shm

## Rerun every evaluation and benchmark and paste their output into the README.
results: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) scripts/results.py
