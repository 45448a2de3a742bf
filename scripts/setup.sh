#!/usr/bin/env bash
# Installs everything a fresh machine of this kind lacks; skips what is already there at the
# right version. Idempotent; takes a second when everything is in place.
#   rustup target wasm32-unknown-unknown, wasm-pack, wasm-bindgen-cli (= the locked wasm-bindgen),
#   geckodriver (cargo); chromium, chromium-driver, firefox-esr, binaryen (apt); npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '[setup] %s\n' "$*"; }

# Debian packages run in the background while cargo compiles the Rust tools.
apt_pid=""
need_apt=0
for bin in chromium chromedriver firefox-esr wasm-opt; do
  command -v "$bin" >/dev/null 2>&1 || need_apt=1
done
if [ "$need_apt" = 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get install chromium chromium-driver firefox-esr binaryen (background)"
  ( export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >/tmp/tsdb-setup-apt.log 2>&1 &&
    $SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver firefox-esr binaryen \
      >>/tmp/tsdb-setup-apt.log 2>&1 ) &
  apt_pid=$!
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null 2>&1; then
  log "cargo install wasm-pack"
  cargo install -q wasm-pack
fi

wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  log "cargo install wasm-bindgen-cli --version $wb_version"
  cargo install -q --force wasm-bindgen-cli --version "$wb_version"
fi

if ! command -v geckodriver >/dev/null 2>&1; then
  log "cargo install geckodriver"
  cargo install -q geckodriver
fi

if [ -n "$apt_pid" ]; then
  if ! wait "$apt_pid"; then
    tail -n 30 /tmp/tsdb-setup-apt.log; log "apt-get failed"; exit 1
  fi
fi

# JS tooling (typescript, playwright-core, uplot...), from the committed lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
log "ready"
