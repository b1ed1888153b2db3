#!/usr/bin/env bash
# scripts/run.sh — what `make run` runs: start Atrium locally with demo data.
#
# Ensures PostgreSQL and Redis (scripts/services.sh), builds the binary, starts
# the WeChat development stand-in, migrates, seeds demo data and serves in the
# foreground until Ctrl-C, or SIGTERM/SIGINT to this script or to the make that runs
# it; then Atrium and the stand-in stop with it. Settings already in the environment
# (ATRIUM_DATABASE_URL and ATRIUM_REDIS_URL included) win over the defaults below
# (except ATRIUM_ENV and ATRIUM_DATA_DIR).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf 'run: %s\n' "$*" >&2; }
die() {
	printf 'run: ERROR: %s\n' "$*" >&2
	exit 1
}

# shellcheck source=scripts/progress.sh
. "$ROOT/scripts/progress.sh"

# What this run starts and stops with it: the WeChat stand-in and Atrium. (PostgreSQL
# and Redis are the project's shared instances, also used by `make test`: `make stop`.)
STUB_PID=""
SERVE_PID=""
WATCH_PID=""

# shellcheck disable=SC2317 # invoked by trap
cleanup() {
	local pid
	for pid in "$WATCH_PID" "${PROGRESS_TICKER:-}"; do
		[[ -z "$pid" ]] || kill -TERM "$pid" 2>/dev/null || true
	done
	if [[ -n "$SERVE_PID" ]] && kill -0 "$SERVE_PID" 2>/dev/null; then
		kill -TERM "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
	fi
	if [[ -n "$STUB_PID" ]] && kill -0 "$STUB_PID" 2>/dev/null; then
		kill -TERM "$STUB_PID" 2>/dev/null || true
		wait "$STUB_PID" 2>/dev/null || true
	fi
}
trap cleanup EXIT
# Until Atrium serves, a signal ends the run (after the step under way), through cleanup.
# shellcheck disable=SC2317 # invoked by trap
stop_early() {
	log "stopping"
	exit 143
}
trap stop_early INT TERM USR1

# Stop with make. A terminal's Ctrl-C reaches make and us alike (one process group),
# but a supervisor signals make's pid alone: GNU make forwards SIGTERM to its recipe
# (this script) but not SIGINT, then waits for the recipe to end, and a second signal
# or SIGKILL kills make and leaves us running. So, when started by make, watch it:
# make resets a fatal signal to its default action before waiting, so that signal
# leaves the caught-signals mask of its /proc status (SigCgt) — a sign make is stopping;
# make gone is another. Either ends this run as one SIGTERM would: the watcher sends
# SIGUSR1, so that with make's own forwarded SIGTERM it never counts as a second signal.
parent_pid="$PPID"
parent_caught() { awk '/^SigCgt:/ { print $2 }' "/proc/$parent_pid/status" 2>/dev/null || true; }
if [[ "$(cat "/proc/$parent_pid/comm" 2>/dev/null)" == make ]] && caught="$(parent_caught)" && [[ -n "$caught" ]]; then
	# Of SIGINT (bit 1 of the mask, 0x2) and SIGTERM (bit 14, 0x4000), those make
	# catches (one it inherited as ignored, it leaves ignored).
	watched=$((0x$caught & 0x4002))
	(
		nap=""
		trap 'kill "$nap" 2>/dev/null; exit 0' TERM
		while :; do
			sleep 0.5 </dev/null >/dev/null 2>&1 &
			nap=$!
			wait "$nap" || exit 0
			caught="$(parent_caught)"
			if [[ -z "$caught" ]] || (((0x$caught & watched) != watched)); then
				log "make was stopped; stopping this run"
				kill -USR1 "$$" 2>/dev/null
				exit 0
			fi
		done
	) 9>&- &
	WATCH_PID=$!
fi

bash scripts/services.sh pg redis
# The found services, unless the environment names others (it wins, as for every
# setting below).
preset_db="${ATRIUM_DATABASE_URL:-}" preset_redis="${ATRIUM_REDIS_URL:-}"
# shellcheck source=/dev/null
. .local/services.env
export ATRIUM_DATABASE_URL="${preset_db:-$ATRIUM_DATABASE_URL}" ATRIUM_REDIS_URL="${preset_redis:-$ATRIUM_REDIS_URL}"

BIN="$ROOT/.local/bin/atrium"
log "building $BIN"
mkdir -p "$ROOT/.local/bin"
progress run "go build" go build -o "$BIN" ./cmd/atrium

export ATRIUM_ENV=dev
export ATRIUM_DATA_DIR="$ROOT/.local/data"
mkdir -p "$ATRIUM_DATA_DIR"
export ATRIUM_DEMO_PASSWORD="${ATRIUM_DEMO_PASSWORD:-atrium-demo}"
export ATRIUM_HTTP_ADDR="${ATRIUM_HTTP_ADDR:-127.0.0.1:8080}"
# Atrium embeds its own MQTT broker when ATRIUM_MQTT_URL is empty; port 1883
# is often taken by a system Mosquitto, hence another default.
export ATRIUM_MQTT_LISTEN="${ATRIUM_MQTT_LISTEN:-127.0.0.1:18830}"

# True if something accepts TCP connections on HOST:PORT.
tcp_open() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# The mini-program credentials: the stand-in and the server must agree on them.
export ATRIUM_WECHAT_APPID="${ATRIUM_WECHAT_APPID:-wx-dev-app}"
export ATRIUM_WECHAT_SECRET="${ATRIUM_WECHAT_SECRET:-dev-secret}"

# The WeChat development stand-in, unless a real WeChat API is configured.
if [[ -z "${ATRIUM_WECHAT_API_BASE:-}" ]]; then
	stub_addr="${ATRIUM_WECHAT_STUB_ADDR:-127.0.0.1:8090}"
	log "starting WeChat stand-in on $stub_addr"
	# setsid: own session, so a terminal Ctrl-C reaches only this script.
	setsid "$BIN" wechat-stub --addr "$stub_addr" &
	STUB_PID=$!
	for ((i = 0; i < 50; i++)); do
		kill -0 "$STUB_PID" 2>/dev/null || die "the WeChat stand-in exited (is $stub_addr already in use?)"
		tcp_open "${stub_addr%:*}" "${stub_addr##*:}" && break
		sleep 0.2
	done
	tcp_open "${stub_addr%:*}" "${stub_addr##*:}" || die "the WeChat stand-in did not listen on $stub_addr within 10s"
	export ATRIUM_WECHAT_API_BASE="http://$stub_addr"
	# WeChat Pay: the stand-in serves it too, with keys it generated under the data folder
	# (docs/payments.md), unless a real merchant account is configured.
	if [[ -z "${ATRIUM_WECHATPAY_MCHID:-}" ]]; then
		paykeys="$ATRIUM_DATA_DIR/wechatpay-dev"
		settings() { sed -n "s/^$1=//p" "$paykeys/settings.env"; }
		export ATRIUM_WECHATPAY_MCHID=1900000001 ATRIUM_WECHATPAY_APPID="$ATRIUM_WECHAT_APPID" \
			ATRIUM_WECHATPAY_MCH_SERIAL="$(settings MCH_SERIAL)" ATRIUM_WECHATPAY_PUBLIC_KEY_ID="$(settings PUBLIC_KEY_ID)" \
			ATRIUM_WECHATPAY_APIV3_KEY="$(settings APIV3_KEY)" \
			ATRIUM_WECHATPAY_MCH_KEY_FILE="$paykeys/apiclient_key.pem" ATRIUM_WECHATPAY_PUBLIC_KEY_FILE="$paykeys/pub_key.pem" \
			ATRIUM_WECHATPAY_API_BASE="http://$stub_addr" \
			ATRIUM_WECHATPAY_NOTIFY_URL="http://${ATRIUM_HTTP_ADDR/#:/127.0.0.1:}/pay/wechatpay/notify"
	fi
fi

log "migrating the database"
progress run "migrate" "$BIN" migrate
log "seeding demo data"
progress run "seed" "$BIN" seed --demo

# URLs to print: a wildcard or empty host is reachable as 127.0.0.1.
host="${ATRIUM_HTTP_ADDR%:*}"
port="${ATRIUM_HTTP_ADDR##*:}"
case "$host" in "" | 0.0.0.0 | "[::]") host=127.0.0.1 ;; esac
cat <<EOF

  Atrium is starting (ATRIUM_ENV=dev, demo data loaded)
    GraphQL endpoint:  http://$host:$port/graphql
    Playground:        http://$host:$port/
    Demo password:     $ATRIUM_DEMO_PASSWORD
    WeChat API:        $ATRIUM_WECHAT_API_BASE
    WeChat Pay API:    ${ATRIUM_WECHATPAY_API_BASE:-not configured}
    Embedded MQTT:     ${ATRIUM_MQTT_URL:-tcp://$ATRIUM_MQTT_LISTEN}
  Press Ctrl-C to stop.

EOF

# Serve in the foreground. It runs as a child (not exec) so the trap can stop
# the stand-in afterwards. It gets its own session (setsid), so a terminal
# Ctrl-C reaches only this script, which forwards SIGINT/SIGTERM to it as one
# SIGTERM (a background child of a script would ignore SIGINT); a second
# signal kills it.
setsid "$BIN" serve &
SERVE_PID=$!
signals=0
# shellcheck disable=SC2317 # invoked by trap
forward() {
	signals=$((signals + 1))
	if ((signals == 1)); then
		log "stopping Atrium (press Ctrl-C again to kill it)"
		kill -TERM "$SERVE_PID" 2>/dev/null || true
	else
		kill -KILL "$SERVE_PID" 2>/dev/null || true
	fi
}
trap forward INT TERM
# From the make watcher: stop, unless a signal already did.
# shellcheck disable=SC2317 # invoked by trap
make_stopped() {
	((signals > 0)) || forward
}
trap make_stopped USR1

while :; do
	if wait "$SERVE_PID"; then status=0; else status=$?; fi
	# wait also returns (>128) when a trapped signal arrives: if the server
	# is still running, keep waiting for it.
	if ((status > 128)) && kill -0 "$SERVE_PID" 2>/dev/null; then
		continue
	fi
	break
done
SERVE_PID=""
if ((signals > 0 && (status == 143 || status == 130))); then
	status=0
fi
exit "$status"
