// Package genomic reads the headers of derived genomic data files — BAM,
// CRAM (2.1, 3.0, 3.1), VCF (plain, gzip or BGZF) and BCF — and computes the
// checksums Databank records for them.
//
// Only the header is read, so the cost of ReadHeader and InspectFile does not
// depend on the size of the file. The format is detected from the content
// (magic bytes, the BGZF extra field of the gzip header, then the magic of
// the decompressed stream), never from the file name.
//
// The package does not use a third-party parser at run time: BGZF is read
// with compress/gzip (a BGZF file is a series of gzip members), and the SAM
// and VCF header texts are parsed by a lenient parser of its own, which
// accepts what samtools and bcftools accept or merely warn about (duplicate
// @RG IDs, dates that are not ISO 8601, trailing tabs, fields too short to be
// TAG:VALUE). No input makes it panic; a panic that escapes anyway is turned
// into an error by ReadHeader and InspectFile.
//
// Plain gzip (not BGZF) is accepted for VCF, as bcftools does; such a file
// cannot be indexed, so no index is looked for, and Header.Warnings says so.
// A BAM or BCF compressed with plain gzip is rejected with ErrNotBGZF.
//
// Besides the header, the end of a BGZF or CRAM (2.1, 3.x) file is read: a
// file without its end-of-file marker was cut short, and is an ErrTruncated
// error, as samtools quickcheck refuses it. A VCF #CHROM line must hold the
// eight mandatory columns, and FORMAT exactly when there are samples.
package genomic
