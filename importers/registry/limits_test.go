package registry

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// Hostile inputs are generated while they are read, through a pipe: a
// gigabyte line is never held by the test. The figures in the comments are
// those of the issue "No request or file can exhaust the server", measured
// on the reader before these limits.

const donorsHeader = "biobank,donor_id,sex,birth_year,vital_status\n"

// part is one piece of a generated file: unit repeated up to n bytes.
type part struct {
	unit string
	n    int64
}

// text is a part of literal text.
func text(s string) part { return part{s, int64(len(s))} }

// repeat is a part of n bytes repeating unit.
func repeat(unit string, n int64) part { return part{unit, n} }

// write writes p to w, compressed as gzip members when gz: a member of up
// to a mebibyte is compressed once and written as often as needed (a
// multi-member gzip file, which gzip readers read as one stream), so the
// generator costs next to nothing.
func (p part) write(w io.Writer, gz bool) error {
	block := []byte(strings.Repeat(p.unit, max(1, int(min(p.n, 1<<20))/len(p.unit))))
	var member []byte
	if gz {
		member = gzipBytes(block)
	}
	for n := p.n; n > 0; {
		m := min(int64(len(block)), n)
		out := block[:m]
		switch {
		case gz && m == int64(len(block)):
			out = member
		case gz:
			out = gzipBytes(block[:m])
		}
		if _, err := w.Write(out); err != nil {
			return err
		}
		n -= m
	}
	return nil
}

func gzipBytes(b []byte) []byte { return []byte(gzipped(string(b))) }

// generated returns a reader of the parts, gzip-compressed with gz, written
// by a goroutine as they are read. The goroutine stops when the test ends
// or the reader is abandoned.
func generated(t testing.TB, gz bool, parts ...part) io.Reader {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { pr.CloseWithError(io.ErrClosedPipe) })
	go func() {
		for _, p := range parts {
			if err := p.write(pw, gz); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.Close()
	}()
	return pr
}

// allocated returns the bytes allocated (by every goroutine) while fn ran.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// readLimited reads every row of r as donors, returning the rows and the
// file errors, and how many bytes were allocated meanwhile.
func readLimited(t *testing.T, r io.Reader, name string, opts Options) (rows []domain.ImportRow, errs domain.RowErrors, alloc uint64) {
	t.Helper()
	rd, err := NewReader(r, name, domain.ImportDonors, opts)
	require.NoError(t, err)
	alloc = allocated(func() { rows, errs = drain(t, rd) })
	return rows, errs, alloc
}

func TestReaderRefusesRecordsLongerThanTheLimit(t *testing.T) {
	// "A 1 MB .tsv.gz holding one 1 GiB line takes 4.8 GiB"; the same
	// with a 256 MiB line here, and as CSV with one quoted field over
	// millions of short lines, which a line-length limit alone misses.
	tests := []struct {
		name  string
		gz    bool
		parts []part
		line  int // of the long record
		rows  int // read before it
	}{
		{"donors.tsv.gz", true, []part{text(strings.ReplaceAll(donorsHeader, ",", "\t")), repeat("x", 256<<20), text("\n")}, 2, 0},
		{"donors.csv", false, []part{text(donorsHeader + "DNB,D1,female,1961,alive\n"), text(`DNB,"`), repeat("x\n", 256<<20)}, 3, 1},
		{"donors.csv.gz", true, []part{repeat("y", 256<<20)}, 1, 0}, // the header
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs, alloc := readLimited(t, generated(t, tt.gz, tt.parts...), tt.name, Options{})
			require.Len(t, errs, 1, "%v", errs)
			assert.Equal(t, tt.name, errs[0].File)
			assert.Equal(t, tt.line, errs[0].Line)
			assert.Contains(t, errs[0].String(), fmt.Sprintf("%s:%d: line %d is longer than 1 MiB, the maximum length of a record", tt.name, tt.line, tt.line))
			assert.Len(t, rows, tt.rows)
			t.Logf("allocated %d bytes", alloc)
			assert.Less(t, alloc, uint64(48<<20), "allocated %d bytes", alloc)
		})
	}

	// The limit is exact for records read whole, and configurable.
	const limit = 64
	row := func(id string) string { // a donors row of exactly limit bytes, line end included
		r := "DNB," + id + ",female,1961,alive"
		return r + strings.Repeat(" ", limit-len(r)-1) + "\n"
	}
	for _, name := range []string{"donors.csv", "donors.tsv"} {
		file := donorsHeader + row("D1") + row("D2") + "\n" + row("D3") + " " + row("D4") + row("D5")
		if name == "donors.tsv" {
			file = strings.ReplaceAll(file, ",", "\t")
		}
		rows, errs := readAll(t, name, file, domain.ImportDonors, Options{MaxRecordBytes: limit})
		require.Len(t, errs, 1, "%v", errs)
		assert.Equal(t, 6, errs[0].Line, name)
		assert.Equal(t, "line 6 is longer than 64 bytes, the maximum length of a record (a file without line ends, or a quote that is never closed?); the rest of the file is not read", errs[0].Message)
		assert.Len(t, rows, 3, "the rows before it are read")
	}

	// A negative limit is none.
	rows, errs := readAll(t, "donors.csv", donorsHeader+"DNB,D1,female,1961,alive"+strings.Repeat(",", 2<<20)+"\n", domain.ImportDonors, Options{MaxRecordBytes: -1})
	assert.Empty(t, errs)
	require.Len(t, rows, 1)
	assert.Empty(t, rows[0].Errors, "trailing empty fields are fine")
}

func TestReaderGzipLimits(t *testing.T) {
	// "A 4 MB .gz of blank lines runs 50 s, past the timeout, then
	// INTERNAL": 1 GiB of line ends compresses to about 1 MB.
	rows, errs, alloc := readLimited(t, generated(t, true, text(donorsHeader), repeat("\n", 1<<30)), "donors.csv.gz", Options{})
	require.Len(t, errs, 1, "%v", errs)
	assert.Equal(t, "donors.csv.gz", errs[0].File)
	assert.Contains(t, errs[0].Message, "the gzip data expands more than 100 times")
	assert.Contains(t, errs[0].Message, "the maximum for a compressed file: refused as a likely decompression bomb; the rest of the file is not read")
	assert.Empty(t, rows)
	assert.Less(t, alloc, uint64(16<<20), "allocated %d bytes", alloc)

	// The decompressed size, configured; rows before the limit are read.
	var b strings.Builder
	b.WriteString(donorsHeader)
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "DNB,D%d,female,%d,alive\n", i*7919%100003, 1900+i%100) // compresses about 4 times
	}
	rows, errs, _ = readLimited(t, strings.NewReader(gzipped(b.String())), "donors.csv.gz", Options{MaxGzipBytes: 1 << 20})
	require.Len(t, errs, 1, "%v", errs)
	assert.Contains(t, errs[0].Message, "the gzip data decompresses to more than 1 MiB, the maximum for a compressed file")
	assert.Greater(t, errs[0].Line, 1000)
	assert.NotEmpty(t, rows)

	// Without limits, blank lines are read to the end (past the ratio
	// floor, lowered to keep the test short under the race detector).
	defer func(n int64) { gzipRatioFloor = n }(gzipRatioFloor)
	gzipRatioFloor = 1 << 20
	rows, errs, _ = readLimited(t, generated(t, true, text(donorsHeader), repeat("\r\n", 8<<20), text("DNB,D1,female,1961,alive\n")),
		"donors.csv.gz", Options{MaxGzipBytes: -1, MaxGzipRatio: -1})
	require.Empty(t, errs)
	require.Len(t, rows, 1)
	assert.Equal(t, 2+4<<20, rows[0].Line)
	_, errs, _ = readLimited(t, generated(t, true, text(donorsHeader), repeat("\r\n", 8<<20), text("DNB,D1,female,1961,alive\n")),
		"donors.csv.gz", Options{})
	require.Len(t, errs, 1, "the same with the ratio limit")
}

func TestReaderStopsAfterManyBadRows(t *testing.T) {
	// A 1 MB .gz of "a" lines made 33 million rows with errors, which the
	// reader validated for 33 s before the gzip limits stopped it.
	r, err := NewReader(generated(t, true, text(donorsHeader), repeat("a\n", 1<<30)), "donors.csv.gz", domain.ImportDonors, Options{})
	require.NoError(t, err)
	n, last := 0, ""
	var errs domain.RowErrors
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if re, ok := err.(domain.RowErrors); ok {
			errs = append(errs, re...)
			continue
		}
		require.NoError(t, err)
		n, last = n+1, row.Errors[0].Message
	}
	require.Len(t, errs, 1, "%v", errs)
	assert.Equal(t, "donors.csv.gz:100002: 100000 rows have errors, the most one file may have: reading stopped after line 100001, "+
		"the rest of the file is not read (correct these rows first)", errs[0].String())
	assert.Equal(t, DefaultMaxRowErrors, n)
	assert.Equal(t, "the row has 1 fields but the header has 5", last)

	// Configured; good rows do not count, and a file whose last row
	// reaches the limit ends as it is.
	file := donorsHeader + "DNB,D1,female,1961,alive\nx\nDNB,D2,female,1961,alive\ny\nz\n"
	rows, errs := readAll(t, "donors.csv", file, domain.ImportDonors, Options{MaxRowErrors: 2})
	require.Len(t, errs, 1)
	assert.Equal(t, 6, errs[0].Line)
	assert.Contains(t, errs[0].Message, "2 rows have errors, the most one file may have: reading stopped after line 5")
	assert.Equal(t, 4, len(rows))
	rows, errs = readAll(t, "donors.csv", file, domain.ImportDonors, Options{MaxRowErrors: 3})
	assert.Empty(t, errs, "the limit reached by the last row")
	assert.Equal(t, 5, len(rows))
	rows, errs = readAll(t, "donors.csv", file+"DNB,D3,female,1961,alive\n", domain.ImportDonors, Options{MaxRowErrors: 3})
	require.Len(t, errs, 1)
	assert.Equal(t, 7, errs[0].Line)
	assert.Equal(t, 5, len(rows))
	rows, errs = readAll(t, "donors.csv", file+"w\n", domain.ImportDonors, Options{MaxRowErrors: -1})
	assert.Empty(t, errs)
	assert.Equal(t, 6, len(rows))
}

func TestReaderRefusesBinaryData(t *testing.T) {
	// "1,000 MiB of zero bytes takes 7.7 GiB and ends INTERNAL".
	for _, gz := range []bool{false, true} {
		name := map[bool]string{false: "donors.csv", true: "donors.csv.gz"}[gz]
		t.Run(name, func(t *testing.T) {
			rows, errs, alloc := readLimited(t, generated(t, gz, repeat("\x00", 1000<<20)), name, Options{})
			require.Len(t, errs, 1, "%v", errs)
			assert.Equal(t, name+":1: line 1 holds a NUL byte: the file is binary data, not CSV or TSV text "+
				"(a spreadsheet .xlsx or .ods, UTF-16 text without a byte order mark?): save it as CSV UTF-8; the rest of the file is not read", errs[0].String())
			assert.Empty(t, rows)
			assert.Less(t, alloc, uint64(8<<20), "allocated %d bytes", alloc)
		})
	}

	// A NUL byte further down stops the file at its line.
	for _, file := range []string{"donors.csv", "donors.tsv"} {
		text := donorsHeader + "DNB,D1,female,1961,alive\n\nDNB,D2,fe\x00male,1961,alive\nDNB,D3,female,1961,alive\n"
		if file == "donors.tsv" {
			text = strings.ReplaceAll(text, ",", "\t")
		}
		rows, errs := readAll(t, file, text, domain.ImportDonors, Options{})
		require.Len(t, errs, 1, "%v", errs)
		assert.Equal(t, 4, errs[0].Line, file)
		assert.Contains(t, errs[0].Message, "line 4 holds a NUL byte", file)
		assert.Len(t, rows, 1, file)
	}

	// UTF-16 without a byte order mark.
	utf16 := make([]byte, 0, 2*len(donorsHeader))
	for _, c := range []byte(donorsHeader) {
		utf16 = append(utf16, c, 0)
	}
	_, errs := readAll(t, "donors.csv", string(utf16), domain.ImportDonors, Options{})
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Message, "UTF-16")
}

func TestReaderSkipsBlankLines(t *testing.T) {
	// Blank lines (LF, CRLF, across read buffers) are skipped by a byte
	// scan, and line numbers still count them.
	blanks := strings.Repeat("\n", 300<<10) + strings.Repeat("\r\n", 200<<10) + "\n"
	for _, tsv := range []bool{false, true} {
		file := blanks + donorsHeader + blanks + "DNB,D1,female,1961,alive\n" + blanks + "DNB,\"D\n2\",male,1950,alive\n\n\r\nDNB,D3,femal,1950,alive\n" + blanks
		name := "donors.csv"
		if tsv {
			file, name = strings.ReplaceAll(strings.ReplaceAll(file, ",", "\t"), "\"D\n2\"", "D2"), "donors.tsv"
		}
		wantLines := []int{}
		for i, l := range strings.Split(file, "\n") {
			if strings.HasPrefix(l, "DNB") {
				wantLines = append(wantLines, i+1)
			}
		}
		for _, gz := range []bool{false, true} {
			data := file
			if gz {
				data = gzipped(file)
			}
			rows, errs := readAll(t, name, data, domain.ImportDonors, Options{})
			require.Empty(t, errs)
			require.Len(t, rows, 3)
			assert.Equal(t, wantLines, []int{rows[0].Line, rows[1].Line, rows[2].Line}, "tsv %v gzip %v", tsv, gz)
			require.Len(t, rows[2].Errors, 1)
			assert.Equal(t, "sex", rows[2].Errors[0].Column)
		}
	}
}

// peakHeap reads every row of r, measuring the live heap (after a
// collection) every few rows, and returns the largest.
func peakHeap(t *testing.T, r *Reader, every int) (rows int, errs domain.RowErrors, peak uint64) {
	t.Helper()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	for i := 0; ; i++ {
		row, err := r.Next()
		if err == io.EOF {
			return rows, errs, peak
		}
		if re, ok := err.(domain.RowErrors); ok {
			errs = append(errs, re...)
			continue
		}
		require.NoError(t, err)
		_ = row
		rows++
		if i%every == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base {
				peak = max(peak, ms.HeapAlloc-base)
			}
		}
	}
}

func TestReaderMemoryStaysBounded(t *testing.T) {
	// Records just under the limit, and lines of half a million fields:
	// one batch of them held 260 MiB of records, or 8 Mi strings (128 MiB).
	tests := []struct {
		name  string
		parts []part
	}{
		{"long records", []part{text(donorsHeader)}},
		{"many fields", []part{text(donorsHeader)}},
	}
	for range 300 {
		tests[0].parts = append(tests[0].parts, text("DNB,D1,female,1961,alive,"), repeat("z", 900<<10), text("\n"))
	}
	for range 16 {
		tests[1].parts = append(tests[1].parts, text("DNB,D1,female,1961,alive,x"), repeat(",", 512<<10), text("\n"))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(generated(t, false, tt.parts...), "donors.csv", domain.ImportDonors, Options{})
			require.NoError(t, err)
			rows, errs, peak := peakHeap(t, r, 8)
			require.Empty(t, errs)
			assert.Positive(t, rows)
			t.Logf("peak live heap %d bytes", peak)
			assert.Less(t, peak, uint64(64<<20), "peak live heap %d bytes", peak)
		})
	}
}

func TestReaderMessagesQuoteShortPrefixes(t *testing.T) {
	// "Its error message quotes the whole 1 GiB value": a value is quoted
	// by its first domain.QuoteMax bytes, in the message too.
	long := strings.Repeat("é", 50<<10) // 100 KiB
	rows, errs := readAll(t, "samples.csv",
		"biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n"+
			"DNB,S1,D1,,"+long+",,2020-01-15,-80 °C,10,x"+long+",mL,"+long+"\n", domain.ImportSamples, Options{})
	require.Empty(t, errs)
	require.Len(t, rows, 1)
	require.Len(t, rows[0].Errors, 3, "%v", rows[0].Errors)
	for _, e := range rows[0].Errors {
		assert.LessOrEqual(t, len(e.Value), domain.QuoteMax+len("…"), e.Column)
		assert.True(t, strings.HasSuffix(e.Value, "…"), e.Column)
		assert.Less(t, len(e.String()), 400, e.String())
	}
	var material string
	for _, e := range rows[0].Errors {
		if e.Column == "material_type" {
			material = e.String()
		}
	}
	assert.Contains(t, material, `samples.csv:2: column material_type: unknown code "éééé`)

	// A header of a hundred thousand unknown columns, one of them long.
	header := "biobank,donor_id,sex,birth_year,vital_status," + long + strings.Repeat(",x", 100_000) + "\n"
	_, errs = readAll(t, "donors.csv", header, domain.ImportDonors, Options{})
	require.Len(t, errs, maxHeaderErrors)
	assert.LessOrEqual(t, len(errs[0].Column), domain.QuoteMax+len("…"))
	assert.Equal(t, "and 99952 more problems with the columns of the header (100006 columns)", errs[maxHeaderErrors-1].Message)
	var total int
	for _, e := range errs {
		total += len(e.String())
	}
	assert.Less(t, total, 64<<10)
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB",
		1 << 20: "1 MiB", 16 << 30: "16 GiB", 1<<20 - 1: "1024 KiB"} {
		assert.Equal(t, want, byteSize(n), n)
	}
}

func TestClipped(t *testing.T) {
	v, m := clipped("short", `"short" is wrong`)
	assert.Equal(t, "short", v)
	assert.Equal(t, `"short" is wrong`, m)

	long := strings.Repeat("a", 1000)
	v, m = clipped(long, fmt.Sprintf("unknown code %q (allowed: X)", long))
	assert.Equal(t, domain.Quote(long, domain.QuoteMax), v)
	assert.Equal(t, fmt.Sprintf("unknown code %q (allowed: X)", v), m)

	v, m = clipped(long, "bad: "+long+" and "+strings.Repeat("b", 2000))
	assert.Equal(t, domain.Quote(long, domain.QuoteMax), v)
	assert.LessOrEqual(t, len(m), maxMessageBytes+len("…"))
	assert.True(t, strings.HasPrefix(m, "bad: "+v+" and bbb"))

	_, m = clipped("", strings.Repeat("c", 5000))
	assert.Len(t, m, maxMessageBytes+len("…"))
}
