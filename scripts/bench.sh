#!/usr/bin/env bash
# scripts/bench.sh — what `make bench` runs: every benchmark of BENCHPKGS against the
# services (scripts/services.sh), then one table of them all.
#
# Each benchmark alternates our operation with its baseline (A B A B … in one run) and
# reports (internal/benchab) our rate (<unit>/s), the baseline's rate (base-<unit>/s)
# and the ratio ours/baseline over the rounds (x-min, x-med, x-max). The table shows,
# per benchmark: name, our rate, the baseline's rate, the median ratio and its range.
#
# Environment:
#   BENCHTIME   go test -benchtime (default 1s; the comparisons do a fixed amount of work)
#   BENCHPKGS   packages (default ./...)
#   BENCHRUN    go test -bench pattern (default .)
#   BENCHOUT    also keep the raw go test output here (default .local/bench.out)
#   BENCHENV    a services.env to use as is instead of running scripts/services.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

env="${BENCHENV:-}"
if [[ -z "$env" ]]; then
	bash scripts/services.sh
	env=.local/services.env
fi
# shellcheck source=/dev/null
. "$env"

out="${BENCHOUT:-.local/bench.out}"
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2086 # BENCHPKGS is a list of packages
set +e
go test -run '^$' -bench "${BENCHRUN:-.}" -benchmem -benchtime="${BENCHTIME:-1s}" ${BENCHPKGS:-./...} 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e

bash scripts/benchtable.sh "$out"
exit "$status"
