# Everything runs from the repo's own virtual environment (.venv), created on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint eval bench serve lexicon endings train-morph train-ner results clean reliability reliability-short check-artifacts fuzz

$(STAMP): pyproject.toml setup.py src/muragat/morph/_crf.c
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres,batch,web,formats]'
	touch $(STAMP)

## The main job on the embedded default: analyse the bundled demo documents into the SQLite
## store muragat.db, then search it by lemma and list the people, places and bodies found.
demo: $(STAMP)
	$(VENV)/bin/muragat ingest demo --db muragat.db
	$(VENV)/bin/muragat search комиссия --db muragat.db --limit 3
	$(VENV)/bin/muragat entities --db muragat.db --type PERSON

## The test suite (pytest's exit code 5, "no tests ran", counts as a failure).
test: $(STAMP)
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts

## Accuracy on ../shared/data and the sample article.
eval: $(STAMP)
	$(PY) scripts/eval_text.py
	$(PY) scripts/eval_morph.py --cache build/morph-cv  # ten folds trained once into build/morph-cv, each tagged by `muragat analyze --from conllu --to conllu` as a process
	$(PY) scripts/eval_ner.py --cli --cache build/ner-cv  # five folds trained once into build/ner-cv, each tagged by `muragat analyze --from bio --to bio` as a process
	$(PY) scripts/eval_ner.py --sample-gold
	$(PY) scripts/eval_values.py
	$(PY) scripts/eval_search.py
	$(PY) scripts/eval_search.py --kazqad  # KazQAD dev half through one `muragat search --batch --documents` process
	$(PY) scripts/eval_facts.py
	$(PY) scripts/eval_entities.py --split dev  # team gold: people and bodies, pairwise and B-cubed, through ingest + entities
	$(PY) scripts/eval_entities.py --split heldout

## Speed.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) scripts/bench_pipeline.py
	$(PY) scripts/bench_text.py
	$(PY) scripts/bench_morph.py
	$(PY) scripts/bench_ner.py
	$(PY) scripts/bench_values.py
	$(PY) scripts/bench_store.py --docs 20000
	$(PY) scripts/bench_batch.py --docs 1000
	$(PY) scripts/bench_web.py --copies 30
	$(PY) scripts/bench_web_jobs.py
	$(PY) scripts/bench_edits.py

## The web UI and JSON API over muragat.db (http://127.0.0.1:8000/, OpenAPI at /api/v1/openapi.json).
serve: $(STAMP)
	$(VENV)/bin/muragat serve --db muragat.db

## Rebuild the shipped artifacts (seeded, reproducible).
lexicon: $(STAMP)
	$(PY) scripts/build_lexicon.py
endings: $(STAMP)  # after any change to morph/data/tactics.json or morph/data/phonology.json
	$(PY) scripts/build_endings.py
train-morph: $(STAMP)
	$(PY) scripts/train_morph.py
train-ner: $(STAMP)
	$(PY) scripts/train_ner.py
## Every shipped artifact against its manifest (format version, size, sha256).
check-artifacts: $(STAMP)
	$(PY) -m muragat.artifacts

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache muragat.db muragat.db-wal muragat.db-shm

## Rerun every evaluation and benchmark and write their output to BENCHMARKS.md.
results: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) scripts/results.py

## Reliability and security figures (issue 23): fuzzing, kill -9, concurrency, hostile input.
reliability: $(STAMP)
	$(PY) scripts/reliability.py
reliability-short: $(STAMP)
	$(PY) scripts/reliability.py --short
fuzz: $(STAMP)
	$(PY) scripts/reliability.py --rows fuzz,query --scale 5
