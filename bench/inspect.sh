#!/usr/bin/env bash
# bench/inspect.sh — header inspection time against file size, and against
# samtools / bcftools.
#
# Builds BAM, CRAM, VCF.gz and BCF files of about 1 MB, 100 MB and 2 GB (skip
# the 2 GB ones with BENCH_2G=0: they take about 8 GB of disk and a minute to
# build) from synthetic data in a temporary directory under /tmp, which is
# removed at the end, then measures:
#
#   1. in process: go test -bench BenchmarkInspect (importers/genomic) on
#      every file, so that process start-up does not hide the header cost;
#   2. end to end: hyperfine, a throwaway main calling genomic.InspectFile and
#      `databank inspect FILE` (when cmd/databank builds) against
#      `samtools view -H FILE` / `bcftools view -h FILE`.
#
# Needs: go, samtools, bcftools, bgzip, hyperfine, perl
#   (Debian: apt-get install -y samtools bcftools tabix hyperfine).
# Usage: bench/inspect.sh            # 1 MB, 100 MB and 2 GB
#        BENCH_2G=0 bench/inspect.sh # 1 MB and 100 MB only
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
for tool in go samtools bcftools bgzip hyperfine perl; do
	command -v "$tool" >/dev/null || { echo "inspect.sh: $tool not found" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/databank-bench-inspect.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

copies=(1 100)
labels=(1MB 100MB)
if [[ ${BENCH_2G:-1} != 0 ]]; then
	copies+=(2000)
	labels+=(2GB)
fi

# ---------------------------------------------------------------------------
# Unit files of about 1 MB: random reads and genotypes compress poorly, so a
# few thousand records are enough. Larger files are the unit concatenated
# (samtools cat, bcftools concat --naive): valid files, built in seconds.
echo "building synthetic units..." >&2
{
	printf '@HD\tVN:1.6\tSO:unsorted\n'
	printf '@SQ\tSN:chr1\tLN:248956422\tAS:GRCh38\n@SQ\tSN:chr2\tLN:242193529\tAS:GRCh38\n'
	printf '@RG\tID:rg1\tSM:BENCH1\tLB:lib1\tPL:ILLUMINA\n@RG\tID:rg2\tSM:BENCH2\tLB:lib2\tPL:ILLUMINA\n'
	printf '@PG\tID:synthetic\tPN:perl\tVN:1\n'
	perl -e '
		srand(11); my @b = qw(A C G T);
		for my $i (1..30000) {
			my $seq = join "", map { $b[int rand 4] } 1..150;
			my $qual = join "", map { chr(33 + int rand 41) } 1..150;
			printf "r%07d\t0\tchr1\t%d\t60\t150M\t*\t0\t0\t%s\t%s\tRG:Z:rg%d\n",
				$i, 10000 + $i * 37, $seq, $qual, 1 + $i % 2;
		}'
} >reads.sam
# unit FORMAT N OPTS... writes unit.FORMAT from the header and N reads.
unit() {
	local fmt=$1 n=$2; shift 2
	awk -v n="$n" '/^@/ { print; next } ++c <= n' reads.sam |
		samtools view --no-PG -O "$fmt" "$@" -o "unit.$fmt" -
}
# Scale the read count so that each unit is about 1 MB.
for fmt in bam cram; do
	opts=()
	[[ $fmt == cram ]] && opts=(--output-fmt-option no_ref=1)
	unit "$fmt" 3000 "${opts[@]}"
	n=$((3000 * 1000000 / $(stat -c %s "unit.$fmt")))
	unit "$fmt" "$n" "${opts[@]}"
done

nsamples=200
{
	printf '##fileformat=VCFv4.2\n##source=bench\n'
	printf '##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr2,length=242193529>\n'
	printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
	printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT'
	for ((i = 1; i <= nsamples; i++)); do printf '\tS%04d' "$i"; done
	printf '\n'
	perl -e '
		srand(12); my @gt = ("0/0", "0/1", "1/1", "./.");
		for my $i (1..11000) {
			print join("\t", "chr1", 10000 + $i * 11, ".", "A", "C", "50", "PASS", ".", "GT",
				map { $gt[int rand 4] } 1..'"$nsamples"'), "\n";
		}'
} >unit.vcf
bgzip -c unit.vcf >unit.vcf.gz
bcftools view --no-version -O b -o unit.bcf unit.vcf

# build FORMAT OUT COPIES: OUT is COPIES units concatenated.
build() {
	local fmt=$1 out=$2 n=$3 unit i
	unit=unit.$fmt
	if ((n == 1)); then cp "$unit" "$out"; return; fi
	local list=$tmp/list.txt
	for ((i = 0; i < n; i++)); do echo "$unit"; done >"$list"
	case $fmt in
	bam | cram) samtools cat -b "$list" -o "$out" ;;
	vcf.gz) bcftools concat --no-version --naive -f "$list" -O z -o "$out" ;;
	bcf) bcftools concat --no-version --naive -f "$list" -O b -o "$out" ;;
	esac
}

files=()
for k in "${!copies[@]}"; do
	for fmt in bam cram vcf.gz bcf; do
		f=$tmp/${labels[k]}.$fmt
		echo "building $f..." >&2
		build "$fmt" "$f" "${copies[k]}"
		files+=("$f")
	done
done

# ---------------------------------------------------------------------------
# Binaries: a throwaway main over genomic.InspectFile (the header cost plus a
# minimal Go start-up), and databank itself when cmd/databank builds (its
# start-up, the same for every subcommand, is measured with --help).
mkdir -p "$tmp/main"
cat >"$tmp/main/go.mod" <<'GOMOD'
module inspectbench

go 1.26
GOMOD
cat >"$tmp/main/main.go" <<'GOMAIN'
// Command inspectbench prints what genomic.InspectFile sees in each file.
package main

import (
	"fmt"
	"os"

	"databank/importers/genomic"
)

func main() {
	for _, p := range os.Args[1:] {
		h, err := genomic.InspectFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(p, h.Format, h.FormatVersion, len(h.Samples), h.Assembly, len(h.Contigs))
	}
}
GOMAIN
(cd "$tmp/main" && go work init . "$repo" && go build -o "$tmp/inspect" .)
# The floor of any Go command: a hello world.
mkdir -p "$tmp/hello"
printf 'module hello\n\ngo 1.26\n' >"$tmp/hello/go.mod"
printf 'package main\n\nfunc main() { println("hello") }\n' >"$tmp/hello/main.go"
(cd "$tmp/hello" && go build -o "$tmp/hello-go" .)
databank=""
if (cd "$repo" && go build -o "$tmp/databank" ./cmd/databank) 2>/dev/null &&
	"$tmp/databank" inspect "${files[0]}" >/dev/null 2>&1; then
	databank=$tmp/databank
else
	echo "cmd/databank does not build: measuring the throwaway main only" >&2
fi

# ---------------------------------------------------------------------------
echo
echo "## In process: go test -bench BenchmarkInspect (ns per InspectFile)"
(cd "$repo" && GENOMIC_BENCH_FILES="${files[*]}" go test -run '^$' -bench '^BenchmarkInspect$' \
	-benchtime=200x -benchmem ./importers/genomic/) | grep -E '^Benchmark' | tee "$tmp/gobench.txt"

echo
echo "## End to end: hyperfine (mean ms of 30 runs, page cache warm)"
echo "inspect = throwaway main over genomic.InspectFile; databank = databank inspect"
printf '%-14s %6s %9s %9s %9s %15s %15s\n' file size inspect databank tool inspect/tool databank/tool
for f in "${files[@]}"; do
	case $f in
	*.bam | *.cram) tool="samtools view -H $f" ;;
	*) tool="bcftools view -h $f" ;;
	esac
	cmds=("$tmp/inspect $f" "$tool")
	[[ -n $databank ]] && cmds+=("$databank inspect $f")
	hyperfine -N --warmup 3 --runs 30 --export-csv "$tmp/h.csv" "${cmds[@]}" >/dev/null 2>&1
	ours=$(awk -F, 'NR == 2 { print $2 * 1000 }' "$tmp/h.csv")
	theirs=$(awk -F, 'NR == 3 { print $2 * 1000 }' "$tmp/h.csv")
	db=$(awk -F, 'NR == 4 { print $2 * 1000 }' "$tmp/h.csv")
	printf '%-14s %6s %9.2f %9s %9.2f %15.2f %15s\n' "$(basename "$f")" "$(du -h "$f" | cut -f1)" \
		"$ours" "${db:+$(printf %.2f "$db")}" "$theirs" "$(echo "$ours / $theirs" | bc -l)" \
		"${db:+$(printf %.2f "$(echo "$db / $theirs" | bc -l)")}"
done
# In total: one `databank inspect` over every file (how a folder is
# inspected) against samtools/bcftools run once per file (they take one).
if [[ -n $databank ]]; then
	{
		for f in "${files[@]}"; do
			case $f in
			*.bam | *.cram) echo "samtools view -H '$f' >/dev/null" ;;
			*) echo "bcftools view -h '$f' >/dev/null" ;;
			esac
		done
	} >"$tmp/tools.sh"
	hyperfine -N --warmup 3 --runs 20 --export-csv "$tmp/h.csv" "$databank inspect ${files[*]}" "bash $tmp/tools.sh" >/dev/null 2>&1
	db=$(awk -F, 'NR == 2 { print $2 * 1000 }' "$tmp/h.csv")
	theirs=$(awk -F, 'NR == 3 { print $2 * 1000 }' "$tmp/h.csv")
	printf '\nIn total (%d files): databank inspect %.2f ms, samtools/bcftools %.2f ms, ratio %.2f\n' \
		"${#files[@]}" "$db" "$theirs" "$(echo "$db / $theirs" | bc -l)"
fi
hyperfine -N --warmup 3 --runs 30 --export-csv "$tmp/h.csv" "$tmp/hello-go" >/dev/null 2>&1
printf '\nGo start-up alone (hello world): %.2f ms\n' "$(awk -F, 'NR == 2 { print $2 * 1000 }' "$tmp/h.csv")"
if [[ -n $databank ]]; then
	hyperfine -N --warmup 3 --runs 30 --export-csv "$tmp/h.csv" "$databank --help" >/dev/null 2>&1
	printf 'databank start-up alone (databank --help): %.2f ms\n' "$(awk -F, 'NR == 2 { print $2 * 1000 }' "$tmp/h.csv")"
fi
echo
echo "ratios: time / samtools-or-bcftools time (below 1: faster than samtools/bcftools)."
echo "Header time does not grow with file size when each format's rows match across sizes."
