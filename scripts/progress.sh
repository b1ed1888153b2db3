# scripts/progress.sh — sourced by the other scripts (not run): progress lines for
# long steps, so that no step is silent for minutes.
#
#   progress PREFIX LABEL CMD...
#
# runs CMD in the foreground (so Ctrl-C and its exit status work as usual) and, while it
# runs, prints "PREFIX: LABEL: still running, 2m30s elapsed" to stderr every
# ATRIUM_PROGRESS_SECONDS (default 30) seconds, then "PREFIX: LABEL: done in 2m41s"
# when it took longer than that. The ticker is a background subshell that stops with
# CMD, and by itself within one period if the script dies first.

# elapsed SECONDS — "2m05s".
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

progress() {
	local prefix="$1" label="$2"
	shift 2
	local every="${ATRIUM_PROGRESS_SECONDS:-30}" start="$SECONDS" parent="$$" status=0 ticker
	# fd 9 (scripts/services.sh's lock) is closed in the ticker: it must never hold it.
	(
		nap=""
		trap 'kill "$nap" 2>/dev/null; exit 0' TERM
		while :; do
			# sleep's own stdout/stderr are closed, so that a leftover sleep never
			# keeps a pipe reading our output open.
			sleep "$every" </dev/null >/dev/null 2>&1 &
			nap=$!
			wait "$nap" || exit 0
			kill -0 "$parent" 2>/dev/null || exit 0
			printf '%s: %s: still running, %s elapsed\n' "$prefix" "$label" "$(elapsed $((SECONDS - start)))" >&2
		done
	) 9>&- &
	ticker=$!
	PROGRESS_TICKER="$ticker" # for a caller's exit trap: the ticker of the step under way
	"$@" || status=$?
	kill -TERM "$ticker" 2>/dev/null || true
	wait "$ticker" 2>/dev/null || true
	PROGRESS_TICKER=""
	if ((SECONDS - start >= every)); then
		local outcome="done in"
		((status == 0)) || outcome="failed after"
		printf '%s: %s: %s %s\n' "$prefix" "$label" "$outcome" "$(elapsed $((SECONDS - start)))" >&2
	fi
	return "$status"
}
