#!/usr/bin/env bash
# scripts/replica.sh — a real PostgreSQL streaming replica for the read-pool tests
# (issue 16, point 4).
#
# Usage:
#   scripts/replica.sh start   start a project-owned primary and its streaming standby
#   scripts/replica.sh stop    stop both
#
# The machine's PostgreSQL (scripts/services.sh) allows no replication connections
# (its pg_hba.conf has no `replication` line) and is not the project's to reconfigure,
# so the script runs a pair of its own on loopback: a primary (initdb, wal_level=replica,
# replication allowed from 127.0.0.1) on ATRIUM_REPLICA_PRIMARY_PORT (54331) and a
# standby made with `pg_basebackup -R` (standby.signal + primary_conninfo) on
# ATRIUM_REPLICA_PORT (54332). It writes .local/replica.env:
#   ATRIUM_TEST_REPLICA_PRIMARY_URL, ATRIUM_TEST_REPLICA_READ_URL
# which the exports tests read (without them the replica test skips, saying so).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
ENV_FILE="$LOCAL/replica.env"
PRIMARY_PORT="${ATRIUM_REPLICA_PRIMARY_PORT:-54331}"
REPLICA_PORT="${ATRIUM_REPLICA_PORT:-54332}"
HASH="$(printf '%s' "$ROOT" | sha1sum | cut -c1-8)"

log() { printf 'replica.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

bindir() {
	for d in /usr/lib/postgresql/*/bin; do
		[[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/pg_basebackup" ]] && { echo "$d"; return; }
	done
	command -v initdb >/dev/null && dirname "$(command -v initdb)" && return
	die "initdb, pg_ctl and pg_basebackup not found (apt-get install postgresql)"
}

# PostgreSQL refuses to run as root: as root, run it as the postgres user.
run_pg() {
	if [[ $(id -u) -eq 0 ]]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# The base folder: in the project when the postgres user can write there, else /var/tmp.
base() {
	local b="$LOCAL/replica"
	mkdir -p "$b"
	if [[ $(id -u) -eq 0 ]]; then
		chown postgres: "$b" 2>/dev/null || true
		if ! runuser -u postgres -- test -w "$b" 2>/dev/null; then
			b="/var/tmp/atrium-replica-$HASH"
			mkdir -p "$b" && chown postgres: "$b"
		fi
	fi
	echo "$b"
}

ready() { "$BIN/pg_isready" -h 127.0.0.1 -p "$1" -q; }

start() {
	BIN="$(bindir)"
	local b; b="$(base)"
	local primary="$b/primary" standby="$b/standby"
	if ! ready "$PRIMARY_PORT"; then
		if [[ ! -f "$primary/PG_VERSION" ]]; then
			log "initdb $primary"
			run_pg "$BIN/initdb" -D "$primary" -U postgres -A trust -E UTF8 --no-locale >"$b/initdb.log" 2>&1 ||
				die "initdb failed ($b/initdb.log)"
			cat >>"$primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$b'
wal_level = replica
max_wal_senders = 4
fsync = off
CONF
			grep -q '^host *replication' "$primary/pg_hba.conf" ||
				echo 'host replication all 127.0.0.1/32 trust' >>"$primary/pg_hba.conf"
		fi
		run_pg "$BIN/pg_ctl" -D "$primary" -l "$b/primary.log" -w -t 60 start >/dev/null ||
			die "primary did not start ($b/primary.log)"
	fi
	if ! ready "$REPLICA_PORT"; then
		if [[ ! -f "$standby/standby.signal" ]]; then
			rm -rf "$standby"
			log "pg_basebackup → $standby"
			run_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$standby" -R -X stream \
				>"$b/basebackup.log" 2>&1 || die "pg_basebackup failed ($b/basebackup.log)"
			cat >>"$standby/postgresql.conf" <<CONF
port = $REPLICA_PORT
hot_standby = on
CONF
		fi
		run_pg "$BIN/pg_ctl" -D "$standby" -l "$b/standby.log" -w -t 60 start >/dev/null ||
			die "standby did not start ($b/standby.log)"
	fi
	mkdir -p "$LOCAL"
	cat >"$ENV_FILE" <<ENV
# Written by scripts/replica.sh — source it: . .local/replica.env
export ATRIUM_TEST_REPLICA_PRIMARY_URL='postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres?sslmode=disable'
export ATRIUM_TEST_REPLICA_READ_URL='postgres://postgres@127.0.0.1:$REPLICA_PORT/postgres?sslmode=disable'
ENV
	log "primary on $PRIMARY_PORT, standby on $REPLICA_PORT; settings in $ENV_FILE"
}

stop() {
	BIN="$(bindir)"
	local b; b="$(base)"
	for d in "$b/standby" "$b/primary"; do
		[[ -f "$d/postmaster.pid" ]] && run_pg "$BIN/pg_ctl" -D "$d" -m fast -w -t 60 stop >/dev/null || true
	done
	rm -f "$ENV_FILE"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
*) die "usage: scripts/replica.sh start|stop" ;;
esac
