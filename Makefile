# khaojing — the two commands: `make run` (the product with demo data) and `make test` (everything the tests need).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
DEB_PACKAGES := chromium fonts-thai-tlwg tesseract-ocr tesseract-ocr-tha poppler-utils libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run test test-sqlite test-postgres bench lint install system-deps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Debian packages the tests need (browser, Thai fonts, OCR) (installed when missing and running as root).
system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:$$missing (not root: browser tests will be skipped)"; fi; \
	fi

## Start khaojing on SQLite with demo data at http://127.0.0.1:8000
run: $(STAMP)
	@mkdir -p data
	KHAOJING_DEV_MODE=true $(BIN)/khaojing db upgrade
	KHAOJING_DEV_MODE=true $(BIN)/khaojing demo load
	KHAOJING_DEV_MODE=true $(BIN)/khaojing serve

## The whole suite on SQLite and on PostgreSQL when it answers on 127.0.0.1:5432 (always on CI)
## (the two runs go side by side, one per core; each one's output is printed whole when it ends)
test: $(STAMP) system-deps
	@if [ -n "$$KHAOJING_TEST_DATABASE_URL" ] || scripts/postgres-ready "$(PG_URL)"; then \
	  $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required on CI and does not answer"; exit 1; \
	else $(MAKE) --no-print-directory test-sqlite && \
	  echo "PostgreSQL does not answer on 127.0.0.1:5432: skipped the PostgreSQL run"; fi

test-sqlite: $(STAMP)
	@echo "== test suite on SQLite"
	env -u KHAOJING_TEST_DATABASE_URL $(BIN)/pytest -q --durations=25

test-postgres: $(STAMP)
	@echo "== test suite on PostgreSQL"
	@# the fault test restarts the local PostgreSQL for real when it may (root, Debian's pg_ctlcluster)
	KHAOJING_TEST_RESTART_POSTGRES=$$( [ "$$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && echo 1 || echo 0 ) \
	KHAOJING_TEST_DATABASE_URL=$${KHAOJING_TEST_DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q --durations=25 -m "not browser"

## Benchmarks: intake, matching (100k and 1M claims), LINE webhook, verdict pages, dashboards; then one table in
## benchmarks/results/summary.md and docs/benchmarks.md (each figure beside its target and a baseline)
bench: $(STAMP)
	$(BIN)/python benchmarks/intake_bench.py
	$(BIN)/python benchmarks/matching_bench.py
	$(BIN)/python benchmarks/webhook_bench.py --postgres
	$(BIN)/python benchmarks/publication_bench.py
	$(BIN)/python benchmarks/trends_bench.py
	$(BIN)/python benchmarks/summary.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
