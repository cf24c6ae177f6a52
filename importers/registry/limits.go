package registry

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"databank/domain"
)

// A registry file comes from anyone with the staff role, through the
// browser too: whatever it holds, reading it must take memory bounded by
// the limits below, and time in proportion to its size. What a hostile or
// broken file can do, and what stops it:
//
//   - one endless line (a 1 MB .gz of a 1 GiB line): MaxRecordBytes, checked
//     while the record is read, so that no more than about that much is
//     ever buffered;
//   - a decompression bomb (a few MB of gzip holding GBs of blank lines or
//     zeros): MaxGzipBytes and MaxGzipRatio;
//   - binary data (NUL bytes, which no text file holds and PostgreSQL text
//     cannot store): refused at the first one, with the line;
//   - blank lines by the billion: skipped by a byte scan, not one record
//     at a time;
//   - lines of a million fields: a batch holds at most batchBytes of
//     records, and a record keeps no more fields than the header has, plus
//     one to tell that there were more;
//   - a header of a million unknown or empty columns: at most
//     maxHeaderErrors errors are listed;
//   - millions of bad rows (a 1 MB .gz of "a" lines makes 30 million, 30 s
//     of reading): reading stops after MaxRowErrors of them;
//   - huge values in errors: messages quote at most domain.QuoteMax bytes
//     of a value (domain.Quote), and are themselves at most
//     maxMessageBytes long.

// Default limits, used when the Options field is 0.
const (
	DefaultMaxRecordBytes = 1 << 20  // 1 MiB: registry rows are a few hundred bytes
	DefaultMaxGzipBytes   = 16 << 30 // 16 GiB decompressed: 10M samples are about 1.2 GB
	DefaultMaxGzipRatio   = 100      // registry files compress 3-6 times (databank generate)
	DefaultMaxRowErrors   = 100_000  // about 0.1 s of reading; the report lists 1,000
)

// gzipRatioFloor is how much must be decompressed before MaxGzipRatio
// applies: small files may compress very well (up to a million of the empty
// ",,,," rows spreadsheets append) and are harmless. A variable for tests.
var gzipRatioFloor int64 = 64 << 20

const (
	// batchBytes bounds the records of one batch (their strings and 16
	// bytes per field): ordinary batches of 512 rows are far smaller.
	batchBytes = 4 << 20
	// maxHeaderErrors bounds the errors listed for one header.
	maxHeaderErrors = 50
	// maxMessageBytes bounds the length of one error message.
	maxMessageBytes = 1024
)

// limit returns the limit an Options field sets: def when it is 0, none
// (0) when it is negative.
func limit[T int | int64](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// limitError is a problem of the input that stops reading it: its message
// completes "line N …" or stands alone.
type limitError struct {
	what  string // "NUL", "record", "gzip size", "gzip ratio"
	limit int64
	n, of int64 // for the ratio: decompressed and compressed bytes
}

func (e *limitError) Error() string {
	switch e.what {
	case "NUL":
		return "holds a NUL byte: the file is binary data, not CSV or TSV text (a spreadsheet .xlsx or .ods, UTF-16 text without a byte order mark?): save it as CSV UTF-8"
	case "record":
		return fmt.Sprintf("is longer than %s, the maximum length of a record (a file without line ends, or a quote that is never closed?)", byteSize(e.limit))
	case "gzip size":
		return fmt.Sprintf("the gzip data decompresses to more than %s, the maximum for a compressed file", byteSize(e.limit))
	}
	return fmt.Sprintf("the gzip data expands more than %d times (%s from %s), the maximum for a compressed file: refused as a likely decompression bomb",
		e.limit, byteSize(e.n), byteSize(e.of))
}

// message describes e at line (the line the problem is on, or after the
// last record read).
func (e *limitError) message(line int) string {
	if e.what == "NUL" || e.what == "record" {
		return "line " + strconv.Itoa(line) + " " + e.Error() + "; the rest of the file is not read"
	}
	return e.Error() + "; the rest of the file is not read"
}

// byteSize formats a size: "300 bytes", "1 MiB", "1.5 KiB", "16 GiB".
func byteSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	const units = "KMGTPE"
	v, u := float64(n)/1024, 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	return fmt.Sprintf("%.4g %ciB", v, units[u])
}

// guard is what the text readers read: the file's bytes, decompressed. It
// counts them, refuses NUL bytes, stops a record that grows past the
// maximum record length, and bounds decompression. Its errors stick.
type guard struct {
	r         io.Reader
	delivered int64 // bytes handed out
	start     int64 // where the record being read starts (set between records)
	maxRecord int64 // 0: none
	slack     int64 // bytes the reader may have buffered beyond what it consumed
	err       error

	compressed *countingReader // the gzip bytes read, nil for plain input
	maxGzip    int64           // 0: none
	maxRatio   int64           // 0: none
}

// Read implements io.Reader.
func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	// The record started at g.start has not ended (the reader is still
	// reading it) and more than maxRecord of it has been consumed: at most
	// slack of what was handed out is still unread.
	if g.maxRecord > 0 && g.delivered-g.start > g.maxRecord+g.slack {
		g.err = &limitError{what: "record", limit: g.maxRecord}
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if i := bytes.IndexByte(p[:n], 0); i >= 0 {
		n, g.err = i, &limitError{what: "NUL"}
	}
	g.delivered += int64(n)
	if g.compressed != nil && g.err == nil {
		in := g.compressed.n.Load()
		switch {
		case g.maxGzip > 0 && g.delivered > g.maxGzip:
			g.err = &limitError{what: "gzip size", limit: g.maxGzip}
		case g.maxRatio > 0 && g.delivered > gzipRatioFloor && g.delivered > g.maxRatio*max(in, 1):
			g.err = &limitError{what: "gzip ratio", limit: g.maxRatio, n: g.delivered, of: in}
		}
	}
	if g.err != nil {
		return n, g.err
	}
	return n, err
}

// clipped returns a row error's value and message bounded in length: the
// value cut to a prefix by domain.Quote, and in the message too when it
// quotes it, then the message cut to maxMessageBytes. A value of a
// megabyte no longer makes a message of a megabyte.
func clipped(value, message string) (string, string) {
	if len(value) > domain.QuoteMax {
		short := domain.Quote(value, domain.QuoteMax)
		if len(message) >= len(value) {
			if q := strconv.Quote(value); strings.Contains(message, q) {
				message = strings.ReplaceAll(message, q, strconv.Quote(short))
			} else {
				message = strings.ReplaceAll(message, value, short)
			}
		}
		value = short
	}
	if len(message) > maxMessageBytes {
		message = domain.Quote(message, maxMessageBytes)
	}
	return value, message
}
