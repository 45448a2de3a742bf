# tsdb-wasm — every target does its own set-up (idempotent, instant when done).
#   make demo    set up, build the npm package, start the dashboard server (PORT=8080)
#   make test    set up, then every test tier: native, headless Chromium + Firefox, npm package
#   make pkg     build the npm package into pkg/
#   make bench   native criterion benches and the in-browser benchmark page (bench-wasm)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# node_modules/.bin first: wasm-pack takes wasm-opt from PATH, and npm's binaryen (v132) handles
# wasm-bindgen's externref table, which Debian's binaryen 108 mangles.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080
HOST ?= 127.0.0.1
WASM_PACK := wasm-pack --log-level warn

.PHONY: setup pkg demo test test-native test-wasm test-npm test-e2e bench bench-wasm clean

setup:
	@bash scripts/setup.sh

# The npm package: pkg/web (browsers, bundlers) + pkg/node (Node, no init), one manifest.
pkg: setup
	$(WASM_PACK) build --release --no-pack --target web --out-dir pkg/web --out-name tsdb_wasm
	$(WASM_PACK) build --release --no-pack --target nodejs --out-dir pkg/node --out-name tsdb_wasm
	node scripts/pkg.mjs

# --seed makes the fleet deterministic, so a restarted server backfills its resume buffer and a
# reconnecting dashboard gets its gap. SERVER_ARGS passes more flags (see `tsdb-server --help`).
SERVER_ARGS ?=
demo: pkg
	cargo build --release -p tsdb-server
	@echo "tsdb-wasm dashboard: http://$(HOST):$(PORT)/"
	./target/release/tsdb-server --host $(HOST) --port $(PORT) --seed 1 $(SERVER_ARGS)

test: setup test-native test-wasm test-npm test-e2e

test-native:
	cargo test --workspace

# wasm-bindgen-test suites (tests/web*.rs) in headless Chromium and Firefox.
test-wasm:
	$(WASM_PACK) test --headless --chrome --firefox -- --test web --test web_query

test-npm: pkg
	node scripts/test-npm.mjs

# The dashboard end to end (tests/e2e/): the real server, headless Chromium via playwright-core.
test-e2e: pkg
	cargo build -p tsdb-server
	node --test tests/e2e/

bench: pkg bench-wasm
	cargo bench -p tsdb-wasm

# The in-browser benchmark page (bench/) in headless Chromium: engine vs plain JS vs DuckDB-WASM.
bench-wasm: pkg
	node bench/run.mjs

clean:
	cargo clean
	rm -rf pkg
