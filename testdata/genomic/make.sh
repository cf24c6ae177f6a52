#!/usr/bin/env bash
# make.sh builds the genomic header fixtures in this directory from synthetic
# data written by the script itself. It is deterministic and re-runnable: every
# output is removed and rebuilt, and no timestamp, absolute path or tool
# version ends up in a file (samtools --no-PG, bcftools --no-version, gzip -n).
#
# Needs samtools, bcftools, bgzip and tabix (Debian: apt-get install -y
# samtools bcftools tabix) and perl (for the random-bytes fixture).
# Built with samtools/bcftools/htslib 1.16; other versions may compress
# differently, so refresh the goldens afterwards:
#
#   go test ./cmd/databank/ -run TestInspectGolden -update
set -euo pipefail

cd "$(dirname "$0")"
for tool in samtools bcftools bgzip tabix perl; do
	command -v "$tool" >/dev/null || { echo "make.sh: $tool not found" >&2; exit 1; }
done

# Remove previous outputs (everything but this script, README and goldens).
find . -maxdepth 1 -type f ! -name make.sh ! -name README.md -delete
# A fixed work directory: htslib writes the reference path into the CRAM @SQ
# UR tags, so a random temporary name would make the CRAM files differ.
work=/tmp/databank-testdata-genomic
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------------------
# Synthetic reference: short sequences; the @SQ lines below carry the real
# assembly lengths (htslib only warns about the mismatch when writing CRAM).
perl -e '
	srand(7); my @b = qw(A C G T);
	for my $c (qw(chr1 chr2 chrX chrM)) {
		print ">$c\n";
		for (1..20) { print join("", map { $b[int(rand(4))] } 1..60), "\n" }
	}' >"$work/ref.fa"
samtools faidx "$work/ref.fa"

# reads CONTIG N prints N unpaired 50 bp reads on CONTIG taken from ref.fa,
# cycling over the read groups given after N.
reads() {
	local contig=$1 n=$2; shift 2
	local seq
	seq=$(samtools faidx "$work/ref.fa" "chr1:1-1000" | tail -n +2 | tr -d '\n')
	local rgs=("$@") i pos
	for ((i = 0; i < n; i++)); do
		pos=$((1 + i * 13 % 900))
		local tag=""
		((${#rgs[@]})) && tag=$'\t'"RG:Z:${rgs[i % ${#rgs[@]}]}"
		printf 'read%04d\t0\t%s\t%d\t60\t50M\t*\t0\t0\t%s\t%s%s\n' \
			"$i" "$contig" "$pos" "${seq:pos-1:50}" \
			"IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII" "$tag"
	done | sort -t $'\t' -k4,4n
}

sq_grch38=$'@SQ\tSN:chr1\tLN:248956422\tAS:GRCh38\n@SQ\tSN:chr2\tLN:242193529\tAS:GRCh38\n@SQ\tSN:chrX\tLN:156040895\tAS:GRCh38\n@SQ\tSN:chrM\tLN:16569\tAS:GRCh38'
sq_grch37=$'@SQ\tSN:1\tLN:249250621\n@SQ\tSN:2\tLN:243199373\n@SQ\tSN:X\tLN:155270560\n@SQ\tSN:MT\tLN:16569'
sq_t2t=$'@SQ\tSN:chr1\tLN:248387328\n@SQ\tSN:chr2\tLN:242696752\n@SQ\tSN:chrX\tLN:154259566\n@SQ\tSN:chrM\tLN:16569'

# One read group, GRCh38 by chr1 length.
{
	printf '@HD\tVN:1.6\tSO:coordinate\n%s\n' "$sq_grch38"
	printf '@RG\tID:rg1\tSM:NA12878\tLB:lib1\tPL:ILLUMINA\tCN:BROAD\tDT:2020-01-15T10:00:00Z\n'
	printf '@PG\tID:bwa\tPN:bwa\tVN:0.7.17-r1188\tCL:bwa mem -R @RG\\tID:rg1 ref.fa r1.fq r2.fq\n'
	reads chr1 40 rg1
} >"$work/grch38.sam"

# Several read groups and samples (two read groups share a sample), two @PG.
{
	printf '@HD\tVN:1.6\tSO:coordinate\n%s\n' "$sq_grch38"
	printf '@RG\tID:HG002.L1\tSM:HG002\tLB:libA\tPL:ILLUMINA\tCN:NIST\tDT:2019-05-02\n'
	printf '@RG\tID:HG002.L2\tSM:HG002\tLB:libA\tPL:ILLUMINA\tCN:NIST\tDT:2019-05-02\n'
	printf '@RG\tID:HG003.L1\tSM:HG003\tLB:libB\tPL:PACBIO\n'
	printf '@RG\tID:HG004.L1\tSM:HG004\tLB:libC\tPL:ONT\tCN:UCSC\n'
	printf '@PG\tID:minimap2\tPN:minimap2\tVN:2.26\tCL:minimap2 -ax map-hifi ref.fa reads.fq\n'
	printf '@PG\tID:markdup\tPN:samtools\tPP:minimap2\tVN:1.16.1\tCL:samtools markdup in.bam out.bam\n'
	reads chr1 40 HG002.L1 HG002.L2 HG003.L1 HG004.L1
} >"$work/multi_rg.sam"

# No read group, b37 naming (1, 2, X, MT) and GRCh37 lengths.
{
	printf '@HD\tVN:1.6\tSO:coordinate\n%s\n' "$sq_grch37"
	reads 1 20
} >"$work/no_rg.sam"

# T2T-CHM13v2.0 by chr1 length.
{
	printf '@HD\tVN:1.6\tSO:coordinate\n%s\n' "$sq_t2t"
	printf '@RG\tID:chm13\tSM:CHM13\tPL:PACBIO\n'
	reads chr1 20 chm13
} >"$work/t2t.sam"

# No chromosome 1: the assembly comes from the AS tags.
{
	printf '@HD\tVN:1.6\n@SQ\tSN:chr21\tLN:48129895\tAS:hg19\n@SQ\tSN:chr22\tLN:51304566\tAS:hg19\n'
	printf '@RG\tID:x\tSM:NA12891\n'
} >"$work/as_only.sam"

# A non-human genome: assembly unknown.
{
	printf '@HD\tVN:1.6\n@SQ\tSN:contig_1\tLN:5000\n@SQ\tSN:contig_2\tLN:3000\n'
	printf '@PG\tID:spades\tPN:spades\tVN:3.15\n'
} >"$work/unknown.sam"

samtools view --no-PG -O bam -o grch38.bam "$work/grch38.sam"
samtools index grch38.bam                  # grch38.bam.bai
samtools view --no-PG -O bam -o multi_rg.bam "$work/multi_rg.sam"
samtools index -c multi_rg.bam             # multi_rg.bam.csi
samtools view --no-PG -O bam -o no_rg.bam "$work/no_rg.sam"
samtools index no_rg.bam no_rg.bai         # X.bai beside X.bam
samtools view --no-PG -O bam -o t2t.bam "$work/t2t.sam"
samtools view --no-PG -O bam -o as_only.bam "$work/as_only.sam"
samtools view --no-PG -O bam -o unknown.bam "$work/unknown.sam"

# Read-group lines samtools only warns about (duplicate ID, DT not ISO 8601).
{
	printf '@HD\tVN:1.6\n%s\n' "$sq_grch38"
	printf '@RG\tID:rg1\tSM:S1\tDT:2020-01-15\n'
	printf '@RG\tID:rg1\tSM:S2\tDT:last Tuesday\n'
	printf '@RG\tID:rg2\tSM:S3\tDT:15/01/2020\tPL:ILLUMINA\n'
} >"$work/warn_rg.hdr"
samtools reheader --no-PG "$work/warn_rg.hdr" grch38.bam >warn_rg.bam 2>/dev/null

# Lenient parsing: trailing tabs, fields too short to be TAG:VALUE, an @RG
# line with no field, a blank line, a @CO line and a CRLF line ending. htslib 1.16 rejects these when it parses the header;
# newer versions and Databank accept them.
{
	printf '@HD\tVN:1.6\t\n%s\n' "$sq_grch38"
	printf '@RG\tID:rgA\tSM:S1\tLB\tP:\tPL:ILLUMINA\t\n'
	printf '@RG\tID:rgB\tSM:S2\t\t\tCN:\n'
	printf '@RG\n\n@CO\tfree text: not a tag\n'
	printf '@PG\tID:tool\tVN\tPN:tool\t\r\n'
} >"$work/lenient.hdr"
# samtools reheader would normalise this text, so splice it in raw: replace
# l_text and the text of the decompressed BAM, keep the rest, recompress.
bgzip -dc grch38.bam | perl -e '
	binmode STDIN; binmode STDOUT;
	read(STDIN, my $magic, 4) == 4 or die "short BAM\n";
	read(STDIN, my $l, 4) == 4 or die "short BAM\n";
	read(STDIN, my $old, unpack("V", $l));
	open(my $h, "<", $ARGV[0]) or die "$!\n"; binmode $h;
	my $text = do { local $/; <$h> };
	my $rest = do { local $/; <STDIN> };
	print $magic, pack("V", length $text), $text, $rest;' "$work/lenient.hdr" | bgzip -c >lenient.bam

# CRAM 2.1, 3.0 and 3.1 of the multi read-group file, and a T2T CRAM.
for v in 2.1 3.0 3.1; do
	samtools view --no-PG -T "$work/ref.fa" -O cram --output-fmt-option "version=$v" \
		-o "multi_rg_v${v/./}.cram" "$work/multi_rg.sam" 2>/dev/null
done
samtools index multi_rg_v30.cram           # multi_rg_v30.cram.crai
samtools view --no-PG -T "$work/ref.fa" -O cram -o t2t.cram "$work/t2t.sam" 2>/dev/null

# ---------------------------------------------------------------------------
# VCF / BCF.
# vcf HEADERLINES SAMPLES... writes a VCF with a few records.
vcf() {
	local header=$1; shift
	printf '%s\n' "$header"
	printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO'
	(($#)) && printf '\tFORMAT' && printf '\t%s' "$@"
	printf '\n'
	local chrom
	chrom=$(printf '%s\n' "$header" | sed -n 's/^##contig=<ID=\([^,>]*\).*/\1/p' | head -1)
	chrom=${chrom:-chr1}
	local pos gts s
	for pos in 10177 10352 10616; do
		gts=""
		if (($#)); then
			gts=$'\tGT'
			for s in "$@"; do gts+=$'\t0/1'; done
		fi
		printf '%s\t%d\t.\tA\tC\t50\tPASS\tDP=30%s\n' "$chrom" "$pos" "$gts"
	done
}
common=$'##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">\n##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">'
contigs_grch38=$'##contig=<ID=chr1,length=248956422,assembly=GRCh38>\n##contig=<ID=chr2,length=242193529,assembly=GRCh38>\n##contig=<ID=chrX,length=156040895,assembly=GRCh38>\n##contig=<ID=chrM,length=16569,assembly=GRCh38>'
contigs_grch37=$'##contig=<ID=1,length=249250621,assembly=b37>\n##contig=<ID=2,length=243199373,assembly=b37>\n##contig=<ID=X,length=155270560,assembly=b37>\n##contig=<ID=MT,length=16569,assembly=b37>'
contigs_t2t=$'##contig=<ID=chr1,length=248387328>\n##contig=<ID=chr2,length=242696752>\n##contig=<ID=chrX,length=154259566>\n##contig=<ID=chrM,length=16569>'

vcf $'##fileformat=VCFv4.2\n##source=SyntheticCaller v1.0\n##reference=file:///refs/GRCh38_full_analysis_set.fa\n'"$contigs_grch38"$'\n'"$common" \
	NA12878 NA12891 HG002 >grch38.vcf
bgzip -c grch38.vcf >grch38.vcf.gz
tabix -p vcf grch38.vcf.gz                 # grch38.vcf.gz.tbi
bcftools view --no-version -O b -o grch38.bcf grch38.vcf
bcftools index grch38.bcf                  # grch38.bcf.csi
bcftools view --no-version -O u grch38.vcf >grch38_uncompressed.bcf  # raw BCF, no BGZF
gzip -n -c grch38.vcf >plain_gzip.vcf.gz   # gzip, not BGZF: accepted for VCF

gatk='##GATKCommandLine=<ID=HaplotypeCaller,CommandLine="HaplotypeCaller --input x.bam --output x.vcf.gz",Version="4.2.6.1",Date="January 1, 2022">'
vcf $'##fileformat=VCFv4.1\n##reference=file:///ref/human_g1k_v37.fasta\n'"$gatk"$'\n'"$contigs_grch37"$'\n'"$common" \
	NA12891 >grch37.vcf
bgzip -c grch37.vcf >grch37.vcf.gz && rm grch37.vcf
tabix -C -p vcf grch37.vcf.gz              # grch37.vcf.gz.csi

vcf $'##fileformat=VCFv4.3\n##source=DeepVariant 1.5\n'"$contigs_t2t"$'\n'"$common" CHM13 HG002 >t2t.vcf
bgzip -c t2t.vcf >t2t.vcf.gz && rm t2t.vcf

# Sites only, no ##contig lines: the assembly comes from ##reference.
vcf $'##fileformat=VCFv4.2\n##reference=GRCh38\n'"$common" >reference_only.vcf

# 2,500 samples, three records.
mapfile -t many < <(seq -f 'SAMPLE%04g' 2500 -1 1)
vcf $'##fileformat=VCFv4.2\n'"$contigs_grch38"$'\n'"$common" "${many[@]}" >"$work/many.vcf"
bgzip -c "$work/many.vcf" >many_samples.vcf.gz
tabix -p vcf many_samples.vcf.gz
bcftools view --no-version -O b -o many_samples.bcf "$work/many.vcf"

# ---------------------------------------------------------------------------
# Bad inputs: every one must give a clear error, never a crash.
: >bad_empty.bam
head -c 100 grch38.bam >bad_truncated.bam                       # inside the first BGZF block
bgzip -dc grch38.bam | head -c 200 | bgzip -c >bad_truncated_header.bam  # complete BGZF, short header
{ printf 'BAM\002'; bgzip -dc grch38.bam | tail -c +5; } | bgzip -c >bad_wrong_magic.bam
head -c 60 multi_rg_v30.cram >bad_truncated.cram
head -c 40 grch38.vcf.gz >bad_truncated.vcf.gz
printf 'hello\nthis is not a VCF\n' | gzip -n -c >bad_text.gz      # plain gzip of text
bgzip -c "$work/ref.fa" >bad_fasta.fa.gz                           # BGZF, unknown content
perl -e 'srand(42); print pack("C*", map { int(rand(256)) } 1..4096)' >bad_random.bin
printf '##fileformat=VCFv4.2\n##source=no-header-line\n' >bad_no_chrom.vcf
# Cut short after the header, as an interrupted copy leaves a file: the
# header reads, only the end-of-file marker is missing (samtools quickcheck:
# "was missing EOF block when one should be present").
head -c 295 grch38.bam >bad_no_eof.bam             # the first BGZF block: the whole header
head -c -28 grch38.vcf.gz >bad_no_eof.vcf.gz       # all but the BGZF EOF block
head -c -28 grch38.bcf >bad_no_eof.bcf             # all but the BGZF EOF block
head -c 714 multi_rg_v30.cram >bad_no_eof_v30.cram  # definition and header container
head -c 10905 multi_rg_v21.cram >bad_no_eof_v21.cram # definition and (padded) header container
# #CHROM lines bcftools refuses ("Could not parse the "#CHROM.." line").
vcf_head=$'##fileformat=VCFv4.2\n'"$contigs_grch38"$'\n'"$common"
printf '%s\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\n' "$vcf_head" >bad_chrom_no_info.vcf
printf '%s\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\n' "$vcf_head" >bad_chrom_format_only.vcf
printf '%s\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tNA12878\n' "$vcf_head" | bgzip -c >bad_chrom_no_format.vcf.gz
cp "$work/grch38.sam" bad_plain.sam                                 # SAM text is not supported

ls -l
