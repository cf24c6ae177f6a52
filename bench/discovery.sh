#!/usr/bin/env bash
# bench/discovery.sh — the researcher's discovery queries of issue #12 at
# scale, through GraphQL and as the same SQL through psql.
#
#   bench/discovery.sh                     # 10M samples / 1M donors / 2M data files
#   bench/discovery.sh --samples 100000    # a quick run (10k donors, 20k files)
#   bench/discovery.sh --fresh             # rebuild the database
#
# What it measures, each RUNS times (sequential requests, curl, after
# WARMUP unmeasured ones), p50 and p95 of the whole request:
#
#   (a) a filtered totalCount + donorCount and 3 facets, one of them
#       CONSENT_OUTCOME for a research purpose (one GraphQL request:
#       samples(filter:) { totalCount donorCount } and
#       sampleFacets(filter:, facets:, purpose:)), as staff, then again
#       as a researcher, who sees aggregates only: small counts suppressed
#       and every count and facet bucket checked against each neighbouring
#       filter's (the differencing guard, docs/access.md);
#   (b) the first page of 100 samples of the same filter, each with its
#       donor, its data files and its consentDecision for the purpose;
#   (c) the 1,000th page of (b), by cursor: the cursor is found by walking
#       the listing (pages of 500 asking for pageInfo only), so it is the
#       one a client would hold. A smaller registry has fewer pages; the
#       last one reached is measured and named.
#
# The same SQL: the server is first started with log_min_duration_statement=0
# (a connection option of its own pool only) and sent each query once; the
# statements PostgreSQL logged for it (text and parameter values) become
# PREPARE / EXECUTE scripts (bench/discovery_log.py), which psql runs RUNS
# times in the same run, statement after statement, timing the sum (ratio
# GraphQL / SQL), once planned as PostgreSQL chooses and, for (b) and (c),
# once with generic plans (the server's lookups by key keep generic
# plans); the faster of the two is the reference. EXPLAIN (ANALYZE, BUFFERS) of every statement,
# in both ways, is printed, and any sequential scan of the sample table is
# flagged with the way it was planned. The measured
# server runs without that logging; its RSS after the runs (and its peak)
# is stated.
#
# The database (databank_bench_discovery) is kept between runs: it is
# marked with the size it holds and reused while the size is the same;
# pending migrations are applied to it at each run (`databank migrate`).
#
# Needs: go (unless DATABANK is set), psql, curl, python3, node (to build
# JSON bodies), read access to PostgreSQL's log file (PG_LOG; the server on
# this machine logs to /var/log/postgresql/postgresql-15-main.log).
#
# Environment:
#   ADMIN_URL  a PostgreSQL URL of a role that may create databases
#              (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
#   RUNS       measured requests per query (30); WARMUP unmeasured ones first (5)
#   PG_LOG     PostgreSQL's log file (default: the newest /var/log/postgresql/postgresql-*.log)
#   PORT       the server's port on 127.0.0.1 (18090)
#   DATABANK   the binary (default: built from this tree)
#   DB         the database (databank_bench_discovery; for another --samples N,
#              databank_bench_discovery_N)
#   DATABANK_REQUEST_TIMEOUT   the server's limit per request (300s here, so that slow
#              baselines finish)
#   CURSOR     the cursor of page 1,000 (skips the walk, e.g. to measure a slow
#              baseline; the walk prints it)
#   GENERIC    the queries also timed with generic plans ("b c")
#   SQL_OPTIONS  settings of the psql reference's sessions ("-c jit=off", as
#              store/store.go gives its pool since f6c712a; "" before it)
#   KEEP=1     keep the work directory (bodies, answers, captured SQL, plans)
#   COUNT_INDEX  true (default): the measured server keeps the count index
#              (DATABANK_COUNT_INDEX) and is measured once it is read; false:
#              every count in SQL. The SQL captured for the reference is
#              always the SQL path's: the same question answered by SQL.
set -euo pipefail

ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-5}
PORT=${PORT:-18090}
SAMPLES=10000000
FRESH=""
SEED=1
SAMPLES_PER_DONOR=10
FILES_PER_DONOR=2
PAGE=1000
export PGOPTIONS="-c client_min_messages=warning"
# The sessions of the psql reference get the settings the store gives its
# pool (store/store.go: JIT off); SQL_OPTIONS="" for a revision before that.
SQL_OPTIONS=${SQL_OPTIONS--c jit=off}
# The queries whose statements are also timed and explained with generic
# plans (the server's lookups by key): (a)'s reference is the SQL path's
# counts, which plans its filters for their values and has no lookups.
GENERIC=${GENERIC-b c}
# Slow baselines must finish rather than be cut off at the default 30 s.
export DATABANK_REQUEST_TIMEOUT=${DATABANK_REQUEST_TIMEOUT:-300s}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

fail() {
	echo "discovery.sh: $*" >&2
	exit 1
}
while (($#)); do
	case $1 in
	--samples) SAMPLES=${2:?--samples needs a number}; shift 2 ;;
	--samples=*) SAMPLES=${1#*=}; shift ;;
	--fresh) FRESH=1; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) fail "unknown argument $1 (see --help)" ;;
	esac
done
[[ $SAMPLES =~ ^[0-9]+$ ]] && ((SAMPLES >= 1000)) || fail "--samples must be a number of at least 1000"
DONORS=$((SAMPLES / SAMPLES_PER_DONOR))
# One database per size, so that a quick run never replaces the 10M one.
DB=${DB:-databank_bench_discovery}
((SAMPLES == 10000000)) || DB=${DB}_$SAMPLES

missing=""
need() { command -v "$1" >/dev/null || { echo "discovery.sh: $1 is required ($2)" >&2; missing=1; }; }
need psql "Debian: apt-get install postgresql-client"
need curl "Debian: apt-get install curl"
need python3 "Debian: apt-get install python3"
need node "Debian: apt-get install nodejs"
[[ -n ${DATABANK:-} ]] || need go "Go 1.26 to build databank, or set DATABANK to a built binary"
[[ -z $missing ]] || exit 1
psql "$ADMIN_URL" -qAtc 'SELECT 1' >/dev/null 2>&1 || fail "cannot connect to PostgreSQL as $ADMIN_URL (set ADMIN_URL)"
PG_LOG=${PG_LOG:-$(ls -t /var/log/postgresql/postgresql-*.log 2>/dev/null | head -1)}
[[ -n $PG_LOG && -r $PG_LOG ]] || fail "cannot read PostgreSQL's log (set PG_LOG to its file; it is how the server's SQL is captured)"
! curl -s -o /dev/null "http://127.0.0.1:$PORT/" || fail "something already listens on 127.0.0.1:$PORT (set PORT)"

WORK=$(mktemp -d)
SERVER_PID=""
stop_server() {
	if [[ -n $SERVER_PID ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	fi
}
cleanup() {
	stop_server
	if [[ -z ${KEEP:-} ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z ${DATABANK:-} ]]; then
	DATABANK=$WORK/databank
	(cd "$ROOT" && go build -o "$DATABANK" ./cmd/databank) || fail "go build ./cmd/databank failed"
fi
BUILT=$(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo "?")

db_url() {
	local base=${ADMIN_URL%%\?*} query=""
	[[ $ADMIN_URL == *\?* ]] && query="?${ADMIN_URL#*\?}"
	echo "${base%/*}/$1$query"
}
DB_URL=$(db_url "$DB")
export DATABASE_URL=$DB_URL
# elapsed FILE / rss FILE: figures from /usr/bin/time -v output.
elapsed() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.0f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

# --- the database ------------------------------------------------------------
MARK="bench/discovery.sh donors=$DONORS samples_per_donor=$SAMPLES_PER_DONOR files_per_donor=$FILES_PER_DONOR seed=$SEED"
found=$(psql "$ADMIN_URL" -qAtc "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB'")
if [[ -z $FRESH && $found == "$MARK;"* ]]; then
	echo "== reusing database $DB (${found#bench/discovery.sh })"
else
	echo "== loading database $DB: $DONORS donors, $SAMPLES_PER_DONOR samples and at least $FILES_PER_DONOR data files per donor, seed $SEED"
	command -v /usr/bin/time >/dev/null || fail "/usr/bin/time is required to load (Debian: apt-get install time)"
	psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null ||
		fail "cannot recreate database $DB (is somebody connected to it?)"
	"$DATABANK" migrate >/dev/null
	/usr/bin/time -v "$DATABANK" generate --donors "$DONORS" --samples-per-donor "$SAMPLES_PER_DONOR" \
		--files-per-donor "$FILES_PER_DONOR" --seed "$SEED" --out "$WORK/bundle" >"$WORK/generate.out" 2>"$WORK/generate.err" ||
		{ cat "$WORK/generate.err" >&2; fail "databank generate failed"; }
	/usr/bin/time -v "$DATABANK" import bundle "$WORK/bundle" --no-progress --actor bench >"$WORK/import.out" 2>"$WORK/import.err" ||
		{ tail -50 "$WORK/import.err" >&2; fail "databank import bundle failed"; }
	rm -rf "$WORK/bundle"
	start=$(date +%s)
	psql "$DB_URL" -qc "VACUUM (ANALYZE)" >/dev/null
	LOAD="generate $(elapsed "$WORK/generate.err") s, import $(elapsed "$WORK/import.err") s (peak RSS $(rss "$WORK/import.err") MB), vacuum analyze $(($(date +%s) - start)) s"
	echo "   $LOAD"
	psql "$ADMIN_URL" -qc "COMMENT ON DATABASE $DB IS '$MARK; loaded $(date -u '+%Y-%m-%d %H:%M UTC'): $LOAD'" >/dev/null
fi
before=$(psql "$DB_URL" -qAtc "SELECT version FROM schema_version" 2>/dev/null || echo 0)
"$DATABANK" migrate >/dev/null
after=$(psql "$DB_URL" -qAtc "SELECT version FROM schema_version" 2>/dev/null || echo 0)
if [[ $before != "$after" ]]; then
	echo "== migrations $before -> $after applied; ANALYZE"
	psql "$DB_URL" -qc "ANALYZE" >/dev/null
fi
COUNTS=$(psql "$DB_URL" -qAt -F ' ' -c "SELECT (SELECT count(*) FROM donor), (SELECT count(*) FROM sample),
	(SELECT count(*) FROM consent), (SELECT count(*) FROM data_file), (SELECT count(*) FROM data_file_sample)")
read -r N_DONORS N_SAMPLES N_CONSENTS N_FILES N_LINKS <<<"$COUNTS"
echo "   $N_DONORS donors, $N_SAMPLES samples, $N_CONSENTS consents, $N_FILES data files, $N_LINKS sample-file links; $(psql "$ADMIN_URL" -qAtc "SELECT pg_size_pretty(pg_database_size('$DB'))"), schema version $after"

# --- the queries -------------------------------------------------------------
FILTER='{"materialType": "DNA", "statuses": ["AVAILABLE"], "hasData": {"assay": "WGS", "assembly": "GRCh38"}}'
PURPOSE='{"category": "HMB", "commercial": true}'
FACETS='[MATERIAL_TYPE, SEX, CONSENT_OUTCOME]'
QUERY_A="query A(\$f: SampleFilter, \$p: ResearchPurposeInput) {
  samples(first: 1, filter: \$f) { totalCount donorCount }
  sampleFacets(filter: \$f, facets: $FACETS, purpose: \$p) { facet buckets { value count donorCount } }
}"
QUERY_B='query B($f: SampleFilter, $p: ResearchPurposeInput!, $after: String) {
  samples(first: 100, filter: $f, after: $after) {
    nodes {
      sampleId collectedOn status materialType { curie }
      donor { donorId sex birthYear }
      dataFiles { fileId format { curie } assay { curie } assembly { curie } location }
      consentDecision(purpose: $p) { outcome reasons conditions { curie } }
    }
    pageInfo { endCursor hasNextPage }
  }
}'
QUERY_WALK='query W($f: SampleFilter, $first: Int, $after: String) {
  samples(first: $first, filter: $f, after: $after) { pageInfo { endCursor hasNextPage } }
}'
# body QUERY VARIABLES FILE: the JSON request body.
body() { node -e 'process.stdout.write(JSON.stringify({query: process.argv[1], variables: JSON.parse(process.argv[2])}))' "$1" "$2" >"$3"; }
body "$QUERY_A" "{\"f\": $FILTER, \"p\": $PURPOSE}" "$WORK/a.json"
body "$QUERY_B" "{\"f\": $FILTER, \"p\": $PURPOSE}" "$WORK/b.json"

# --- the server --------------------------------------------------------------
TOKEN="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# (a) is asked again as a researcher (aggregates only: suppression and the
# differencing guard, which staff are not subject to).
RTOKEN="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
(umask 077 && printf '%s staff benchreader\n%s researcher benchresearcher\n' "$TOKEN" "$RTOKEN" >"$WORK/tokens")
URL="http://127.0.0.1:$PORT/graphql"
# start_server DATABASE_URL LOG [COUNT_INDEX]: databank serve in the
# background; COUNT_INDEX (true, false) is DATABANK_COUNT_INDEX (false
# unless given: the walk and the SQL capture answer every count in SQL).
start_server() {
	DATABASE_URL=$1 DATABANK_TOKENS_FILE=$WORK/tokens DATABANK_LOG_LEVEL=info DATABANK_MAX_IN_FLIGHT=64 DATABANK_RATE=-1 \
		DATABANK_COUNT_INDEX=${3:-false} "$DATABANK" serve --addr "127.0.0.1:$PORT" >"$2" 2>&1 &
	SERVER_PID=$!
	local i
	for i in $(seq 240); do
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$2" >&2; fail "databank serve exited (log above)"; }
		if [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
			-d '{"query":"{ __typename }"}' "$URL") == 200 ]]; then
			return
		fi
		sleep 0.5
	done
	fail "databank serve did not answer within 2 minutes"
}
# ask BODY OUT: one request; fails on HTTP errors and GraphQL errors;
# prints the time in ms.
ask() {
	local code t
	read -r code t < <(curl -sS -o "$2" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer ${ASK_TOKEN:-$TOKEN}" \
		-H 'Content-Type: application/json' --data-binary "@$1" "$URL")
	[[ $code == 200 ]] || { head -c 1000 "$2" >&2; echo >&2; fail "HTTP $code for $1"; }
	! grep -q '"errors"' "$2" || { head -c 1000 "$2" >&2; echo >&2; fail "GraphQL errors for $1"; }
	awk -v t="$t" 'BEGIN { printf "%.2f\n", t * 1000 }'
}
json() { node -e 'const a = JSON.parse(require("fs").readFileSync(process.argv[1])); process.stdout.write(String(eval(process.argv[2])))' "$1" "$2"; }

# The cursor of page PAGE: walk the listing in pages of 500 asking for
# pageInfo only, then pages of 100, until (PAGE - 1) × 100 samples are
# behind it.
skip=$(((PAGE - 1) * 100)) after=null walked=0 reached=1
if [[ -n ${CURSOR:-} ]]; then
	echo "== page $PAGE of (b) by the cursor given (CURSOR)"
	after=\"$CURSOR\" walked=$skip reached=$PAGE
else
	echo "== walking to page $PAGE of (b) by cursor"
	start_server "$DB_URL" "$WORK/walk.log"
fi
while ((walked < skip)); do
	n=500
	((skip - walked < 500)) && n=100
	body "$QUERY_WALK" "{\"f\": $FILTER, \"first\": $n, \"after\": $after}" "$WORK/walk.json"
	ask "$WORK/walk.json" "$WORK/walk.out" >/dev/null
	[[ $(json "$WORK/walk.out" 'a.data.samples.pageInfo.hasNextPage') == true ]] || break
	after=\"$(json "$WORK/walk.out" 'a.data.samples.pageInfo.endCursor')\"
	walked=$((walked + n))
	reached=$((walked / 100 + 1))
done
stop_server
((reached == PAGE)) || echo "   the filtered listing has fewer pages: page $reached is measured instead"
echo "   cursor of page $reached: $after"
body "$QUERY_B" "{\"f\": $FILTER, \"p\": $PURPOSE, \"after\": $after}" "$WORK/c.json"

# --- the server's SQL ----------------------------------------------------------
# A server whose own connections log every statement, asked each query
# once after a warm-up; the log's new records of this database are its SQL.
echo "== capturing the server's SQL (log_min_duration_statement=0 on its own connections; $PG_LOG)"
sep='?'
[[ $DB_URL == *\?* ]] && sep='&'
start_server "${DB_URL}${sep}options=-c%20log_min_duration_statement%3D0" "$WORK/capture.log"
for q in a b c; do
	ask "$WORK/$q.json" "$WORK/$q.out" >/dev/null
	ask "$WORK/$q.json" "$WORK/$q.out" >/dev/null
	sleep 0.5
	offset=$(stat -c %s "$PG_LOG")
	ask "$WORK/$q.json" "$WORK/$q.out" >/dev/null
	sleep 1
	n=$(python3 "$ROOT/bench/discovery_log.py" "$PG_LOG" "$offset" "$DB" "$q" "$WORK")
	((n > 0)) || fail "no statement of query ($q) found in $PG_LOG (is log_line_prefix '%m [%p] %q%u@%d '?)"
	printf -v "NSTMT_$q" %s "$n"
	echo "   ($q) $n statements"
done
stop_server
psql "$DB_URL" -qAtc "SELECT 1" >/dev/null

# --- measured: GraphQL ---------------------------------------------------------
# series BODY: WARMUP + RUNS sequential requests; prints the RUNS times (ms).
series() {
	local i
	for i in $(seq "$WARMUP"); do ask "$1" "$WORK/series.out" >/dev/null; done
	for i in $(seq "$RUNS"); do ask "$1" "$WORK/series.out"; done
}
# pct FILE: "p50 p95 min max" of the numbers in FILE (nearest rank).
pct() { sort -n "$1" | awk '{ t[NR] = $1 } END { p50 = int(NR * 0.50 + 0.999); p95 = int(NR * 0.95 + 0.999); printf "%.1f %.1f %.1f %.1f\n", t[p50], t[p95], t[1], t[NR] }'; }

echo "== GraphQL: $WARMUP warm-up + $RUNS measured sequential requests per query (curl)"
start_server "$DB_URL" "$WORK/serve.log" "${COUNT_INDEX:-true}"
if [[ ${COUNT_INDEX:-true} == true ]]; then
	# counts come from SQL until the count index is read: wait for it
	for i in $(seq 1200); do
		grep -q 'count index read' "$WORK/serve.log" && break
		sleep 0.5
	done
	grep 'count index read' "$WORK/serve.log" | sed 's/^/   /' || fail "the count index was not read within 10 minutes (see $WORK/serve.log)"
fi
for q in a b c; do
	series "$WORK/$q.json" >"$WORK/gql.$q"
	read -r p50 p95 lo hi < <(pct "$WORK/gql.$q")
	printf "   (%s) p50 %7.1f ms  p95 %7.1f ms  (min %.1f, max %.1f)\n" "$q" "$p50" "$p95" "$lo" "$hi"
done
ASK_TOKEN=$RTOKEN series "$WORK/a.json" >"$WORK/gql.ar"
read -r p50 p95 lo hi < <(pct "$WORK/gql.ar")
printf "   (a) as a researcher: p50 %7.1f ms  p95 %7.1f ms  (min %.1f, max %.1f)\n" "$p50" "$p95" "$lo" "$hi"
RSS_NOW=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
RSS_PEAK=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")
echo "   server RSS after the runs $RSS_NOW MB, peak $RSS_PEAK MB"
TOTAL=$(json "$WORK/a.out" 'a.data.samples.totalCount')
DONORS_MATCHING=$(json "$WORK/a.out" 'a.data.samples.donorCount')
FACET_LINE=$(json "$WORK/a.out" 'a.data.sampleFacets.map(f => f.facet + ": " + f.buckets.map(b => b.value + " " + b.count + "/" + b.donorCount).join(", ")).join("; ")')
FIRST_C=$(json "$WORK/c.out" 'a.data.samples.nodes.length ? a.data.samples.nodes[0].sampleId : "none"')
stop_server

# --- measured: the same SQL through psql ----------------------------------------
# sql_series Q [MODE]: the captured statements of query Q, prepared once,
# then executed WARMUP + RUNS times in one psql session with
# plan_cache_mode MODE (auto); prints RUNS sums (ms).
sql_series() {
	local n
	n=$(grep -c '^EXECUTE' "$WORK/$1.execute.sql")
	{
		echo '\o /dev/null'
		echo "SET plan_cache_mode = ${2:-auto};"
		cat "$WORK/$1.prepare.sql"
		echo '\timing on'
		for i in $(seq $((WARMUP + RUNS))); do cat "$WORK/$1.execute.sql"; done
	} >"$WORK/$1.timing.sql"
	PGOPTIONS="$PGOPTIONS $SQL_OPTIONS" psql "$DB_URL" -X -q -v ON_ERROR_STOP=1 -f "$WORK/$1.timing.sql" |
		awk -v n="$n" -v skip="$WARMUP" '/^Time:/ { s += $2; if (++k % n == 0) { if (++r > skip) printf "%.2f\n", s; s = 0 } }'
}
# The server plans its lookups by key once per statement (store.byKeys:
# plan_cache_mode force_generic_plan) and the rest for their values; the
# log does not tell which pool ran a statement. So the statements run
# twice, all planned one way, then all the other, and the faster series
# (by p50) is the reference: the SQL at its best, never slower than what
# the server asked for.
echo "== the same statements through psql, $WARMUP warm-up + $RUNS runs (sum of each query's statements, run one after another), planned as PostgreSQL chooses (auto) and with generic plans"
for q in a b c; do
	modes=auto
	[[ " $GENERIC " == *" $q "* ]] && modes="auto force_generic_plan"
	for mode in $modes; do
		sql_series "$q" "$mode" >"$WORK/sql.$q.$mode"
		[[ -s $WORK/sql.$q.$mode ]] || fail "timing the SQL of ($q) through psql failed"
		read -r p50 p95 lo hi < <(pct "$WORK/sql.$q.$mode")
		printf "   (%s) %-18s p50 %7.1f ms  p95 %7.1f ms  (min %.1f, max %.1f)\n" "$q" "$mode" "$p50" "$p95" "$lo" "$hi"
	done
	best=auto
	if [[ $modes != auto ]] && awk -v a="$(pct "$WORK/sql.$q.auto" | cut -d' ' -f1)" -v g="$(pct "$WORK/sql.$q.force_generic_plan" | cut -d' ' -f1)" 'BEGIN { exit !(g < a) }'; then
		best=force_generic_plan
	fi
	cp "$WORK/sql.$q.$best" "$WORK/sql.$q"
	echo "   ($q) reference: $best"
done

# --- EXPLAIN ANALYZE --------------------------------------------------------------
echo
# Each statement twice: planned for its values, and as a generic plan (how
# the server's lookups by key run); neither may scan sample sequentially.
echo "== EXPLAIN (ANALYZE, BUFFERS) of every statement, planned for its values and as a generic plan"
SEQ=""
for q in a b c; do
	modes=auto
	[[ " $GENERIC " == *" $q "* ]] && modes="auto force_generic_plan"
	for mode in $modes; do
		echo "---- query ($q), plan_cache_mode $mode: $WORK/$q.statements"
		{
			echo '\pset pager off'
			echo "SET plan_cache_mode = $mode;"
			cat "$WORK/$q.prepare.sql" "$WORK/$q.explain.sql"
		} | PGOPTIONS="$PGOPTIONS $SQL_OPTIONS" psql "$DB_URL" -X -q -v ON_ERROR_STOP=1 -f - >"$WORK/$q.$mode.plans" 2>&1 || { cat "$WORK/$q.$mode.plans" >&2; fail "EXPLAIN of ($q) failed"; }
		cat "$WORK/$q.$mode.plans"
		if grep -Eq 'Seq Scan on sample( |$)' "$WORK/$q.$mode.plans"; then
			SEQ="$SEQ ($q, $mode)"
			grep -En 'Seq Scan on sample( |$)' "$WORK/$q.$mode.plans" | sed 's/^/   SEQ SCAN ON sample: /'
		fi
	done
done

# --- summary --------------------------------------------------------------------------
echo
echo "== results: $N_SAMPLES samples, $N_DONORS donors, $N_FILES data files ($N_LINKS links), $N_CONSENTS consents; databank $BUILT"
echo "   machine: $(nproc) cores (shared with other work), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(psql "$DB_URL" -qAtc 'SHOW server_version' | cut -d' ' -f1) shared_buffers $(psql "$DB_URL" -qAtc 'SHOW shared_buffers'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   filter $FILTER; purpose $PURPOSE; facets $FACETS"
echo "   (a) totalCount $TOTAL, donorCount $DONORS_MATCHING; $FACET_LINE"
echo "   (c) page $reached starts at $FIRST_C"
printf "%-6s %10s %10s %10s %10s %8s %8s %6s  %s\n" query "GQL p50" "GQL p95" "SQL p50" "SQL p95" "p50 x" "p95 x" stmts target
for q in a b c; do
	read -r gp50 gp95 _ _ < <(pct "$WORK/gql.$q")
	read -r sp50 sp95 _ _ < <(pct "$WORK/sql.$q")
	n=NSTMT_$q
	case $q in
	a | b) target="p95 <= 100 ms, GraphQL <= 1.3x SQL" ;;
	c) target="p95 <= 1.2x (b)'s = $(awk -v b="$(pct "$WORK/gql.b" | cut -d' ' -f2)" 'BEGIN { printf "%.1f", 1.2 * b }') ms, GraphQL <= 1.3x SQL" ;;
	esac
	printf "(%s)    %10s %10s %10s %10s %7.2fx %7.2fx %6s  %s\n" "$q" "$gp50" "$gp95" "$sp50" "$sp95" \
		"$(awk -v a="$gp50" -v b="$sp50" 'BEGIN { print a / b }')" "$(awk -v a="$gp95" -v b="$sp95" 'BEGIN { print a / b }')" "${!n}" "$target"
done
echo "   server RSS $RSS_NOW MB after the runs (peak $RSS_PEAK MB)"
if [[ -n $SEQ ]]; then echo "   SEQUENTIAL SCAN OF sample in:$SEQ"; else echo "   no statement scans sample sequentially"; fi
echo "   $(date -u '+%Y-%m-%d %H:%M UTC')"
