#!/usr/bin/env bash
# scripts/generated.sh check — fail when committed generated code is stale: the sqlc
# output against the query files and migrations (sqlc diff), and the gqlgen output
# against schema/ and gqlgen.yml (regenerated into place and compared, then put back,
# so the check never changes the work tree). `make generate` is the fix in both cases.
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

# gqlgen output: graph/ and the resolver files it lays out.
files() { find graph resolvers -type f -name '*.go' | sort; }
snapshot="$(mktemp -d)"
trap 'rm -rf "$snapshot"' EXIT
files | while read -r f; do mkdir -p "$snapshot/$(dirname "$f")"; cp -p "$f" "$snapshot/$f"; done
before="$(files | xargs sha256sum)"
log "gqlgen generate (compared with the committed graph/ and resolvers/)"
status=0
flock /tmp/atrium-gqlgen.lock go run github.com/99designs/gqlgen generate || status=$?
after="$(files | xargs sha256sum)"
# put the tree back exactly as it was
files | while read -r f; do [[ -f "$snapshot/$f" ]] || rm -f "$f"; done
(cd "$snapshot" && find . -type f) | while read -r f; do cp -p "$snapshot/$f" "$f"; done
if [[ $status -ne 0 ]]; then
	echo "FAIL: gqlgen generate failed"
	exit 1
fi
if [[ "$before" != "$after" ]]; then
	diff <(echo "$before") <(echo "$after") | head -20 >&2 || true
	echo "FAIL: the gqlgen output is stale; run 'make generate' and commit it"
	exit 1
fi
log "generated code is up to date"
