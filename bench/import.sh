#!/usr/bin/env bash
# bench/import.sh — how fast does `databank import bundle` load a large
# registry, compared with a plain `psql \copy` of the same rows?
#
#   bench/import.sh                      # 100,000 donors, 1,000,000 samples
#   DONORS=10000 bench/import.sh         # a quicker run
#
# It generates a synthetic bundle (`databank generate`), imports it into a
# fresh database and re-imports the unchanged files (each under
# /usr/bin/time -v, for the elapsed time and the peak RSS), then loads the
# same files with `psql \copy` into bare tables with the files' columns and
# keys in another fresh database, twice: with the keys of the data (primary
# keys on the external ids, and foreign keys for every reference the import
# resolves: sample to donor and parent sample, withdrawal to sample and
# study, ..., the biobank keys of consents, samples and withdrawals, and
# the index of a sample's children, as the registry has them), and with
# the primary keys alone. It prints the times and
# their ratios. Each timed step starts after a CHECKPOINT, so that none
# pays for the previous one's dirty pages; with RUNS > 1 every step is
# repeated and the best time of each is kept.
#
# Environment:
#   ADMIN_URL  a PostgreSQL URL of a role that may create databases
#              (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
#   DONORS, SAMPLES_PER_DONOR, SEED   the size of the bundle (100000, 10, 1)
#   DATABANK   the binary (default: built from this tree into a temporary directory)
#   RUNS       how often each step is timed, best kept (default 1)
#   IMPORT_DB, COPY_DB   the databases it creates and drops (default
#              databank_bench_import, databank_bench_copy)
#   KEEP=1     keep the databases and the bundle afterwards
set -euo pipefail

ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
DONORS=${DONORS:-100000}
SAMPLES_PER_DONOR=${SAMPLES_PER_DONOR:-10}
SEED=${SEED:-1}
RUNS=${RUNS:-1}
export PGOPTIONS="-c client_min_messages=warning"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMPORT_DB=${IMPORT_DB:-databank_bench_import}
COPY_DB=${COPY_DB:-databank_bench_copy}

for tool in psql /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "import.sh: $tool is required" >&2; exit 1; }
done
WORK=$(mktemp -d)
cleanup() {
	if [[ -z ${KEEP:-} ]]; then
		rm -rf "$WORK"
		psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $IMPORT_DB" -c "DROP DATABASE IF EXISTS $COPY_DB" >/dev/null 2>&1 || true
	else
		echo "kept $WORK, databases $IMPORT_DB and $COPY_DB"
	fi
}
trap cleanup EXIT

if [[ -z ${DATABANK:-} ]]; then
	DATABANK=$WORK/databank
	(cd "$ROOT" && go build -o "$DATABANK" ./cmd/databank)
fi

# db_url NAME: ADMIN_URL with its database replaced by NAME.
db_url() {
	local base=${ADMIN_URL%%\?*} query=""
	[[ $ADMIN_URL == *\?* ]] && query="?${ADMIN_URL#*\?}"
	echo "${base%/*}/$1$query"
}

fresh_db() {
	psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

# elapsed FILE / rss FILE: figures from /usr/bin/time -v output.
elapsed() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"
}
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

echo "== generating $DONORS donors, $SAMPLES_PER_DONOR samples per donor"
"$DATABANK" generate --donors "$DONORS" --samples-per-donor "$SAMPLES_PER_DONOR" --seed "$SEED" --out "$WORK/bundle" 2>/dev/null
ROWS=$(for f in "$WORK"/bundle/*.csv; do tail -n +2 "$f" | wc -l; done | awk '{ s += $1 } END { print s }')
SAMPLES=$(($(wc -l <"$WORK/bundle/samples.csv") - 1))
echo "   $ROWS rows, $SAMPLES samples, $(du -sh "$WORK/bundle" | cut -f1)"

# checkpoint: flush the cluster's dirty pages before a timed step.
checkpoint() { psql "$ADMIN_URL" -qc CHECKPOINT >/dev/null; }

# best A B: the smaller of two times ("" counts as none).
best() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || (b != "" && b + 0 < a + 0)) print b; else print a }'; }

B=$WORK/bundle
# copy_sql FK: the psql script creating the reference tables (with foreign
# keys when FK is 1) and copying every file into them, timed.
copy_sql() {
	local fk=$1 r1="" r2="" r3="" r4="" r5="" r6="" r7="" r8="" r9="" r10=""
	if [[ $fk == 1 ]]; then
		r1="REFERENCES biobanks"
		r2=", FOREIGN KEY (biobank, donor_id) REFERENCES donors"
		r3=", FOREIGN KEY (biobank, donor_id) REFERENCES donors, FOREIGN KEY (biobank, parent_sample_id) REFERENCES samples"
		r4="REFERENCES studies"
		r5=", FOREIGN KEY (biobank, sample_id) REFERENCES samples"
		r6="REFERENCES datasets"
		r7=", FOREIGN KEY (biobank, withdrawal_id) REFERENCES withdrawals"
		# the registry's single-column biobank keys and its index of a
		# parent's children (store/migrations/016_restored_keys.sql)
		r8="REFERENCES biobanks"
		# and the indexes its queries need, each over the reference's
		# columns (the registry's sample indexes of 001, 005, 007 and 011:
		# donor's samples, material type, the sorted listings, lookups by
		# barcode, discovery; the created_at listing has no column here)
		r9="CREATE INDEX ON samples (biobank, parent_sample_id) WHERE parent_sample_id IS NOT NULL;
CREATE INDEX ON samples (biobank, donor_id);
CREATE INDEX ON samples (material_type);
CREATE INDEX ON samples ((coalesce(collected_on, 'infinity'::date)), biobank, sample_id);
CREATE INDEX ON samples ((coalesce(collected_on, '-infinity'::date)), biobank, sample_id);
CREATE INDEX ON samples ((coalesce(registered_remaining, 'Infinity'::numeric)), biobank, sample_id);
CREATE INDEX ON samples ((coalesce(registered_remaining, '-Infinity'::numeric)), biobank, sample_id);
CREATE INDEX ON samples (sample_id);
CREATE INDEX ON samples (material_type, status) INCLUDE (biobank, sample_id, donor_id);
CREATE INDEX ON consents (biobank, donor_id, given_on DESC);
CREATE INDEX ON diagnoses (code);
CREATE INDEX ON withdrawals (biobank, sample_id);
CREATE INDEX ON withdrawals (study_id);"
	fi
	cat <<SQL
\set ON_ERROR_STOP on
CREATE TABLE biobanks (code text PRIMARY KEY, name text, country text, contact text);
CREATE TABLE studies (study_id text PRIMARY KEY, title text, principal_investigator text, ethics_approval text, accession text UNIQUE);
CREATE TABLE datasets (dataset_id text PRIMARY KEY, title text, version text, data_use text, data_access_committee text, description text);
CREATE TABLE donors (biobank text $r1, donor_id text, sex text, birth_year integer, vital_status text, PRIMARY KEY (biobank, donor_id));
CREATE TABLE consents (biobank text $r8, donor_id text, consent_id text, given_on date, withdrawn_on date, duo_permission text,
	duo_modifiers text, disease text, document_ref text, PRIMARY KEY (biobank, consent_id) $r2);
CREATE TABLE diagnoses (biobank text, donor_id text, code text, diagnosed_on date, age_at_diagnosis integer, PRIMARY KEY (biobank, donor_id, code) $r2);
CREATE TABLE samples (biobank text $r8, sample_id text, donor_id text, parent_sample_id text, material_type text, anatomical_site text,
	collected_on date, storage_temperature text, initial_quantity numeric(15,3), registered_remaining numeric(15,3), quantity_unit text,
	status text, PRIMARY KEY (biobank, sample_id) $r3);
CREATE TABLE withdrawals (biobank text $r8, withdrawal_id text, sample_id text, study_id text $r4, quantity numeric(15,3), quantity_unit text,
	withdrawn_on date, recipient text, data_return_required boolean, data_return_due date, PRIMARY KEY (biobank, withdrawal_id) $r5);
CREATE TABLE files (biobank text, file_id text PRIMARY KEY, dataset_id text $r6, study_id text $r4, withdrawal_id text, location text, format text,
	assay text, assembly text, size bigint, md5 text, sha256 text UNIQUE, sample_ids text, sample_aliases text, software text $r7);
$r9
CHECKPOINT;
\timing on
\copy biobanks FROM '$B/biobanks.csv' CSV HEADER
\copy studies FROM '$B/studies.csv' CSV HEADER
\copy datasets FROM '$B/datasets.csv' CSV HEADER
\copy donors FROM '$B/donors.csv' CSV HEADER
\copy consents FROM '$B/consents.csv' CSV HEADER
\copy diagnoses FROM '$B/diagnoses.csv' CSV HEADER
\copy samples FROM '$B/samples.csv' CSV HEADER
\copy withdrawals FROM '$B/withdrawals.csv' CSV HEADER
\copy files FROM '$B/files.csv' CSV HEADER
SQL
}

# copy_run FK OUT: one reference load into a fresh database.
copy_run() {
	fresh_db "$COPY_DB"
	copy_sql "$1" >"$WORK/copy.sql"
	psql "$(db_url "$COPY_DB")" -q -f "$WORK/copy.sql" >"$2" 2>"$2.err" || { cat "$2.err" >&2; exit 1; }
}
# copy_times OUT: the sum of the COPY times, and the samples' alone.
copy_all() { awk '/^Time:/ { s += $2 } END { printf "%.2f", s / 1000 }' "$1"; }
copy_samples() { awk '/^Time:/ { n++; if (n == 7) printf "%.2f", $2 / 1000 }' "$1"; }

export DATABASE_URL
DATABASE_URL=$(db_url "$IMPORT_DB")
IMPORT1="" IMPORT2="" COPY_FK="" COPY_PK="" COPY_FK_SAMPLES="" COPY_PK_SAMPLES=""
for run in $(seq "$RUNS"); do
	echo "== run $run of $RUNS: databank import bundle (fresh database)"
	fresh_db "$IMPORT_DB"
	"$DATABANK" migrate >/dev/null
	checkpoint
	/usr/bin/time -v "$DATABANK" import bundle "$B" --no-progress --actor bench \
		>"$WORK/import1.$run.out" 2>"$WORK/import1.$run.err" || { cat "$WORK/import1.$run.err" >&2; exit 1; }
	tail -n 3 "$WORK/import1.$run.out"
	t=$(elapsed "$WORK/import1.$run.err")
	[[ $(best "$IMPORT1" "$t") == "$t" ]] && { IMPORT1=$t; cp "$WORK/import1.$run.err" "$WORK/import1.err"; }

	echo "== run $run of $RUNS: databank import bundle (the same files again)"
	checkpoint
	/usr/bin/time -v "$DATABANK" import bundle "$B" --no-progress --actor bench \
		>"$WORK/import2.$run.out" 2>"$WORK/import2.$run.err" || { cat "$WORK/import2.$run.err" >&2; exit 1; }
	tail -n 3 "$WORK/import2.$run.out"
	grep -q "^total .* 0 *0 *$ROWS *0$" "$WORK/import2.$run.out" || echo "   warning: the re-import did not find every row unchanged" >&2
	t=$(elapsed "$WORK/import2.$run.err")
	[[ $(best "$IMPORT2" "$t") == "$t" ]] && { IMPORT2=$t; cp "$WORK/import2.$run.err" "$WORK/import2.err"; }

	echo "== run $run of $RUNS: psql \\copy into bare tables with the same keys, foreign keys included"
	copy_run 1 "$WORK/copyfk.$run.out"
	COPY_FK=$(best "$COPY_FK" "$(copy_all "$WORK/copyfk.$run.out")")
	COPY_FK_SAMPLES=$(best "$COPY_FK_SAMPLES" "$(copy_samples "$WORK/copyfk.$run.out")")

	echo "== run $run of $RUNS: psql \\copy into bare tables with primary keys only"
	copy_run 0 "$WORK/copypk.$run.out"
	COPY_PK=$(best "$COPY_PK" "$(copy_all "$WORK/copypk.$run.out")")
	COPY_PK_SAMPLES=$(best "$COPY_PK_SAMPLES" "$(copy_samples "$WORK/copypk.$run.out")")
done

SAMPLES_IMPORT=$(awk -F'elapsed=' '/phase="write samples"/ { split($2, a, " "); s = a[1] } /phase="write withdrawals"/ { split($2, b, " "); e = b[1] }
	function sec(t) { if (t ~ /ms$/) return t / 1000; if (t ~ /m/) { split(t, p, "m"); return p[1] * 60 + p[2] } return t + 0 }
	END { if (s != "" && e != "") printf "%.2f", sec(e) - sec(s) }' "$WORK/import1.err")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }

echo
echo "== results ($ROWS rows, $SAMPLES samples, best of $RUNS)"
printf "%-58s %9s\n" "psql \\copy, same keys incl. foreign keys (sum of COPYs)" "${COPY_FK}s"
printf "%-58s %9s\n" "psql \\copy, primary keys only (sum of COPYs)" "${COPY_PK}s"
printf "%-58s %9s\n" "databank import bundle, fresh database" "${IMPORT1}s"
printf "%-58s %9s\n" "databank import bundle, unchanged re-import" "${IMPORT2}s"
printf "%-58s %9s\n" "ratio import / \\copy with the same keys" "$(ratio "$IMPORT1" "$COPY_FK")"
printf "%-58s %9s\n" "ratio import / \\copy with primary keys only" "$(ratio "$IMPORT1" "$COPY_PK")"
printf "%-58s %9s\n" "ratio re-import / import" "$(ratio "$IMPORT2" "$IMPORT1")"
printf "%-58s %9s\n" "peak RSS of databank, first import" "$(rss "$WORK/import1.err") MB"
printf "%-58s %9s\n" "peak RSS of databank, re-import" "$(rss "$WORK/import2.err") MB"
printf "%-58s %9s\n" "psql \\copy of samples.csv, same keys / primary key only" "${COPY_FK_SAMPLES}s / ${COPY_PK_SAMPLES}s"
[[ -n $SAMPLES_IMPORT ]] && printf "%-58s %9s\n" "INSERT of the resolved samples (import phase)" "${SAMPLES_IMPORT}s"
echo
echo "phases of the best first import:"
sed -n 's/.* msg=import /   /p' "$WORK/import1.err" | grep -v rowsPerSecond
