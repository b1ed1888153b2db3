#!/usr/bin/env bash
# scripts/generated.sh check — fail when committed generated code is stale: the sqlc
# output against the query files and migrations (sqlc diff), and the gqlgen output
# against schema/ and gqlgen.yml (regenerated in a copy of the tree and compared; the
# work tree is never touched). `make generate` is the fix in both cases.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { printf 'generated: %s\n' "$*" >&2; }

[[ "${1:-check}" == check ]] || { echo "usage: $0 check" >&2; exit 2; }

log "sqlc diff (query files → service/*/internal/queries, storage/internal/queries)"
if ! go tool sqlc diff; then
	echo "FAIL: the sqlc output is stale; run 'make generate' and commit it"
	exit 1
fi

# gqlgen output: regenerated in a copy of the tree (never in the work tree itself, so a
# commit taken meanwhile cannot catch files half-written) and compared with graph/ and
# the resolver files.
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
tar --exclude=./.git --exclude=./.local --exclude=./data -cf - . | tar -xf - -C "$copy"
log "gqlgen generate in a copy (compared with the committed graph/ and resolvers/)"
if ! (cd "$copy" && go run ./internal/gqlgen); then
	echo "FAIL: gqlgen generate failed"
	exit 1
fi
hashes() { (cd "$1" && find graph resolvers -type f -name '*.go' | sort | xargs sha256sum); }
if ! diff <(hashes .) <(hashes "$copy") >&2; then
	echo "FAIL: the gqlgen output is stale; run 'make generate' and commit it"
	exit 1
fi
log "generated code is up to date"
