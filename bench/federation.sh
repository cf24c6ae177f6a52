#!/usr/bin/env bash
# Federation speed: what a federation gateway's entity batch costs.
#
# What it measures: the latency (p50, p95, max over REQUESTS sequential
# requests, curl's time_total) of `_entities` with REPS DataFile
# representations by EGA accession (accession, fileId, size of each), on a
# registry of FILES data files; each request asks for another random set
# of accessions. Then the same batch through an Apollo Gateway
# (graph/testdata/federation/gateway.mjs: the stand-in LocalEGA subgraph
# lists REPS archived files, the gateway asks Databank for them in one
# _entities request), against the same fixed batch sent to Databank
# directly: the gateway's overhead as a ratio. The issue's target: p95 at
# most 50 ms for 1,000 representations at 1M files.
#
# How: it builds databank from this tree, loads one biobank and FILES file
# records (a file manifest written with awk, imported by `databank import
# file-manifest`) into a private PostgreSQL cluster in PG_DIR (reused when
# it holds the same FILES), serves it on 127.0.0.1:PORT with a researcher
# token, and runs the requests.
#
# Needs: go (unless DATABANK is set), PostgreSQL server binaries (as for
# make test), curl, awk, node >= 18 with npm (the gateway; skipped without).
#
# Environment: FILES (1000000), REPS (1000), REQUESTS (200), PORT (18090),
# PG_DIR (a temporary directory; set it to keep the data between runs),
# DATABANK (a built binary).
set -euo pipefail

FILES=${FILES:-1000000}
REPS=${REPS:-1000}
REQUESTS=${REQUESTS:-200}
PORT=${PORT:-18090}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=$ROOT/graph/testdata/federation
WORK=$(mktemp -d)
export DATABANK_PG_DIR=${PG_DIR:-$WORK/pg}
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() {
	echo "federation.sh: $*" >&2
	exit 1
}
command -v curl >/dev/null || fail "curl is required"

if [[ -z ${DATABANK:-} ]]; then
	DATABANK=$WORK/databank
	(cd "$ROOT" && go build -o "$DATABANK" ./cmd/databank) || fail "go build ./cmd/databank failed"
fi

# --- the data: one biobank and FILES files, EGAF00000000000 onwards -------
MARK="bench/federation.sh files=$FILES migrations=$(cat "$ROOT"/store/migrations/*.sql | sha256sum | cut -c1-12)"
if [[ -f $DATABANK_PG_DIR.mark && $(cat "$DATABANK_PG_DIR.mark") == "$MARK" ]]; then
	echo "== reusing $DATABANK_PG_DIR ($MARK)"
else
	rm -rf "$DATABANK_PG_DIR" "$DATABANK_PG_DIR.mark"
	echo "== loading $FILES data files into $DATABANK_PG_DIR"
	printf 'code,name,country,contact\nBNK,Bench biobank,SE,\n' >"$WORK/biobanks.csv"
	awk -v n="$FILES" 'BEGIN {
		print "biobank,file_id,dataset_id,study_id,withdrawal_id,location,format,assay,assembly,size,md5,sha256,sample_ids,sample_aliases"
		for (i = 0; i < n; i++) printf "BNK,EGAF%011d,,,,s3://bench/%d.cram,FORMAT:CRAM,ASSAY:WGS,GRCh38,%d,,,,\n", i, i, 1000 + i
	}' >"$WORK/files.csv"
	start=$(date +%s)
	"$DATABANK" import biobanks "$WORK/biobanks.csv" >/dev/null 2>&1
	"$DATABANK" import file-manifest "$WORK/files.csv" --no-progress >"$WORK/import.out" 2>&1 ||
		{ cat "$WORK/import.out" >&2; fail "import of the file manifest failed"; }
	echo "   loaded in $(($(date +%s) - start)) s"
	rm -f "$WORK/files.csv"
	echo "$MARK" >"$DATABANK_PG_DIR.mark"
fi

# --- the server ---------------------------------------------------------------
TOKEN=bench-federation-token-0123456789
echo "$TOKEN federation localega" >"$WORK/tokens"
DATABANK_TOKENS_FILE=$WORK/tokens DATABANK_RATE=-1 DATABANK_ADDR=127.0.0.1:$PORT DATABANK_LOG_LEVEL=warn "$DATABANK" serve >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 300); do
	curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
	sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/serve.log" >&2; fail "databank serve did not get ready"; }
URL=http://127.0.0.1:$PORT/graphql

# body SEED: an _entities request for REPS random accessions (SEED 0: the
# first REPS files, the gateway's batch).
body() {
	awk -v n="$FILES" -v k="$REPS" -v seed="$1" 'BEGIN {
		srand(seed)
		printf "{\"query\":\"query($r: [_Any!]!) { _entities(representations: $r) { ... on DataFile { accession fileId size } } }\",\"variables\":{\"r\":["
		for (i = 0; i < k; i++) printf "%s{\"__typename\":\"DataFile\",\"accession\":\"EGAF%011d\"}", (i ? "," : ""), (seed ? int(rand() * n) : i)
		print "]}}"
	}'
}

# measure NAME URL AUTH BODY...: REQUESTS requests cycling through the
# bodies; prints p50, p95 and max in ms and leaves p50 and p95 in P50, P95.
measure() {
	local name=$1 url=$2 auth=$3
	shift 3
	local bodies=("$@") i times=$WORK/times
	: >"$times"
	for f in "${bodies[@]}"; do # warm-up
		curl -s -o /dev/null -H "$auth" -H 'Content-Type: application/json' --data-binary "@$f" "$url"
	done
	for ((i = 0; i < REQUESTS; i++)); do
		curl -s -o "$WORK/answer" -w '%{time_total}\n' -H "$auth" -H 'Content-Type: application/json' \
			--data-binary "@${bodies[i % ${#bodies[@]}]}" "$url" >>"$times"
		grep -q '"errors"' "$WORK/answer" && { head -c 500 "$WORK/answer" >&2; fail "$name: the answer holds errors"; }
	done
	read -r P50 P95 MAX < <(sort -n "$times" | awk '{ t[NR] = $1 * 1000 } END {
		printf "%.1f %.1f %.1f\n", t[int(NR * 0.50 + 0.5)], t[int(NR * 0.95 + 0.5)], t[NR] }')
	printf '   %-44s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms\n' "$name" "$P50" "$P95" "$MAX"
}

echo "== _entities with $REPS DataFile representations by accession, $FILES files, $REQUESTS requests each"
random=()
for s in $(seq 1 20); do
	body "$s" >"$WORK/body$s.json"
	random+=("$WORK/body$s.json")
done
body 0 >"$WORK/body0.json"
measure "Databank, a random batch per request" "$URL" "Authorization: Bearer $TOKEN" "${random[@]}"
measure "Databank, the gateway's batch" "$URL" "Authorization: Bearer $TOKEN" "$WORK/body0.json"
D50=$P50 D95=$P95

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "== node/npm not found: the gateway is not measured"
	exit 0
fi
[[ -f $HARNESS/node_modules/.package-lock.json ]] || (cd "$HARNESS" && npm ci --no-audit --no-fund --loglevel=error)
awk -v k="$REPS" 'BEGIN {
	printf "{\"datasets\":[{\"accession\":\"EGAD00000000001\",\"releaseStatus\":\"released\",\"files\":["
	for (i = 0; i < k; i++) printf "%s\"EGAF%011d\"", (i ? "," : ""), i
	printf "]}],\"files\":["
	for (i = 0; i < k; i++) printf "%s{\"accession\":\"EGAF%011d\",\"archivedSize\":%d}", (i ? "," : ""), i, 1000 + i
	print "]}"
}' >"$WORK/archive.json"
mkfifo "$WORK/stdin.fifo"
(cd "$HARNESS" && DATABANK_URL=$URL DATABANK_TOKEN=$TOKEN LOCALEGA_DATA=$(cat "$WORK/archive.json") exec node gateway.mjs \
	<"$WORK/stdin.fifo" >"$WORK/gateway.out" 2>"$WORK/gateway.err") &
PIDS+=($!)
exec 3>"$WORK/stdin.fifo" # keeps the gateway's stdin open
for _ in $(seq 300); do
	grep -q '^{' "$WORK/gateway.out" 2>/dev/null && break
	sleep 0.2
done
GATEWAY=$(grep -m1 '^{' "$WORK/gateway.out" | sed 's/.*"gateway":"\([^"]*\)".*/\1/') || { cat "$WORK/gateway.err" >&2; fail "the gateway did not start"; }
printf '{"query":"{ archivedDatasets { archivedFiles { accession archivedSize fileId size } } }"}\n' >"$WORK/gateway.json"
measure "through the gateway (the same batch)" "$GATEWAY" "X-Bench: 1" "$WORK/gateway.json"
awk -v g50="$P50" -v g95="$P95" -v d50="$D50" -v d95="$D95" 'BEGIN {
	printf "   gateway / direct: p50 %.2f, p95 %.2f (the gateway also fetches the archive'"'"'s list and merges)\n", g50 / d50, g95 / d95 }'
