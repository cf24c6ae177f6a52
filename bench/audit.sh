#!/usr/bin/env bash
# bench/audit.sh — what the audit of every request costs (issue #14): the
# throughput of a researcher's count query at concurrency 32 through the
# server as deployed, which holds every answer until its audit event is
# committed, against the same server without the audit layer (a reference
# built by the tests only: graph.NewHandlerWithoutAudit). Target: the audit
# costs at most 10 % of the throughput.
#
#   bench/audit.sh                 # 5 rounds of 6000 requests per server
#   ROUNDS=3 REQUESTS=2000 bench/audit.sh
#
# It compiles graph's test binary once and runs BenchmarkAuditOverhead
# ROUNDS times, each on a fresh database (store/storetest:
# TEST_DATABASE_URL, or a private cluster with fsync off). Within a round
# the two servers take turns, 300 requests at a time, so that load from
# other jobs falls on both alike. It prints each round and the medians.
#
# Environment:
#   ROUNDS     rounds (default 5)
#   REQUESTS   requests per server and round (default 6000)
set -euo pipefail

ROUNDS=${ROUNDS:-5}
REQUESTS=${REQUESTS:-6000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$(dirname "$0")/.."

go test -c -o "$WORK/graph.test" ./graph/
echo "== BenchmarkAuditOverhead: $ROUNDS rounds of $REQUESTS requests per server, 32 clients; $(nproc) cores, shared with other work"
# metric UNIT: the value before UNIT on the benchmark's line
metric() { awk -v unit="$1" '/^BenchmarkAuditOverhead/ {for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1)}' "$WORK/out"; }
for round in $(seq "$ROUNDS"); do
	(cd graph && "$WORK/graph.test" -test.run='^$' -test.bench='^BenchmarkAuditOverhead$' -test.benchtime="${REQUESTS}x") >"$WORK/out" 2>&1 ||
		{ cat "$WORK/out" >&2; exit 1; }
	echo "$(metric audit-req/s) $(metric reference-req/s) $(metric ratio)" >>"$WORK/rounds"
	tail -1 "$WORK/rounds" | awk -v r="$round" '{printf "round %d: audit %7.1f req/s   reference %7.1f req/s   ratio %.3f\n", r, $1, $2, $3}'
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
audit=$(cut -d' ' -f1 "$WORK/rounds" | median)
ref=$(cut -d' ' -f2 "$WORK/rounds" | median)
ratio=$(cut -d' ' -f3 "$WORK/rounds" | median)
awk -v a="$audit" -v b="$ref" -v r="$ratio" 'BEGIN {
	printf "median: audit %.1f req/s, reference %.1f req/s; ratio audit/reference %.3f: the audit costs %.1f %% of the throughput\n", a, b, r, (1 - r) * 100}'
