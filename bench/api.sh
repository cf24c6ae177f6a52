#!/usr/bin/env bash
# API throughput: Databank's GraphQL API against PostGraphile 4, side by
# side on the same database.
#
# What it measures: requests per second and p50/p99 latency (wrk, keep-alive
# connections, every request the same POST; to Databank with the tokens of
# 64 researchers in turn, so that no limit per user is what gets measured)
# of two queries, served by
# `databank serve` and by PostGraphile 4 (bench/postgraphile, pinned in its
# package-lock.json) on one PostgreSQL database holding a synthetic registry:
#
#   (a) a page of 100 samples, each with its donor, the donor's current
#       consent and the sample's data files;
#   (b) one sample with its parent, its children and their data files, and
#       its own data files (a sample with a parent, children and files of
#       its own or of its children is picked).
#
# PostGraphile gets the closest query its generated schema allows, with
# aliases giving the same JSON keys: the same rows in the same order. It
# has no notion of a current consent, so bench/postgraphile/current_consent.sql
# adds one as a computed column (Donor.currentConsent, the rule of
# domain.CurrentConsent in SQL); it reaches files through the data_file_sample
# link rows; it returns codes as text where Databank returns ontology terms
# ({curie}). Before measuring, bench/postgraphile/compare.js checks that both
# answers hold the same data, and the script prints both answers' sizes.
#
# How: it builds databank from this tree, generates the bundle with
# `databank generate` and loads it with `databank import bundle` into the
# database databank_bench_api (a database left by an earlier KEEP=1 run of
# the same size and the same migrations is reused), starts both servers with
# the same pool size, warms each up, then runs wrk for every query and
# connection count, one server at a time (the other one idles), and prints
# the ratios Databank / PostGraphile measured in the same run. It also
# reports, per request: the CPU time of the server process and of its
# PostgreSQL backends (from /proc, between 1 s after the start of a run and
# 1 s before its end), and the transactions PostgreSQL counted
# (pg_stat_database; Databank runs each statement on its own, PostGraphile
# wraps a request in one transaction), and counts answers with GraphQL
# errors (none expected; when wrk stops it cuts off requests in flight, which
# Databank logs as internal errors, but those answers are never counted).
# Finally it times the same data fetched by one SQL statement per query
# through psql (\timing, best and median of SQL_RUNS), the reference of what
# the database itself needs.
#
# Needs: go (unless DATABANK is set), psql, wrk, node >= 18 with npm, curl;
# ss (iproute2) and a PostgreSQL on this machine for the backends' CPU time.
# On Debian: apt-get install postgresql-client wrk nodejs npm curl. The first
# run installs PostGraphile with `npm ci` into bench/postgraphile/node_modules
# (from the npm registry). PostGraphile 5 needs Node 22, newer than Debian's.
#
# Environment:
#   ADMIN_URL  a PostgreSQL URL of a role that may create databases
#              (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
#   DONORS, SAMPLES_PER_DONOR, SEED   the size of the data (100000, 10, 1:
#              1M samples; generating and importing them takes 1.5-5 min)
#   DURATION   seconds of each measured wrk run (30, at least 4); WARMUP seconds of
#              warm-up per server and query (10)
#   CONNS      connection counts to measure ("1 8 32"; 1 gives the latency
#              of a lone request)
#   THREADS    wrk threads (2, at most one per connection)
#   RUNS       how often the whole set of wrk runs is repeated (1); every
#              run is reported
#   SQL_RUNS   how often psql runs each reference statement (50)
#   POOL       database pool size of both servers (10, Databank's default)
#   DATABANK_PORT, PGL_PORT   ports on 127.0.0.1 (18080, 18081)
#   SAMPLE     the id (UUID) of the sample of query (b) (default: picked)
#   DATABANK   the binary (default: built from this tree into a temporary directory)
#   REV        build databank from this git revision (git archive) instead of
#              the working tree, e.g. to measure a "before" commit again
#   KEEP=1     keep the database (for the next run to reuse) and the logs
#   FRESH=1    rebuild the database even if a reusable one exists
set -euo pipefail

ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
DONORS=${DONORS:-100000}
SAMPLES_PER_DONOR=${SAMPLES_PER_DONOR:-10}
SEED=${SEED:-1}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
CONNS=${CONNS:-1 8 32}
THREADS=${THREADS:-2}
RUNS=${RUNS:-1}
SQL_RUNS=${SQL_RUNS:-50}
POOL=${POOL:-10}
DATABANK_PORT=${DATABANK_PORT:-18080}
PGL_PORT=${PGL_PORT:-18081}
export PGOPTIONS="-c client_min_messages=warning"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGL_DIR=$ROOT/bench/postgraphile
DB=databank_bench_api

fail() {
	echo "api.sh: $*" >&2
	exit 1
}

missing=""
need() { command -v "$1" >/dev/null || { echo "api.sh: $1 is required ($2)" >&2; missing=1; }; }
need psql "Debian: apt-get install postgresql-client"
need wrk "Debian: apt-get install wrk"
need node "Debian: apt-get install nodejs"
need npm "Debian: apt-get install npm"
need curl "Debian: apt-get install curl"
[[ -n ${DATABANK:-} ]] || need go "Go 1.26 to build databank, or set DATABANK to a built binary"
[[ -z $missing ]] || exit 1
((DURATION >= 4)) || fail "DURATION must be at least 4 (seconds)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 18)) || fail "PostGraphile 4 here wants node >= 18, found $(node --version)"
psql "$ADMIN_URL" -qAtc 'SELECT 1' >/dev/null 2>&1 || fail "cannot connect to PostgreSQL as $ADMIN_URL (set ADMIN_URL)"
for port in "$DATABANK_PORT" "$PGL_PORT"; do
	! curl -s -o /dev/null "http://127.0.0.1:$port/" || fail "something already listens on 127.0.0.1:$port (set DATABANK_PORT / PGL_PORT)"
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [[ -z ${KEEP:-} ]]; then
		rm -rf "$WORK"
		psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
	else
		echo "kept $WORK (logs, bodies, answers) and database $DB"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SRC=$ROOT
BUILT="working tree $(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo "(not a git checkout)")"
if [[ -n ${REV:-} ]]; then
	SRC=$WORK/src
	mkdir "$SRC"
	(cd "$ROOT" && git archive "$REV") | tar -x -C "$SRC" || fail "cannot export revision $REV"
	BUILT="revision $(cd "$ROOT" && git rev-parse --short "$REV")"
fi
if [[ -z ${DATABANK:-} ]]; then
	DATABANK=$WORK/databank
	(cd "$SRC" && go build -o "$DATABANK" ./cmd/databank) || fail "go build ./cmd/databank failed (is the tree mid-change?)"
else
	BUILT="binary $DATABANK"
fi
if [[ ! -x $PGL_DIR/node_modules/.bin/postgraphile ]]; then
	echo "== installing PostGraphile into bench/postgraphile/node_modules (npm ci)"
	(cd "$PGL_DIR" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $PGL_DIR failed (is the npm registry reachable?)"
fi
PGL_VERSION=$(node -p "require('$PGL_DIR/node_modules/postgraphile/package.json').version")

# db_url NAME: ADMIN_URL with its database replaced by NAME.
db_url() {
	local base=${ADMIN_URL%%\?*} query=""
	[[ $ADMIN_URL == *\?* ]] && query="?${ADMIN_URL#*\?}"
	echo "${base%/*}/$1$query"
}
DB_URL=$(db_url "$DB")
export DATABASE_URL=$DB_URL
# The CPU time of PostgreSQL's backends is read from /proc, so only for a
# server on this machine, and they are found through ss (iproute2).
PG_HOST=${ADMIN_URL#*://}
PG_HOST=${PG_HOST#*@}
PG_HOST=${PG_HOST%%[/?]*}
PG_PORT=5432
[[ $PG_HOST == *:* ]] && PG_PORT=${PG_HOST##*:} PG_HOST=${PG_HOST%:*}
PG_CPU=0
if [[ $PG_HOST == @(127.0.0.1|localhost|\[::1\]|) ]] && command -v ss >/dev/null; then
	PG_CPU=1
else
	echo "api.sh: PostgreSQL's CPU time is not measured (it needs the server on this machine and ss from iproute2)" >&2
fi

# --- the database ------------------------------------------------------------
# A finished load is marked with a comment on the database naming its size
# and a digest of the migrations; a database with the same mark is reused.
MIGRATIONS=$(cat "$SRC"/store/migrations/*.sql | sha256sum | cut -c1-12)
MARK="bench/api.sh donors=$DONORS samples_per_donor=$SAMPLES_PER_DONOR seed=$SEED migrations=$MIGRATIONS"
found=$(psql "$ADMIN_URL" -qAtc "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB'")
if [[ -z ${FRESH:-} && $found == "$MARK" ]]; then
	echo "== reusing database $DB ($MARK)"
else
	echo "== loading database $DB: $DONORS donors, $SAMPLES_PER_DONOR samples per donor, seed $SEED"
	psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null ||
		fail "cannot recreate database $DB (is somebody connected to it?)"
	"$DATABANK" migrate >/dev/null
	"$DATABANK" generate --donors "$DONORS" --samples-per-donor "$SAMPLES_PER_DONOR" --seed "$SEED" --out "$WORK/bundle" \
		>"$WORK/generate.out" 2>&1 || { cat "$WORK/generate.out" >&2; fail "databank generate failed"; }
	"$DATABANK" import bundle "$WORK/bundle" --no-progress --actor bench >"$WORK/import.out" 2>"$WORK/import.err" ||
		{ cat "$WORK/import.err" >&2; fail "databank import bundle failed"; }
	rm -rf "$WORK/bundle"
	psql "$DB_URL" -qc "VACUUM (ANALYZE)" >/dev/null
	psql "$ADMIN_URL" -qc "COMMENT ON DATABASE $DB IS '$MARK'" >/dev/null
fi
psql "$DB_URL" -q -v ON_ERROR_STOP=1 -f "$PGL_DIR/current_consent.sql" >/dev/null
COUNTS=$(psql "$DB_URL" -qAt -F ' ' -c "SELECT (SELECT count(*) FROM donor), (SELECT count(*) FROM sample),
	(SELECT count(*) FROM consent), (SELECT count(*) FROM data_file), (SELECT count(*) FROM data_file_sample)")
read -r N_DONORS N_SAMPLES N_CONSENTS N_FILES N_LINKS <<<"$COUNTS"
echo "   $N_DONORS donors, $N_SAMPLES samples, $N_CONSENTS consents, $N_FILES data files, $N_LINKS sample-file links; $(psql "$ADMIN_URL" -qAtc "SELECT pg_size_pretty(pg_database_size('$DB'))")"

# The sample of query (b): it has a parent and children, and files of its
# own or of its children (the synthetic data has files of DNA samples only,
# which have no children, so the sample picked there is a buffy coat whose
# DNA children have files). Preferred: files of its own, then the most files
# of its children, then the most children.
if [[ -z ${SAMPLE:-} ]]; then
	SAMPLE=$(psql "$DB_URL" -X -qAt -v ON_ERROR_STOP=1 <<'SQL'
WITH own AS (SELECT sample_id AS id, count(*) AS files FROM data_file_sample GROUP BY sample_id),
of_children AS (
	SELECT c.parent_id AS id, count(*) AS files
	  FROM data_file_sample l JOIN sample c ON c.id = l.sample_id
	 WHERE c.parent_id IS NOT NULL AND c.retired_at IS NULL
	 GROUP BY c.parent_id)
SELECT s.id
  FROM (SELECT id FROM own UNION SELECT id FROM of_children) candidate
  JOIN sample s ON s.id = candidate.id
  LEFT JOIN own ON own.id = s.id
  LEFT JOIN of_children oc ON oc.id = s.id
 CROSS JOIN LATERAL (SELECT count(*) AS n FROM sample c
                      WHERE c.donor_id = s.donor_id AND c.parent_id = s.id AND c.retired_at IS NULL) children
 WHERE s.parent_id IS NOT NULL AND s.retired_at IS NULL AND children.n > 0
 ORDER BY own.files IS NOT NULL DESC, coalesce(oc.files, 0) DESC, children.n DESC, s.id
 LIMIT 1
SQL
	) || fail "picking the sample of query (b) failed"
	[[ -n $SAMPLE ]] || fail "no sample has a parent, children and data files; try a larger DONORS, or set SAMPLE"
fi
echo "   sample of query (b): $SAMPLE"

# --- the queries -------------------------------------------------------------
DB_QUERY_A='query A {
  samples(first: 100) {
    nodes {
      sampleId
      donor { donorId currentConsent { consentId givenOn permission { curie } modifiers { curie } } }
      dataFiles { fileId format { curie } assembly { curie } location }
    }
  }
}'
PGL_QUERY_A='query A {
  samples: allSamples(first: 100, condition: {retiredAt: null}) {
    nodes {
      sampleId: externalId
      donor: donorByDonorIdAndBiobankId {
        donorId: externalId
        currentConsent { consentId: externalId givenOn permission modifiers }
      }
      dataFiles: dataFileSamplesByDonorIdAndSampleId {
        nodes { dataFile: dataFileByDataFileId { fileId: externalId format assembly location } }
      }
    }
  }
}'
DB_QUERY_B='query B($id: ID!) {
  sample(id: $id) {
    sampleId
    materialType { curie }
    parent { sampleId materialType { curie } }
    children {
      sampleId
      materialType { curie }
      dataFiles { fileId format { curie } assembly { curie } location }
    }
    dataFiles { fileId format { curie } assembly { curie } location }
  }
}'
PGL_QUERY_B='query B($id: UUID!) {
  sample: sampleById(id: $id) {
    sampleId: externalId
    materialType
    parent: sampleByParentIdAndDonorId { sampleId: externalId materialType }
    children: samplesByParentIdAndDonorId(condition: {retiredAt: null}) {
      nodes {
        sampleId: externalId
        materialType
        dataFiles: dataFileSamplesByDonorIdAndSampleId {
          nodes { dataFile: dataFileByDataFileId { fileId: externalId format assembly location } }
        }
      }
    }
    dataFiles: dataFileSamplesByDonorIdAndSampleId {
      nodes { dataFile: dataFileByDataFileId { fileId: externalId format assembly location } }
    }
  }
}'
# body QUERY VARIABLES FILE: the JSON request body.
body() { node -e 'process.stdout.write(JSON.stringify({query: process.argv[1], variables: JSON.parse(process.argv[2])}))' "$1" "$2" >"$3"; }
VARS_B="{\"id\": \"$SAMPLE\"}"
body "$DB_QUERY_A" '{}' "$WORK/databank.a.json"
body "$PGL_QUERY_A" '{}' "$WORK/postgraphile.a.json"
body "$DB_QUERY_B" "$VARS_B" "$WORK/databank.b.json"
body "$PGL_QUERY_B" "$VARS_B" "$WORK/postgraphile.b.json"

# The same data as one SQL statement per query, for psql.
SQL_A="SELECT json_agg(x) FROM (
  SELECT s.external_id AS \"sampleId\",
         (SELECT json_build_object('donorId', d.external_id, 'currentConsent',
                   (SELECT json_build_object('consentId', c.external_id, 'givenOn', c.given_on, 'permission', c.permission, 'modifiers', c.modifiers)
                      FROM (SELECT * FROM consent c WHERE c.donor_id = d.id AND c.retired_at IS NULL AND c.given_on <= current_date
                             ORDER BY c.given_on DESC, c.id DESC LIMIT 1) c
                     WHERE c.withdrawn_on IS NULL OR c.withdrawn_on > current_date))
            FROM donor d WHERE d.id = s.donor_id) AS donor,
         (SELECT coalesce(json_agg(json_build_object('fileId', f.external_id, 'format', f.format, 'assembly', f.assembly, 'location', f.location) ORDER BY f.id), '[]')
            FROM data_file_sample l JOIN data_file f ON f.id = l.data_file_id
           WHERE l.sample_id = s.id AND f.retired_at IS NULL) AS \"dataFiles\"
    FROM sample s WHERE s.retired_at IS NULL ORDER BY s.id LIMIT 100) x;"
SQL_FILES="(SELECT coalesce(json_agg(json_build_object('fileId', f.external_id, 'format', f.format, 'assembly', f.assembly, 'location', f.location) ORDER BY f.id), '[]')
            FROM data_file_sample l JOIN data_file f ON f.id = l.data_file_id WHERE l.sample_id = %s.id AND f.retired_at IS NULL)"
# shellcheck disable=SC2059
SQL_B="SELECT json_build_object('sampleId', s.external_id, 'materialType', s.material_type,
  'parent', (SELECT json_build_object('sampleId', p.external_id, 'materialType', p.material_type) FROM sample p WHERE p.id = s.parent_id),
  'children', (SELECT coalesce(json_agg(json_build_object('sampleId', c.external_id, 'materialType', c.material_type,
                 'dataFiles', $(printf "$SQL_FILES" c)) ORDER BY c.id), '[]')
                 FROM sample c WHERE c.donor_id = s.donor_id AND c.parent_id = s.id AND c.retired_at IS NULL),
  'dataFiles', $(printf "$SQL_FILES" s))
  FROM sample s WHERE s.id = :'id';"

# --- the servers -------------------------------------------------------------
# 64 researchers: wrk sends each request with the next token (bench/api.lua),
# so that a limit per user is not what gets measured.
(umask 077 && for i in $(seq -w 64); do
	echo "bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n') staff benchuser$i"
done >"$WORK/tokens")
TOKEN=$(awk 'NR == 1 { print $1 }' "$WORK/tokens")
DATABANK_URL="http://127.0.0.1:$DATABANK_PORT/graphql"
PGL_URL="http://127.0.0.1:$PGL_PORT/graphql"

echo "== starting databank serve on 127.0.0.1:$DATABANK_PORT and PostGraphile $PGL_VERSION on 127.0.0.1:$PGL_PORT (pools of $POOL)"
DATABANK_TOKENS_FILE=$WORK/tokens DATABANK_RATE=-1 DATABANK_DB_MAX_CONNS=$POOL DATABANK_LOG_LEVEL=warn \
	"$DATABANK" serve --addr "127.0.0.1:$DATABANK_PORT" >"$WORK/databank.log" 2>&1 &
DATABANK_PID=$!
PIDS+=("$DATABANK_PID")
NODE_ENV=production "$PGL_DIR/node_modules/.bin/postgraphile" --connection "$DB_URL" --schema public \
	--host 127.0.0.1 --port "$PGL_PORT" --max-pool-size "$POOL" --disable-query-log --disable-graphiql \
	>"$WORK/postgraphile.log" 2>&1 &
PGL_PID=$!
PIDS+=("$PGL_PID")

# wait_ready NAME PID URL [TOKEN]: until the server answers a GraphQL query.
wait_ready() {
	local name=$1 pid=$2 url=$3 auth=() i
	[[ -n ${4:-} ]] && auth=(-H "Authorization: Bearer $4")
	for i in $(seq 240); do
		kill -0 "$pid" 2>/dev/null || { cat "$WORK/$name.log" >&2; fail "$name exited before serving (log above)"; }
		if [[ $(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' \
			-d '{"query":"{ __typename }"}' "$url") == 200 ]]; then
			return
		fi
		sleep 0.5
	done
	cat "$WORK/$name.log" >&2
	fail "$name did not answer on $url within 2 minutes"
}
wait_ready databank "$DATABANK_PID" "$DATABANK_URL" "$TOKEN"
wait_ready postgraphile "$PGL_PID" "$PGL_URL"

# server_ports PID: the local ports of the process's connections to
# PostgreSQL. (Clients are told apart by port: other clients of the same
# database, such as someone else's databank, also call themselves "databank".)
server_ports() {
	ss -Htnp state established "( dport = :$PG_PORT )" 2>/dev/null |
		awk -v p="pid=$1," 'index($0, p) { n = split($3, a, ":"); print a[n] }'
}
# others: the connections to the database of anybody but the two servers.
others() {
	local ports
	ports=$({ server_ports "$DATABANK_PID"; server_ports "$PGL_PID"; echo 0; } | paste -sd, -)
	psql "$ADMIN_URL" -qAt -c "SELECT count(*) FROM pg_stat_activity
		WHERE datname = '$DB' AND backend_type = 'client backend' AND coalesce(client_port, 0) NOT IN ($ports)"
}
# warn_others: says so when someone else uses the database.
warn_others() {
	local n
	n=$(others)
	((n == 0)) || echo "   warning: $n other connections to $DB; PostgreSQL's counters include whatever they do" >&2
}

# ask SERVER QUERY: one request, the answer kept in $WORK/SERVER.QUERY.out;
# prints the answer's size in bytes.
ask() {
	local url=$DATABANK_URL auth=(-H "Authorization: Bearer $TOKEN") code size
	[[ $1 == postgraphile ]] && url=$PGL_URL auth=()
	read -r code size < <(curl -sS -o "$WORK/$1.$2.out" -w '%{http_code} %{size_download}\n' "${auth[@]}" \
		-H 'Content-Type: application/json' --data-binary "@$WORK/$1.$2.json" "$url")
	[[ $code == 200 ]] || { head -c 1000 "$WORK/$1.$2.out" >&2; echo >&2; fail "$1 answered query ($2) with HTTP $code"; }
	echo "$size"
}

echo "== the answers"
for q in a b; do
	db_size=$(ask databank "$q")
	pgl_size=$(ask postgraphile "$q")
	check=$(node "$PGL_DIR/compare.js" "$q" "$WORK/databank.$q.out" "$WORK/postgraphile.$q.out") ||
		fail "Databank and PostGraphile disagree on query ($q) (answers in $WORK when KEEP=1)"
	printf "   (%s) %s; response %s bytes from Databank, %s from PostGraphile\n" "$q" "$check" "$db_size" "$pgl_size"
	printf -v "SIZE_${q}_databank" %s "$db_size"
	printf -v "SIZE_${q}_postgraphile" %s "$pgl_size"
done

# --- PostgreSQL's own counters per request ------------------------------------
# db_counters: transactions, rows returned by scans + fetched, buffer hits
# + reads of the database so far. Backends report their counters once they
# are idle for a moment, so the caller waits before reading.
db_counters() {
	psql "$ADMIN_URL" -qAt -F ' ' -c "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched, blks_hit + blks_read
		FROM pg_stat_database WHERE datname = '$DB'"
}
# A backend that reported less than a second ago holds its counters back
# for up to 10 s of idleness (PGSTAT_IDLE_INTERVAL), hence the pauses.
COUNTED=50
echo "== PostgreSQL's counters per request ($COUNTED sequential requests each, with pauses of 12 s)"
warn_others
sleep 12
read -r x0 t0 b0 < <(db_counters)
for q in a b; do
	for server in databank postgraphile; do
		for i in $(seq "$COUNTED"); do ask "$server" "$q" >/dev/null; done
		sleep 12
		read -r x1 t1 b1 < <(db_counters)
		per=$(awk -v x="$((x1 - x0))" -v t="$((t1 - t0))" -v b="$((b1 - b0))" -v n="$COUNTED" \
			'BEGIN { printf "%.1f transactions, %.0f rows read, %.0f buffers", x / n, t / n, b / n }')
		x0=$x1 t0=$t1 b0=$b1
		printf -v "STATS_${q}_$server" %s "$per"
		printf "   (%s) %-12s %s\n" "$q" "$server" "$per"
	done
done

# --- wrk -----------------------------------------------------------------------
# ticks PID: CPU clock ticks (user + system) of the process so far.
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# machine_ticks: busy and total ticks of all CPUs so far.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
HZ=$(getconf CLK_TCK)

# cpu_snapshot PID: a line "T seconds server_ticks machine_busy machine_total",
# then a line "B pid ticks" for each PostgreSQL backend serving one of the
# process's connections: ss shows both ends of each connection, the
# server's and the backend's that owns the other end.
cpu_snapshot() {
	echo "T $(date +%s.%N) $(ticks "$1") $(machine_ticks)"
	((PG_CPU)) || return 0
	ss -Htnp state established "( sport = :$PG_PORT or dport = :$PG_PORT )" 2>/dev/null | awk -v me="pid=$1," -v pg=":$PG_PORT" '
		function port(a) { sub(/.*:/, "", a); return a }
		$4 ~ pg "$" && index($0, me) { mine[port($3)] = 1; next }
		$3 ~ pg "$" && match($0, /pid=[0-9]+/) { owner[port($4)] = substr($0, RSTART + 4, RLENGTH - 4) }
		END {
			for (p in mine) {
				if (!(p in owner)) continue
				f = "/proc/" owner[p] "/stat"
				if ((getline line < f) > 0) { sub(/.*\) /, "", line); split(line, x, " "); print "B", owner[p], x[12] + x[13] }
				close(f)
			}
		}'
}
# cpu_delta BEFORE AFTER: "seconds server_ticks backend_ticks machine_busy
# machine_total" between two snapshots; a backend that came in between
# counts from zero; backend_ticks is -1 when no backend was found (ss shows
# the owners of other users' sockets to root only).
cpu_delta() {
	awk 'FNR == 1 { n++ }
		$1 == "T" { t[n] = $2; s[n] = $3; b[n] = $4; m[n] = $5 }
		$1 == "B" { if (n == 1) a[$2] = $3; else { pg += $3 - ($2 in a ? a[$2] : 0); found++ } }
		END { printf "%.3f %d %d %d %d\n", t[2] - t[1], s[2] - s[1], found ? pg : -1, b[2] - b[1], m[2] - m[1] }' "$1" "$2"
}

# server_of SERVER: "url tokens_file pid" of the server.
server_of() {
	if [[ $1 == databank ]]; then echo "$DATABANK_URL $WORK/tokens $DATABANK_PID"; else echo "$PGL_URL - $PGL_PID"; fi
}

# run_wrk SERVER QUERY CONNS SECONDS OUT: wrk in the background; sets WRK_PID.
run_wrk() {
	local url tokens pid t=$THREADS
	read -r url tokens pid < <(server_of "$1")
	[[ $tokens == - ]] && tokens=""
	(($3 < t)) && t=$3
	API_BODY=$WORK/$1.$2.json API_TOKENS_FILE=$tokens wrk -t "$t" -c "$3" -d "${4}s" --timeout 10s --latency \
		-s "$ROOT/bench/api.lua" "$url" >"$5" 2>&1 &
	WRK_PID=$!
}

# measure SERVER QUERY CONNS SECONDS: one wrk run; prints "rps p50 p90 p99
# errors graphql_errors server_cpu_ms_per_req pg_cpu_ms_per_req machine_busy_pct".
# The CPU times are taken from 1 s after the start to 1 s before the end:
# when wrk stops, the requests in flight are cut off, and a server may close
# database connections whose query was cancelled (pgx does), and with them
# the backends whose CPU time would be read.
measure() {
	local server=$1 q=$2 c=$3 secs=$4 url tokens pid out
	read -r url tokens pid < <(server_of "$server")
	out=$WORK/wrk.$server.$q.$c.$(date +%s%N)
	run_wrk "$server" "$q" "$c" "$secs" "$out"
	sleep 1
	cpu_snapshot "$pid" >"$out.cpu0"
	sleep $((secs - 2))
	cpu_snapshot "$pid" >"$out.cpu1"
	wait "$WRK_PID" || { cat "$out" >&2; fail "wrk failed against $server"; }
	awk -v pg_cpu="$PG_CPU" -v hz="$HZ" -v cpu="$(cpu_delta "$out.cpu0" "$out.cpu1")" '
		/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] } }
		END {
			if (r["requests"] == 0) exit 1
			split(cpu, x, " "); n = r["rps"] * x[1]  # requests served while the CPU times were taken
			printf "%s %s %s %s %s %s %.2f %s %.0f\n", r["rps"], r["p50_ms"], r["p90_ms"], r["p99_ms"], r["errors"], r["graphql_errors"],
				x[2] * 1000 / hz / n, pg_cpu && x[3] >= 0 ? sprintf("%.2f", x[3] * 1000 / hz / n) : "nan", x[5] ? 100 * x[4] / x[5] : 0
		}' "$out" || { cat "$out" >&2; fail "no result from wrk against $server"; }
}

echo "== warm-up: ${WARMUP}s per server and query at 32 connections"
for q in a b; do
	for server in databank postgraphile; do
		run_wrk "$server" "$q" 32 "$WARMUP" "$WORK/warmup.$server.$q"
		wait "$WRK_PID" || { cat "$WORK/warmup.$server.$q" >&2; fail "wrk failed against $server"; }
	done
done

RESULTS=$WORK/results
: >"$RESULTS"
for run in $(seq "$RUNS"); do
	for q in a b; do
		for c in $CONNS; do
			for server in databank postgraphile; do
				echo "== run $run of $RUNS: query ($q), $c connections, $server, ${DURATION}s"
				warn_others
				r=$(measure "$server" "$q" "$c" "$DURATION")
				echo "$run $q $c $server $r" >>"$RESULTS"
				read -r rps p50 p90 p99 errs gqlerrs scpu pcpu busy <<<"$r"
				printf "   %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  server CPU %.2f ms/req, PostgreSQL %.2f ms/req, machine %s%% busy\n" \
					"$rps" "$p50" "$p99" "$scpu" "$pcpu" "$busy"
				((errs == 0)) || echo "   warning: $errs errors (connection errors, timeouts or non-2xx answers)" >&2
				((gqlerrs == 0)) || echo "   warning: $gqlerrs answers with GraphQL errors (see $WORK/$server.log with KEEP=1)" >&2
			done
		done
	done
done

# --- psql ----------------------------------------------------------------------
# sql_time SQL: best and median of SQL_RUNS timings of the statement (ms).
sql_time() {
	{
		echo '\o /dev/null'
		echo '\timing on'
		for i in $(seq "$SQL_RUNS"); do echo "$1"; done
	} >"$WORK/timing.sql"
	psql "$DB_URL" -X -q -v ON_ERROR_STOP=1 -v id="$SAMPLE" -f "$WORK/timing.sql" |
		awk '/^Time:/ { print $2 }' | sort -n | awk '{ t[NR] = $1 } END { printf "%.2f %.2f\n", t[1], t[int((NR + 1) / 2)] }'
}
echo "== the same data through psql, one statement per query, $SQL_RUNS times each"
read -r SQL_A_BEST SQL_A_MED < <(sql_time "$SQL_A")
read -r SQL_B_BEST SQL_B_MED < <(sql_time "$SQL_B")
[[ -n $SQL_A_BEST && -n $SQL_B_BEST ]] || fail "timing the SQL statements through psql failed"

# --- results -----------------------------------------------------------------------
echo
echo "== results: $N_SAMPLES samples ($N_DONORS donors, $N_FILES data files), PostGraphile $PGL_VERSION, ${DURATION}s per run, pools of $POOL"
echo "   (a) 100 samples with donor, current consent and files; (b) sample $SAMPLE with parent, children, their files and its own"
echo
printf "%-5s %5s %4s  %-13s %9s %9s %9s %9s  %-23s %s\n" query conns run server "req/s" "p50 ms" "p90 ms" "p99 ms" "CPU ms/req server + PG" "machine busy"
awk '
	{ key = $1 " " $2 " " $3; v[key, $4] = $0; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
	function row(r) { split(r, f, " ")
		printf "(%s)   %5s %4s  %-13s %9.1f %9.2f %9.2f %9.2f  %-23s %s%%\n", f[2], f[3], f[1], f[4] == "databank" ? "Databank" : "PostGraphile",
			f[5], f[6], f[7], f[8], f[12] == "nan" ? sprintf("%.2f + n/a", f[11]) : sprintf("%.2f + %.2f", f[11], f[12]), f[13] }
	END {
		for (i = 0; i < n; i++) {
			d = v[order[i], "databank"]; p = v[order[i], "postgraphile"]
			row(d); row(p); split(d, a, " "); split(p, b, " ")
			printf "(%s)   %5s %4s  %-13s %8.2fx %8.2fx %8.2fx %8.2fx  %.2fx\n", a[2], a[3], a[1], "Databank/PGL",
				a[5] / b[5], a[6] / b[6], a[7] / b[7], a[8] / b[8], a[12] == "nan" ? a[11] / b[11] : (a[11] + a[12]) / (b[11] + b[12])
		}
	}' "$RESULTS"
echo
printf "%-52s %s\n" "response size (a), Databank / PostGraphile" "${SIZE_a_databank} / ${SIZE_a_postgraphile} bytes"
printf "%-52s %s\n" "response size (b), Databank / PostGraphile" "${SIZE_b_databank} / ${SIZE_b_postgraphile} bytes"
printf "%-52s %s\n" "per request (a), Databank" "$STATS_a_databank"
printf "%-52s %s\n" "per request (a), PostGraphile" "$STATS_a_postgraphile"
printf "%-52s %s\n" "per request (b), Databank" "$STATS_b_databank"
printf "%-52s %s\n" "per request (b), PostGraphile" "$STATS_b_postgraphile"
printf "%-52s %s\n" "psql, one statement (a): best / median" "$SQL_A_BEST / $SQL_A_MED ms"
printf "%-52s %s\n" "psql, one statement (b): best / median" "$SQL_B_BEST / $SQL_B_MED ms"
echo "   $(date -u '+%Y-%m-%d %H:%M UTC'), databank from $BUILT"
