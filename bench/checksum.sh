#!/usr/bin/env bash
# bench/checksum.sh — genomic.Checksum (MD5 and SHA-256 in one pass, hashed
# concurrently) against `md5sum f & sha256sum f & wait` on the same file.
#
# Writes a file of BENCH_CHECKSUM_MB megabytes (default 1536) of random data
# in a temporary directory under /tmp (removed at the end), warms the page
# cache, then times both sides and prints the throughput ratio (the goal is
# databank ≥ 0.8 × the two coreutils running in parallel).
#
# Needs: go, hyperfine, coreutils (Debian: apt-get install -y hyperfine).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
for tool in go hyperfine md5sum sha256sum; do
	command -v "$tool" >/dev/null || { echo "checksum.sh: $tool not found" >&2; exit 1; }
done
mb=${BENCH_CHECKSUM_MB:-1536}
runs=${BENCH_RUNS:-5}
tmp=$(mktemp -d /tmp/databank-bench-checksum.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
f=$tmp/data.bin

echo "writing $mb MB of random data..." >&2
head -c "${mb}M" /dev/urandom >"$f"
cat "$f" >/dev/null # warm the page cache
size=$(stat -c %s "$f")

echo "## coreutils (hyperfine, $runs runs)"
hyperfine --warmup 1 --runs "$runs" --export-csv "$tmp/h.csv" \
	"md5sum $f >/dev/null & sha256sum $f >/dev/null & wait" \
	"md5sum $f >/dev/null" \
	"sha256sum $f >/dev/null" >/dev/null
parallel=$(awk -F, 'NR == 2 { print $2 }' "$tmp/h.csv")
md5only=$(awk -F, 'NR == 3 { print $2 }' "$tmp/h.csv")
shaonly=$(awk -F, 'NR == 4 { print $2 }' "$tmp/h.csv")

echo "## genomic.Checksum (go test -bench BenchmarkChecksum, $runs iterations)"
(cd "$repo" && GENOMIC_CHECKSUM_FILE=$f go test -run '^$' -bench '^BenchmarkChecksum$' \
	-benchtime="${runs}x" ./importers/genomic/) | grep -E '^Benchmark' | tee "$tmp/go.txt"
ours=$(awk '{ for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") print $i / 1e9 }' "$tmp/go.txt")

mbps() { echo "$size / $1 / 1000000" | bc -l; }
echo
printf '%-40s %10s %10s\n' "" "seconds" "MB/s"
printf '%-40s %10.3f %10.0f\n' "md5sum alone" "$md5only" "$(mbps "$md5only")"
printf '%-40s %10.3f %10.0f\n' "sha256sum alone" "$shaonly" "$(mbps "$shaonly")"
printf '%-40s %10.3f %10.0f\n' "md5sum & sha256sum & wait" "$parallel" "$(mbps "$parallel")"
printf '%-40s %10.3f %10.0f\n' "genomic.Checksum (md5+sha256, one pass)" "$ours" "$(mbps "$ours")"
printf '\nratio (throughput of Checksum / coreutils in parallel): %.2f\n' "$(echo "$parallel / $ours" | bc -l)"
