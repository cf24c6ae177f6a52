#!/usr/bin/env bash
# bench/preview.sh — the withdrawal preview of issue #13 at scale: the time
# `databank preview` takes for 10,000 and 100,000 requested barcodes, its
# peak memory, and, as the reference measured in the same run, psql
# reading the same data the preview reads (the samples by barcode, their
# donors' consents, the requested samples' files of the wanted kind, the
# donors' samples, and which of those hold such a file, found by the
# links' donor as the preview finds them) to /dev/null.
# Unlike the preview, the reference reads every requested donor's other
# samples, where the preview reads those of the donors whose sample needs
# an alternative only.
#
#   bench/preview.sh                 # on the 10M database of bench/discovery.sh
#   DB=databank_bench_discovery_100000 bench/preview.sh
#
# Environment:
#   ADMIN_URL  a PostgreSQL URL of the server (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
#   DB         the database (databank_bench_discovery; made by bench/discovery.sh)
#   SIZES      the list sizes ("10000 100000")
#   RUNS       runs per size (5)
#   DATABANK   the binary (default: built from this tree)
set -euo pipefail

ADMIN_URL=${ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
DB=${DB:-databank_bench_discovery}
SIZES=${SIZES:-10000 100000}
RUNS=${RUNS:-5}
URL=${ADMIN_URL/\/postgres\?/\/$DB?}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "preview.sh: $*" >&2; exit 1; }

cd "$(dirname "$0")/.."
if [ -z "${DATABANK:-}" ]; then
	go build -o "$WORK/databank" ./cmd/databank
	DATABANK=$WORK/databank
fi
psql "$URL" -Atc 'SELECT 1' >/dev/null || fail "no database $DB (run bench/discovery.sh first)"
BIOBANK=$(psql "$URL" -Atc "SELECT b.code FROM biobank b JOIN sample s ON s.biobank_id = b.id GROUP BY b.code ORDER BY count(*) DESC LIMIT 1")
SAMPLES=$(psql "$URL" -Atc "SELECT count(*) FROM sample")
echo "== $DB: $SAMPLES samples; barcodes of biobank $BIOBANK; $RUNS runs per size; $(nproc) cores, shared with other work"

ms() { date +%s%N | awk '{printf "%d", $1/1000000}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for n in $SIZES; do
	# barcodes spread over the biobank (every k-th sample in id order)
	psql "$URL" -Atc "SELECT external_id FROM (SELECT s.external_id, row_number() OVER (ORDER BY s.id) AS r, count(*) OVER () AS c
		FROM sample s JOIN biobank b ON b.id = s.biobank_id WHERE b.code = '$BIOBANK' AND s.retired_at IS NULL) x
		WHERE r % greatest(1, c / $n) = 0 LIMIT $n" >"$WORK/ids-$n.txt"
	got=$(wc -l <"$WORK/ids-$n.txt")
	[ "$got" -eq "$n" ] || fail "only $got barcodes for $n"
	# the reference: the same reads as one psql statement per step
	cat >"$WORK/ref-$n.sql" <<SQL
CREATE TEMP TABLE req (barcode text);
\copy req FROM '$WORK/ids-$n.txt'

\copy (SELECT s.* FROM sample s JOIN biobank b ON b.id = s.biobank_id JOIN req ON req.barcode = s.external_id WHERE b.code = '$BIOBANK') TO '/dev/null'
\copy (SELECT c.* FROM consent c WHERE c.donor_id IN (SELECT s.donor_id FROM sample s JOIN biobank b ON b.id = s.biobank_id JOIN req ON req.barcode = s.external_id WHERE b.code = '$BIOBANK')) TO '/dev/null'
\copy (SELECT f.*, l.sample_id FROM sample s JOIN biobank b ON b.id = s.biobank_id JOIN req ON req.barcode = s.external_id JOIN data_file_sample l ON l.sample_id = s.id JOIN data_file f ON f.id = l.data_file_id WHERE b.code = '$BIOBANK' AND f.retired_at IS NULL AND f.assay = 'ASSAY:WGS' AND f.assembly = 'ASSEMBLY:GRCh38') TO '/dev/null'
\copy (SELECT d.id, d.donor_id, d.parent_id, d.remaining_quantity, d.quantity_unit, d.status FROM sample d WHERE d.retired_at IS NULL AND d.donor_id IN (SELECT s.donor_id FROM sample s JOIN biobank b ON b.id = s.biobank_id JOIN req ON req.barcode = s.external_id WHERE b.code = '$BIOBANK')) TO '/dev/null'
\copy (SELECT DISTINCT l.sample_id FROM data_file_sample l JOIN data_file f ON f.id = l.data_file_id WHERE l.donor_id IN (SELECT s.donor_id FROM sample s JOIN biobank b ON b.id = s.biobank_id JOIN req ON req.barcode = s.external_id WHERE b.code = '$BIOBANK') AND f.retired_at IS NULL AND f.assay = 'ASSAY:WGS' AND f.assembly = 'ASSEMBLY:GRCh38') TO '/dev/null'
SQL
	# one unmeasured run each (caches, the migration of the database)
	DATABASE_URL=$URL DATABANK_LOG_LEVEL=warn "$DATABANK" preview --biobank "$BIOBANK" --samples "$WORK/ids-$n.txt" --assay WGS --assembly GRCh38 \
		--purpose HMB --quantity 1ug --no-progress --out "$WORK/out-$n.csv" 2>"$WORK/line-$n.txt"
	psql "$URL" -q -f "$WORK/ref-$n.sql" >/dev/null
	: >"$WORK/t-$n"; : >"$WORK/r-$n"
	for _ in $(seq "$RUNS"); do
		t0=$(ms)
		DATABASE_URL=$URL DATABANK_LOG_LEVEL=warn /usr/bin/time -f '%M' -o "$WORK/rss-$n" "$DATABANK" preview --biobank "$BIOBANK" --samples "$WORK/ids-$n.txt" \
			--assay WGS --assembly GRCh38 --purpose HMB --quantity 1ug --no-progress --out "$WORK/out-$n.csv" 2>/dev/null
		echo $(( $(ms) - t0 )) >>"$WORK/t-$n"
		t0=$(ms)
		psql "$URL" -q -f "$WORK/ref-$n.sql" >/dev/null
		echo $(( $(ms) - t0 )) >>"$WORK/r-$n"
	done
	tp=$(median <"$WORK/t-$n"); rp=$(median <"$WORK/r-$n")
	echo "-- $n samples: databank preview median ${tp} ms (runs: $(tr '\n' ' ' <"$WORK/t-$n")); psql reference median ${rp} ms; ratio $(awk "BEGIN {printf \"%.2f\", $tp/$rp}")×; peak RSS $(( $(cat "$WORK/rss-$n") / 1024 )) MiB"
	echo "   $(tail -1 "$WORK/line-$n.txt")"
	echo "   statuses: $(cut -d, -f2 "$WORK/out-$n.csv" | tail -n +2 | sort | uniq -c | sort -rn | awk '{printf "%s %s; ", $2, $1}')"
done
