#!/usr/bin/env bash
# joins.sh: builds eesim, writes the datasets of backtest, ingest, history
# and simulate, and checks with DuckDB that they join on their keys without
# losing a row (.ci/joins.mjs; docs/datasets.md, "Conventions").
#
# DuckDB comes from the npm registry (@duckdb/node-api), installed into a
# cache folder only when it is missing: $EESIM_CI_CACHE (default
# ~/.cache/eesim-ci)/node_modules. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${EESIM_CI_CACHE:-$HOME/.cache/eesim-ci}
duckdb_version=1.5.6-r.1
mkdir -p "$cache"
if [ ! -f "$cache/node_modules/@duckdb/node-api/package.json" ] ||
	! grep -q "\"version\": \"$duckdb_version\"" "$cache/node_modules/@duckdb/node-api/package.json"; then
	echo "installing @duckdb/node-api $duckdb_version into $cache"
	(cd "$cache" && { [ -f package.json ] || echo '{"private":true}' >package.json; } &&
		npm install --no-audit --no-fund --silent "@duckdb/node-api@$duckdb_version")
fi
work=$(mktemp -d /tmp/eesim-joins.XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o "$work/eesim" ./cmd/eesim
export EESIM_CACHE_DIR=$work/cache
"$work/eesim" backtest --mode replay --from 2025-10-01 --runs 4 --out "$work/backtest" >/dev/null 2>&1
"$work/eesim" ingest --out "$work/ingest" >/dev/null 2>&1
"$work/eesim" history --out "$work/history" >/dev/null 2>&1
# Your own schedule: every run has the same rounds, so quantiles.csv's
# round joins runs.parquet's.
"$work/eesim" simulate --runs 4 --schedule cmd/eesim/testdata/simulate/two-rounds.csv --out "$work/simulate" >/dev/null 2>&1
EESIM_NODE_MODULES=$cache/node_modules node .ci/joins.mjs "$work"
