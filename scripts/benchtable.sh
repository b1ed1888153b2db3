#!/usr/bin/env bash
# scripts/benchtable.sh FILE — the table `make bench` prints at the end, from `go test
# -bench` output: name, our rate, the baseline's rate, ratio (median, min–max).
#
# Per benchmark line: our rate is the metric in <unit>/s whose unit has no qualifier
# (events/s, not broker-events/s), else the first in <unit>/s that is not the baseline's, the baseline's is base-<unit>/s (or baseline-<unit>/s), the ratio is
# x-med with x-min and x-max (or x-baseline). A benchmark without a baseline shows "-".
set -euo pipefail

awk '
function fmt(v) {
	if (v == "") return "-"
	if (v + 0 >= 100) return sprintf("%.0f", v)
	if (v + 0 >= 1) return sprintf("%.2f", v)
	return sprintf("%.3f", v)
}
/^Benchmark/ && NF >= 4 {
	name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
	ours = ""; ou = ""; base = ""; bu = ""; med = ""; lo = ""; hi = ""; xb = ""
	for (i = 3; i < NF; i += 2) {
		v = $i; u = $(i + 1)
		if (u == "x-med") med = v
		else if (u == "x-min") lo = v
		else if (u == "x-max") hi = v
		else if (u == "x-baseline") xb = v
		else if (u ~ /^base(line)?-.*\/s$/) { if (base == "") { base = v; bu = u; sub(/^base(line)?-/, "", bu) } }
		else if (u ~ /\/s$/ && u != "MB/s" && u !~ /-/) { ours = v; ou = u }
		else if (u ~ /\/s$/ && u != "MB/s") { if (ours == "") { ours = v; ou = u } }
	}
	if (ours == "") for (i = 3; i < NF; i += 2) if ($(i + 1) == "ns/op" && $i + 0 > 0) { ours = 1e9 / $i; ou = "op/s" }
	if (med == "") med = xb
	range = (lo != "" && hi != "") ? fmt(lo) "–" fmt(hi) : ""
	n++; row[n] = sprintf("%-44s %14s %-22s %14s %-22s %7s  %s", name, fmt(ours), ou, fmt(base), bu, fmt(med), range)
}
END {
	if (n == 0) { print "bench: no benchmark results"; exit }
	print ""
	printf "%-44s %14s %-22s %14s %-22s %7s  %s\n", "benchmark", "ours", "", "baseline", "", "ratio", "(min–max)"
	for (i = 1; i <= n; i++) print row[i]
}' "$1"
