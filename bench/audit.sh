#!/usr/bin/env bash
# bench/audit.sh — what the audit of every request costs (issue #14): the
# throughput at concurrency 32 through the server as deployed, which holds
# every answer until its audit event is committed, against the same server
# without the audit layer (a reference built by the tests only:
# graph.NewHandlerWithoutAudit). Target: the audit costs at most 10 % of
# the throughput. Two kinds of request, each a benchmark of its own:
#
#   count  a researcher's count (BenchmarkAuditOverhead): the cheapest
#          request there is, on which the audit weighs most;
#   page   a page of 100 samples with donors, current consents and files,
#          asked by staff (BenchmarkAuditOverheadPage; bench/api.sh's (a)).
#
#   bench/audit.sh                 # 5 rounds of each
#   ROUNDS=3 KINDS=count bench/audit.sh
#
# It compiles graph's test binary once and runs each benchmark ROUNDS
# times, each on a fresh database (store/storetest: TEST_DATABASE_URL, or a
# private cluster with fsync off). Within a round the two servers take
# turns, 300 requests at a time, so that load from other jobs falls on
# both alike. It prints each round and the medians.
#
# Environment:
#   ROUNDS     rounds (default 5)
#   KINDS      the kinds of request ("count page")
#   REQUESTS   requests per server and round (default 6000 for count,
#              1500 for page)
set -euo pipefail

ROUNDS=${ROUNDS:-5}
KINDS=${KINDS:-count page}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$(dirname "$0")/.."

go test -c -o "$WORK/graph.test" ./graph/
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for kind in $KINDS; do
	case $kind in
	count) bench=BenchmarkAuditOverhead; requests=${REQUESTS:-6000} ;;
	page) bench=BenchmarkAuditOverheadPage; requests=${REQUESTS:-1500} ;;
	*) echo "audit.sh: unknown kind $kind (count, page)" >&2; exit 1 ;;
	esac
	echo "== $kind ($bench): $ROUNDS rounds of $requests requests per server, 32 clients; $(nproc) cores, shared with other work"
	# metric UNIT: the value before UNIT on the benchmark's line
	metric() { awk -v b="$bench" -v unit="$1" '$1 ~ "^"b"(-[0-9]+)?$" {for (i = 2; i <= NF; i++) if ($i == unit) print $(i-1)}' "$WORK/out"; }
	: >"$WORK/rounds"
	for round in $(seq "$ROUNDS"); do
		(cd graph && "$WORK/graph.test" -test.run='^$' -test.bench="^$bench\$" -test.benchtime="${requests}x") >"$WORK/out" 2>&1 ||
			{ cat "$WORK/out" >&2; exit 1; }
		echo "$(metric audit-req/s) $(metric reference-req/s) $(metric ratio) $(metric events/batch)" >>"$WORK/rounds"
		tail -1 "$WORK/rounds" | awk -v r="$round" '{printf "round %d: audit %7.1f req/s   reference %7.1f req/s   ratio %.3f   %.1f events a batch\n", r, $1, $2, $3, $4}'
	done
	audit=$(cut -d' ' -f1 "$WORK/rounds" | median)
	ref=$(cut -d' ' -f2 "$WORK/rounds" | median)
	ratio=$(cut -d' ' -f3 "$WORK/rounds" | median)
	awk -v k="$kind" -v a="$audit" -v b="$ref" -v r="$ratio" 'BEGIN {
		printf "median (%s): audit %.1f req/s, reference %.1f req/s; ratio audit/reference %.3f: the audit costs %.1f %% of the throughput\n", k, a, b, r, (1 - r) * 100}'
done
