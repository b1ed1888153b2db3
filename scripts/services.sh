#!/usr/bin/env bash
# scripts/services.sh — make sure the services Atrium needs are reachable.
#
# Usage:
#   scripts/services.sh [pg] [redis] [mqtt] [minio]   ensure these (no args = all four)
#   scripts/services.sh stop                          stop project-owned instances
#
# For each requested service the script first probes the standard port on
# 127.0.0.1. If a usable server answers there it is used as is. Otherwise a
# project-owned instance is started under .local/<service>/ on a project port
# (installing the Debian package first if the binary is missing). Whatever was
# found is written to .local/services.env as sourceable `export K='V'` lines.
#
# Environment knobs:
#   ATRIUM_FORCE_LOCAL=1         skip the standard-port probe, always use a project instance
#   ATRIUM_PG_PORT=5432          standard ports that are probed first
#   ATRIUM_REDIS_PORT=6379
#   ATRIUM_MQTT_PORT=1883
#   ATRIUM_MINIO_PORT=9000
#   ATRIUM_PG_LOCAL_PORT=54329   ports of the project-owned instances
#   ATRIUM_REDIS_LOCAL_PORT=63799
#   ATRIUM_MQTT_LOCAL_PORT=18883
#   ATRIUM_MINIO_LOCAL_PORT=19000 (console on ATRIUM_MINIO_CONSOLE_PORT=19001)
#
# Project-owned instances are never started twice (the project port is probed
# before starting), and `stop` only ever touches those instances — system
# services on the standard ports are left alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
ENV_FILE="$LOCAL/services.env"
HOST=127.0.0.1

FORCE_LOCAL="${ATRIUM_FORCE_LOCAL:-0}"

PG_PORT="${ATRIUM_PG_PORT:-5432}"
REDIS_PORT="${ATRIUM_REDIS_PORT:-6379}"
MQTT_PORT="${ATRIUM_MQTT_PORT:-1883}"
MINIO_PORT="${ATRIUM_MINIO_PORT:-9000}"

PG_LOCAL_PORT="${ATRIUM_PG_LOCAL_PORT:-54329}"
REDIS_LOCAL_PORT="${ATRIUM_REDIS_LOCAL_PORT:-63799}"
MQTT_LOCAL_PORT="${ATRIUM_MQTT_LOCAL_PORT:-18883}"
MINIO_LOCAL_PORT="${ATRIUM_MINIO_LOCAL_PORT:-19000}"
MINIO_CONSOLE_PORT="${ATRIUM_MINIO_CONSOLE_PORT:-19001}"

# Credentials of the project-owned MinIO.
MINIO_LOCAL_USER=atrium
MINIO_LOCAL_SECRET=atrium-secret-key
# The one MinIO build we install when none is present (Debian has no package).
MINIO_MODULE="github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c"

# How long (seconds) a freshly started service may take to become ready.
READY_TIMEOUT=60

# A short, stable id of this checkout, used for paths outside the project.
PROJECT_HASH="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

log() { printf 'services: %s\n' "$*" >&2; }
# shellcheck source=scripts/progress.sh
. "$ROOT/scripts/progress.sh"
die() {
	printf 'services: ERROR: %s\n' "$*" >&2
	exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [[ "$(id -u)" -eq 0 ]]; }

# True if something accepts TCP connections on 127.0.0.1:$1.
tcp_open() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

# True if GET http://127.0.0.1:$1$2 answers 200 (curl if present, else bash).
http_ok() {
	local port="$1" path="$2"
	if have curl; then
		curl -sf -o /dev/null --max-time 3 "http://$HOST:$port$path"
	else
		# shellcheck disable=SC2016 # expanded by the inner bash
		timeout 3 bash -c '
			exec 3<>"/dev/tcp/$0/$1" || exit 1
			printf "GET %s HTTP/1.0\r\nHost: %s:%s\r\n\r\n" "$2" "$0" "$1" >&3
			IFS= read -r status <&3
			[[ "$status" == HTTP/1.?" 200"* ]]' "$HOST" "$port" "$path" 2>/dev/null
	fi
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if is_root; then
		"$@"
	elif have sudo; then
		sudo -n "$@"
	else
		die "need root to run: $* (run as root or install it yourself)"
	fi
}

# apt-get update runs at most once per run (ATRIUM_APT_UPDATED=1 is exported
# by scripts/test.sh and .ci/run once they have run it).
apt_install() {
	have apt-get || die "apt-get not found; please install these packages yourself: $*"
	if [[ "${ATRIUM_APT_UPDATED:-0}" != 1 ]]; then
		log "apt-get update"
		progress services "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 9>&-
		export ATRIUM_APT_UPDATED=1
	fi
	log "apt-get install -y $*"
	# fd 9 (our lock) closed: package scripts may start long-lived daemons.
	progress services "apt-get install $*" as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 9>&-
}

# wait_until TIMEOUT NAME LOGFILE CMD... — poll CMD once a second until it
# succeeds; fail with a message naming the service and its log otherwise.
wait_until() {
	local timeout="$1" name="$2" logfile="$3"
	shift 3
	local i
	for ((i = 0; i < timeout; i++)); do
		if "$@"; then
			return 0
		fi
		sleep 1
	done
	if [[ -f "$logfile" ]]; then
		log "last lines of $logfile:"
		tail -n 20 "$logfile" >&2 || true
	fi
	die "$name did not become ready within ${timeout}s (log: $logfile)"
}

# pid_alive PIDFILE NAME — true if the pid in PIDFILE runs a process whose
# command line contains NAME (guards against reused pids).
pid_alive() {
	local pidfile="$1" name="$2" pid
	[[ -s "$pidfile" ]] || return 1
	pid="$(head -n1 "$pidfile")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	[[ -r "/proc/$pid/cmdline" ]] || return 1
	local cmdline
	cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ "$cmdline" == *"$name"* ]]
}

# kill_pid PID NAME [SIGNAL] — send SIGNAL (default TERM), wait up to 10 s
# for the process to exit, then SIGKILL it.
kill_pid() {
	local pid="$1" name="$2" sig="${3:-TERM}" i
	kill "-$sig" "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 20; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.5
	done
	log "$name (pid $pid) ignored SIG$sig; sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null || true
	sleep 0.5
}

# stop_pidfile PIDFILE NAME — stop the project process recorded in PIDFILE.
stop_pidfile() {
	local pidfile="$1" name="$2" pid
	if pid_alive "$pidfile" "$name"; then
		pid="$(head -n1 "$pidfile")"
		log "stopping project $name (pid $pid)"
		kill_pid "$pid" "$name"
	fi
	rm -f "$pidfile"
}

# reap_orphans NAME REGEX [SIGNAL] — find processes whose command line matches
# REGEX, whose first group is the instance's data directory. Instances whose
# data directory no longer exists were left behind by a deleted checkout
# (e.g. an earlier CI clone) and cannot work any more: stop them. True if
# one was stopped, so that the caller starts a fresh instance.
reap_orphans() {
	local name="$1" re="$2" sig="${3:-TERM}" f pid dir reaped=1
	local -a args
	for f in /proc/[0-9]*/cmdline; do
		mapfile -d '' -t args 2>/dev/null <"$f" || continue
		((${#args[@]})) || continue
		[[ "${args[*]}" =~ $re ]] || continue
		dir="${BASH_REMATCH[1]}"
		[[ -d "$dir" ]] && continue
		pid="${f#/proc/}"
		pid="${pid%/cmdline}"
		log "$name (pid $pid) uses $dir, which no longer exists (left from a deleted checkout); stopping it"
		kill_pid "$pid" "$name" "$sig"
		reaped=0
	done
	return "$reaped"
}

# Values found by the ensure_* functions; written to the env file at the end.
declare -A ENV_VALUES=()
# Keys owned by each service (used to replace them in an existing env file).
declare -A SERVICE_KEYS=(
	[pg]="ATRIUM_TEST_PG_URL ATRIUM_DATABASE_URL"
	[redis]="ATRIUM_REDIS_URL"
	[mqtt]="ATRIUM_TEST_MQTT_URL"
	[minio]="ATRIUM_TEST_S3_ENDPOINT ATRIUM_TEST_S3_ACCESS_KEY ATRIUM_TEST_S3_SECRET_KEY"
)

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------

PG_USER=""

# pg_usable PORT — true if a PostgreSQL on PORT lets user postgres (or root)
# in without a password and may create databases; sets PG_USER.
pg_usable() {
	local port="$1" user ok
	if have pg_isready; then
		pg_isready -q -h "$HOST" -p "$port" -t 3 || return 1
	else
		tcp_open "$port" || return 1
	fi
	for user in postgres root; do
		ok="$(PGCONNECT_TIMEOUT=3 psql -w -X -q -h "$HOST" -p "$port" -U "$user" -d postgres -tAc \
			"select rolcreatedb or rolsuper from pg_roles where rolname = current_user" 2>/dev/null || true)"
		if [[ "$ok" == t ]]; then
			PG_USER="$user"
			return 0
		fi
	done
	return 1
}

# Directory holding the PostgreSQL binaries (initdb, pg_ctl), preferring the
# major version an existing data dir was created with.
pg_bindir() {
	local want="${1:-}" dir
	if [[ -n "$want" && -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]]; then
		echo "/usr/lib/postgresql/$want/bin"
		return 0
	fi
	[[ -n "$want" ]] && return 1
	if have initdb && have pg_ctl; then
		dirname "$(command -v pg_ctl)"
		return 0
	fi
	dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n1)"
	[[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || return 1
	echo "$dir"
}

# run_pg CMD... — run a PostgreSQL server command. PostgreSQL refuses to run
# as root, so as root it runs as the `postgres` system user (from / so that
# an unreadable current directory does not matter); otherwise as ourselves.
run_pg() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# Candidate base directories of the project PostgreSQL: inside the project,
# or (when the postgres user cannot reach the project dir) under /var/tmp.
PG_BASE_IN_PROJECT="$LOCAL/pg"
PG_BASE_FALLBACK="/var/tmp/atrium-pg-$PROJECT_HASH"

# Choose (and create) the base dir for a new project PostgreSQL.
pg_choose_base() {
	local base
	for base in "$PG_BASE_IN_PROJECT" "$PG_BASE_FALLBACK"; do
		if [[ -f "$base/data/PG_VERSION" ]]; then
			echo "$base"
			return 0
		fi
	done
	if ! is_root; then
		mkdir -p "$PG_BASE_IN_PROJECT"
		echo "$PG_BASE_IN_PROJECT"
		return 0
	fi
	mkdir -p "$PG_BASE_IN_PROJECT"
	chown postgres: "$PG_BASE_IN_PROJECT"
	chmod 700 "$PG_BASE_IN_PROJECT"
	if runuser -u postgres -- test -w "$PG_BASE_IN_PROJECT" -a -x "$PG_BASE_IN_PROJECT" 2>/dev/null; then
		echo "$PG_BASE_IN_PROJECT"
		return 0
	fi
	rmdir "$PG_BASE_IN_PROJECT" 2>/dev/null || true
	log "the postgres user cannot reach $LOCAL (a parent directory is not traversable);"
	log "keeping the project PostgreSQL data in $PG_BASE_FALLBACK instead"
	install -d -m 700 -o postgres -g postgres "$PG_BASE_FALLBACK"
	echo "$PG_BASE_FALLBACK"
}

start_local_pg() {
	local base data sockdir logfile bindir version
	if is_root && ! getent passwd postgres >/dev/null; then
		# Normally created by the postgresql package.
		log "creating system user postgres"
		useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
	fi
	base="$(pg_choose_base)"
	data="$base/data"
	logfile="$base/postgres.log"
	# Unix socket paths are limited to ~107 bytes; keep it short if needed.
	sockdir="$base/run"
	if ((${#sockdir} > 80)); then
		sockdir="/tmp/atrium-pg-$PROJECT_HASH"
	fi

	if [[ -f "$data/PG_VERSION" ]]; then
		version="$(cat "$data/PG_VERSION")"
		bindir="$(pg_bindir "$version")" ||
			die "project PostgreSQL in $data was made by PostgreSQL $version, whose binaries are missing (install postgresql-$version or remove $data)"
	else
		bindir="$(pg_bindir)" || die "PostgreSQL binaries not found even after installing postgresql"
		log "initialising project PostgreSQL in $data"
		run_pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >"$LOCAL/pg-initdb.log" 2>&1 ||
			die "initdb failed (log: $LOCAL/pg-initdb.log)"
		# Loopback only, our own socket dir, and settings suited to a throwaway
		# development/test database (no fsync: fast, but not crash-safe).
		run_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF

# --- added by scripts/services.sh (project-owned development instance) ---
listen_addresses = '$HOST'
port = $PG_LOCAL_PORT
unix_socket_directories = '$sockdir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	fi

	if is_root; then
		install -d -m 755 -o postgres -g postgres "$sockdir"
	else
		mkdir -p "$sockdir"
	fi
	log "starting project PostgreSQL on $HOST:$PG_LOCAL_PORT (log: $logfile)"
	run_pg "$bindir/pg_ctl" -D "$data" -l "$logfile" -o "-p $PG_LOCAL_PORT" -w -t "$READY_TIMEOUT" start >/dev/null 9>&- ||
		{
			tail -n 20 "$logfile" >&2 2>/dev/null || true
			die "PostgreSQL failed to start (log: $logfile)"
		}
	wait_until "$READY_TIMEOUT" PostgreSQL "$logfile" pg_usable "$PG_LOCAL_PORT"
}

ensure_pg() {
	local port url db
	# Command line of a project postmaster on our port; group 1 = data dir.
	local postmaster_re="/postgres -D (.+) -p $PG_LOCAL_PORT( |\$)"
	# psql and pg_isready are needed even to probe; the server package
	# brings them (and the server, which we are likely to need then).
	if ! have psql || ! have pg_isready; then
		apt_install postgresql
	fi

	if [[ "$FORCE_LOCAL" != 1 ]] && pg_usable "$PG_PORT"; then
		port="$PG_PORT"
		log "PostgreSQL: using the server on $HOST:$port (user $PG_USER)"
	elif pg_usable "$PG_LOCAL_PORT" &&
		! reap_orphans PostgreSQL "$postmaster_re" INT; then
		port="$PG_LOCAL_PORT"
		log "PostgreSQL: project instance already running on $HOST:$port"
	else
		# A leftover whose data dir is gone may still hold the port.
		reap_orphans PostgreSQL "$postmaster_re" INT || true
		pg_bindir >/dev/null || apt_install postgresql
		start_local_pg
		port="$PG_LOCAL_PORT"
		log "PostgreSQL: project instance ready on $HOST:$port"
	fi

	# Create the application database if it is missing.
	url="postgres://$PG_USER@$HOST:$port/postgres?sslmode=disable"
	db="$(psql -w -X -q "$url" -tAc "select 1 from pg_database where datname = 'atrium'")"
	if [[ "$db" != 1 ]]; then
		log "PostgreSQL: creating database atrium"
		# Tolerate a concurrent creator: check again on failure.
		psql -w -X -q "$url" -c 'CREATE DATABASE atrium' >/dev/null 2>&1 ||
			[[ "$(psql -w -X -q "$url" -tAc "select 1 from pg_database where datname = 'atrium'")" == 1 ]] ||
			die "could not create database atrium on $HOST:$port"
	fi

	ENV_VALUES[ATRIUM_TEST_PG_URL]="$url"
	ENV_VALUES[ATRIUM_DATABASE_URL]="postgres://$PG_USER@$HOST:$port/atrium?sslmode=disable"
}

stop_pg() {
	local base data version bindir
	for base in "$PG_BASE_IN_PROJECT" "$PG_BASE_FALLBACK"; do
		data="$base/data"
		[[ -f "$data/postmaster.pid" ]] || continue
		version="$(cat "$data/PG_VERSION")"
		bindir="$(pg_bindir "$version")" || {
			log "cannot stop PostgreSQL in $data: binaries for version $version missing"
			continue
		}
		log "stopping project PostgreSQL ($data)"
		run_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || log "pg_ctl stop failed for $data"
	done
}

# ---------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------

# redis_ping PORT — true if a Redis on PORT answers PING with PONG.
redis_ping() {
	local port="$1"
	if have redis-cli; then
		[[ "$(timeout 3 redis-cli -h "$HOST" -p "$port" ping 2>/dev/null)" == PONG ]]
	else
		# shellcheck disable=SC2016 # expanded by the inner bash
		timeout 3 bash -c '
			exec 3<>"/dev/tcp/$0/$1" || exit 1
			printf "PING\r\n" >&3
			IFS= read -r reply <&3
			[[ "$reply" == "+PONG"* ]]' "$HOST" "$port" 2>/dev/null
	fi
}

ensure_redis() {
	local port dir="$LOCAL/redis"
	if [[ "$FORCE_LOCAL" != 1 ]] && redis_ping "$REDIS_PORT"; then
		port="$REDIS_PORT"
		log "Redis: using the server on $HOST:$port"
	elif redis_ping "$REDIS_LOCAL_PORT"; then
		port="$REDIS_LOCAL_PORT"
		log "Redis: project instance already running on $HOST:$port"
	else
		have redis-server || apt_install redis-server
		mkdir -p "$dir"
		log "starting project Redis on $HOST:$REDIS_LOCAL_PORT (log: $dir/redis.log)"
		# No persistence: this is a cache/queue for development and tests.
		redis-server --daemonize yes --bind "$HOST" --port "$REDIS_LOCAL_PORT" \
			--dir "$dir" --save "" --appendonly no \
			--logfile "$dir/redis.log" --pidfile "$dir/redis.pid" 9>&- ||
			die "redis-server failed to start (log: $dir/redis.log)"
		wait_until "$READY_TIMEOUT" Redis "$dir/redis.log" redis_ping "$REDIS_LOCAL_PORT"
		port="$REDIS_LOCAL_PORT"
		log "Redis: project instance ready on $HOST:$port"
	fi
	ENV_VALUES[ATRIUM_REDIS_URL]="redis://$HOST:$port/0"
}

stop_redis() {
	stop_pidfile "$LOCAL/redis/redis.pid" redis-server
}

# ---------------------------------------------------------------------------
# Mosquitto (MQTT)
# ---------------------------------------------------------------------------

ensure_mqtt() {
	local port dir="$LOCAL/mqtt" bin
	if [[ "$FORCE_LOCAL" != 1 ]] && tcp_open "$MQTT_PORT"; then
		port="$MQTT_PORT"
		log "MQTT: using the broker on $HOST:$port"
	elif tcp_open "$MQTT_LOCAL_PORT"; then
		port="$MQTT_LOCAL_PORT"
		log "MQTT: project Mosquitto already running on $HOST:$port"
	else
		bin="$(command -v mosquitto || true)"
		[[ -z "$bin" && -x /usr/sbin/mosquitto ]] && bin=/usr/sbin/mosquitto
		if [[ -z "$bin" ]]; then
			apt_install mosquitto
			bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
		fi
		mkdir -p "$dir"
		# Started as root, mosquitto would switch to the `mosquitto` user, who
		# may not be able to write here; keep running as whoever we are.
		cat >"$dir/mosquitto.conf" <<EOF
# Written by scripts/services.sh — project-owned development broker.
user $(id -un)
listener $MQTT_LOCAL_PORT $HOST
allow_anonymous true
persistence true
persistence_location $dir/
# Keep QoS 1 messages for a bridge that is down or slow (the default, 1000, drops them).
max_queued_messages 100000
pid_file $dir/mosquitto.pid
log_dest file $dir/mosquitto.log
EOF
		log "starting project Mosquitto on $HOST:$MQTT_LOCAL_PORT (log: $dir/mosquitto.log)"
		# Its start-up warnings (e.g. about running as root) go to a file.
		"$bin" -d -c "$dir/mosquitto.conf" 2>"$dir/mosquitto.stderr" 9>&- || {
			cat "$dir/mosquitto.stderr" >&2
			die "mosquitto failed to start (log: $dir/mosquitto.log)"
		}
		wait_until "$READY_TIMEOUT" Mosquitto "$dir/mosquitto.log" tcp_open "$MQTT_LOCAL_PORT"
		port="$MQTT_LOCAL_PORT"
		log "MQTT: project Mosquitto ready on $HOST:$port"
	fi
	ENV_VALUES[ATRIUM_TEST_MQTT_URL]="tcp://$HOST:$port"
}

stop_mqtt() {
	stop_pidfile "$LOCAL/mqtt/mosquitto.pid" mosquitto
}

# ---------------------------------------------------------------------------
# MinIO (S3)
# ---------------------------------------------------------------------------

minio_live() { http_ok "$1" /minio/health/live; }

# Print the path of a minio binary (PATH, GOBIN or GOPATH/bin), if any.
find_minio() {
	local gobin gopath candidate
	if have minio; then
		command -v minio
		return 0
	fi
	have go || return 1
	gobin="$(go env GOBIN 2>/dev/null || true)"
	gopath="$(go env GOPATH 2>/dev/null || true)"
	gopath="${gopath%%:*}"
	for candidate in ${gobin:+"$gobin/minio"} ${gopath:+"$gopath/bin/minio"}; do
		if [[ -x "$candidate" ]]; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

# Build MinIO from the Go module proxy. Serialised machine-wide with a lock so
# that two projects/runs never build it at the same time.
install_minio() {
	have go || die "MinIO is not installed and Go is not available to build it"
	log "MinIO not found: building it from source with 'go install $MINIO_MODULE'"
	log "(about 25 minutes on 2 cores with a cold Go cache; done once per machine, later runs reuse it)"
	(
		exec 8>/tmp/atrium-minio-install.lock
		if ! flock -n 8; then
			log "waiting for another MinIO build on this machine"
			progress services "waiting for the other MinIO build" flock 8
		fi
		# Another run may have finished the build while we waited.
		find_minio >/dev/null && exit 0
		cd "${TMPDIR:-/tmp}" && progress services "building MinIO" go install "$MINIO_MODULE" 9>&-
	) || die "building MinIO failed"
}

ensure_minio() {
	local port bin dir="$LOCAL/minio" user secret
	# Command line of a project MinIO on our port; group 1 = data dir.
	local minio_re="minio server (.+) --address $HOST:$MINIO_LOCAL_PORT( |\$)"
	if [[ "$FORCE_LOCAL" != 1 ]] && minio_live "$MINIO_PORT"; then
		port="$MINIO_PORT"
		# We do not know a foreign server's keys: take them from the
		# environment, defaulting to MinIO's documented defaults.
		user="${ATRIUM_TEST_S3_ACCESS_KEY:-minioadmin}"
		secret="${ATRIUM_TEST_S3_SECRET_KEY:-minioadmin}"
		log "MinIO: using the server on $HOST:$port (access key $user)"
	else
		if [[ "$FORCE_LOCAL" != 1 ]] && tcp_open "$MINIO_PORT"; then
			log "MinIO: port $MINIO_PORT is used by something that is not MinIO; using $MINIO_LOCAL_PORT"
		fi
		port="$MINIO_LOCAL_PORT"
		user="$MINIO_LOCAL_USER"
		secret="$MINIO_LOCAL_SECRET"
		if minio_live "$MINIO_LOCAL_PORT" &&
			! reap_orphans MinIO "$minio_re"; then
			log "MinIO: project instance already running on $HOST:$port"
		else
			# A leftover whose data dir is gone may still hold the port.
			reap_orphans MinIO "$minio_re" || true
			bin="$(find_minio)" || {
				install_minio
				bin="$(find_minio)" || die "MinIO was built but no minio binary was found in GOBIN/GOPATH/bin"
			}
			mkdir -p "$dir/data"
			log "starting project MinIO on $HOST:$port (console $HOST:$MINIO_CONSOLE_PORT, log: $dir/minio.log)"
			MINIO_ROOT_USER="$user" MINIO_ROOT_PASSWORD="$secret" \
				setsid nohup "$bin" server "$dir/data" \
				--address "$HOST:$port" --console-address "$HOST:$MINIO_CONSOLE_PORT" \
				</dev/null >"$dir/minio.log" 2>&1 9>&- &
			echo "$!" >"$dir/minio.pid"
			wait_until "$READY_TIMEOUT" MinIO "$dir/minio.log" minio_live "$port"
			log "MinIO: project instance ready on $HOST:$port"
		fi
	fi
	ENV_VALUES[ATRIUM_TEST_S3_ENDPOINT]="$HOST:$port"
	ENV_VALUES[ATRIUM_TEST_S3_ACCESS_KEY]="$user"
	ENV_VALUES[ATRIUM_TEST_S3_SECRET_KEY]="$secret"
}

stop_minio() {
	stop_pidfile "$LOCAL/minio/minio.pid" minio
}

# ---------------------------------------------------------------------------
# Env file
# ---------------------------------------------------------------------------

# Rewrite the env file: keep existing lines of services not handled in this
# run, replace those of the services just ensured.
write_env() {
	local tmp key line drop=" " svc
	for svc in "$@"; do
		drop+="${SERVICE_KEYS[$svc]} "
	done
	tmp="$(mktemp "$LOCAL/services.env.XXXXXX")"
	{
		echo "# Written by scripts/services.sh — source it: . .local/services.env"
		if [[ -f "$ENV_FILE" ]]; then
			while IFS= read -r line; do
				[[ "$line" =~ ^export\ ([A-Z0-9_]+)= ]] || continue
				key="${BASH_REMATCH[1]}"
				[[ "$drop" == *" $key "* ]] && continue
				printf '%s\n' "$line"
			done <"$ENV_FILE"
		fi
		for svc in "$@"; do
			for key in ${SERVICE_KEYS[$svc]}; do
				printf "export %s='%s'\n" "$key" "${ENV_VALUES[$key]}"
			done
		done
	} >"$tmp"
	chmod 644 "$tmp"
	mv -f "$tmp" "$ENV_FILE"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

main() {
	mkdir -p "$LOCAL"
	chmod 755 "$LOCAL"

	# One run at a time on this machine: the project ports are machine-wide
	# (e.g. `make test` and `make run`, or a CI clone and a work tree, started
	# together). Whatever we start gets fd 9 closed so it does not hold the lock.
	local lock=/tmp/atrium-services.lock
	if ! { exec 9>>"$lock"; } 2>/dev/null; then
		lock="$LOCAL/services.lock" # e.g. created by another user
		exec 9>>"$lock"
	fi
	chmod 666 "$lock" 2>/dev/null || true
	if ! flock -n 9; then
		log "waiting for another scripts/services.sh run ($lock)"
		flock 9
	fi

	if [[ "${1:-}" == stop ]]; then
		(($# == 1)) || die "usage: $0 stop"
		stop_minio
		stop_mqtt
		stop_redis
		stop_pg
		# Its URLs may point at the instances just stopped.
		rm -f "$ENV_FILE"
		log "project-owned services stopped"
		return 0
	fi

	local services=("$@") svc
	((${#services[@]})) || services=(pg redis mqtt minio)
	for svc in "${services[@]}"; do
		case "$svc" in
		pg | redis | mqtt | minio) ;;
		*) die "unknown service '$svc' (expected: pg redis mqtt minio, or stop)" ;;
		esac
	done
	for svc in "${services[@]}"; do
		"ensure_$svc"
	done
	write_env "${services[@]}"
	log "wrote $ENV_FILE"
}

main "$@"
