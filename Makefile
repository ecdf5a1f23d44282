# jobpulse: `make demo` runs the whole pipeline locally; `make test` tests it.
SHELL := /bin/bash
GO    ?= go
BIN   := bin
LOCAL := .local
PKGS  := ./pkg/... ./services/extractor/... ./services/transformer/... ./services/loader/... ./services/dashboard/...
JOBS  := extractor transformer loader
# Seed and clock of the Saramin emulator's synthetic market (make e2e SEED=7).
SEED  ?= 42
NOW   ?= 2026-11-25T00:00:00+09:00
# Seconds of real time per simulated hour in `make demo`.
HOUR  ?= 15s
# staticcheck, pinned, with every check; make test fails on any finding.
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -checks all

.PHONY: all deps build test e2e soak demo bench emulator images vet fmt clean help findings

all: build

help:
	@echo "make demo      run the whole pipeline locally (emulators, jobs, warehouse) on an accelerated hourly schedule, with the dashboard at http://127.0.0.1:8080"
	@echo "make test      unit and integration tests (start their own servers)"
	@echo "make e2e       backfill + two hourly cycles + replay against the local stack; checks the warehouse"
	@echo "make soak      HOURS simulated hours (168) with faults, kills and drift in a third of them; prints lost, duplicated and stale postings against the emulator (not part of make test)"
	@echo "make bench     benchmarks, printed; then the performance goals, written into the README's table (exits 1 if one is missed)"
	@echo "make findings  make e2e, then rewrite the README's findings from its warehouse, as the dashboard reads it"
	@echo "make images    the jobs' and the dashboard's images as tarballs in bin/images (no Docker), with their sizes"
	@echo "make emulator  serve the Saramin API emulator alone on 127.0.0.1:8090"
	@echo "make deps      check and install what the build needs (Go toolchain, C compiler for DuckDB, the dashboard's npm packages, Chromium for its browser test)"

deps:
	@scripts/deps.sh
	@scripts/web.sh

build: deps
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./services/extractor ./services/transformer ./services/loader ./services/dashboard ./pkg/cmd/stack ./pkg/cmd/saramin-emulator ./pkg/cmd/trends-emulator

test: deps
	@unformatted=$$(gofmt -l pkg services); if [ -n "$$unformatted" ]; then echo "gofmt: not formatted: $$unformatted (make fmt)" >&2; exit 1; fi
	TERRAFORM_PINNED=1 scripts/terraform.sh fmt -check -recursive -diff infra
	$(GO) vet $(PKGS)
	$(STATICCHECK) $(PKGS)
	$(STATICCHECK) -tags cloud $(PKGS)
	@scripts/googlesql.sh >/dev/null || { [ "$${CI:-}" != true ] && echo "make test: GoogleSQL's analyzer could not be installed, so the tests that judge the BigQuery SQL are skipped" >&2; }
	@command -v chromium >/dev/null || echo "make test: Chromium is not installed, so the dashboard's browser test (TestBrowser) is skipped; as root: apt-get install chromium fonts-noto-cjk" >&2
	$(GO) test -count=1 -timeout 20m $(PKGS)
	$(GO) test -run '^$$' -fuzz '^FuzzParsePage$$' -fuzztime 5s -fuzzminimizetime 1s ./pkg/transform

e2e: build
	$(BIN)/stack e2e -dir $(LOCAL) -bin $(BIN) -seed $(SEED) -now $(NOW)

# The README's findings, read from the warehouse `make e2e` builds.
findings: e2e
	$(GO) run ./pkg/cmd/findings -warehouse $(LOCAL)/warehouse.duckdb -readme README.md

# Simulated hours of `make soak`, and the market it runs on.
HOURS ?= 168
soak: build
	$(BIN)/stack soak -dir $(LOCAL)/soak -bin $(BIN) -seed $(SEED) -now $(NOW) -hours $(HOURS) -history-days 365 -scale 0.3 -ack-deadline 2s

demo: build
	$(BIN)/stack demo -dir $(LOCAL) -bin $(BIN) -seed $(SEED) -hour $(HOUR)

# Images are tagged REPO/NAME:TAG (scripts/deploy.sh sets both).
REPO  ?= jobpulse
TAG   ?= dev
images: deps
	$(GO) run ./pkg/cmd/images -out $(BIN)/images -repo $(REPO) -tag $(TAG)

emulator: build
	$(BIN)/saramin-emulator -addr 127.0.0.1:8090 -seed $(SEED)

# The benchmarks, then the performance goals (pkg/cmd/perf runs their own
# benchmarks, prints them beside their goals and rewrites the README's table).
bench: deps
	$(GO) test -run '^$$' -bench . -skip "$$($(GO) run ./pkg/cmd/perf -list)" -benchmem $(PKGS)
	$(GO) run ./pkg/cmd/perf -readme README.md

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -l -w pkg services

clean:
	rm -rf $(BIN) $(LOCAL)
