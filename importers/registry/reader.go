package registry

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"databank/domain"
	"databank/ontology"
)

// Options tune how files are read.
type Options struct {
	// Format is the layout; FormatAuto decides by the file name, then by
	// the header line (tabs and no commas: TSV).
	Format Format
	// IgnoreUnknownColumns skips columns that are not documented instead
	// of reporting them as errors.
	IgnoreUnknownColumns bool
	// MaxRecordBytes bounds the length of one record (a line, or a CSV
	// record with quoted line breaks): a longer one is an error naming its
	// line and the limit, and the rest of the file is not read; no more
	// than about that much is held in memory meanwhile. 0 means
	// DefaultMaxRecordBytes, a negative value no limit.
	MaxRecordBytes int
	// MaxGzipBytes bounds how much gzip input may decompress to; 0 means
	// DefaultMaxGzipBytes, a negative value no limit.
	MaxGzipBytes int64
	// MaxGzipRatio bounds how many times gzip input may expand, once more
	// than 64 MiB are decompressed; 0 means DefaultMaxGzipRatio, a negative
	// value no limit.
	MaxGzipRatio int
	// MaxRowErrors bounds the rows with errors read from one file: after
	// that many, reading stops with an error saying so, so that a file of
	// millions of bad rows is not validated to its end. 0 means
	// DefaultMaxRowErrors, a negative value no limit.
	MaxRowErrors int
	// Vocabulary checks the rows' codes (nil: the built-in release,
	// ontology.Builtin). A server passes the vocabulary it serves.
	Vocabulary domain.Vocabulary
}

const readBufferSize = 256 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	gzipMagic  = []byte{0x1f, 0x8b}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Reader streams the rows of one registry file. It implements
// domain.ImportSource.
type Reader struct {
	name   string
	schema *schema
	opts   Options

	src     io.Reader
	guard   *guard        // under in: counts, refuses NUL bytes, bounds records and gzip
	in      *bufio.Reader // the text, decompressed
	csv     *csv.Reader
	skipped int // blank lines skipped before the CSV reader saw them
	tsv     bool
	tsvLine int
	tsvRec  []string
	scratch []byte
	endLine int // line the last record read ends on

	started bool // the header was read (by Next, before any read-ahead)
	// Owned by the goroutine reading ahead while one runs.
	stopped bool // nothing more can be read
	badRows int  // rows with errors so far
	width   int  // fields of the header
	pos     []int
	// written names each column as the header spells it (its current
	// or former name), for the errors of its rows
	written []string
	line    int         // line of the last record read
	parsers []rowParser // one per parsing goroutine

	batch  []pending // the batch being served, parsed
	fields []string  // the fields of the batch's records
	next   int       // the next row of batch to return
	last   bool      // no batch follows this one
	failed error     // the problem that stopped the file, once batch is served
	ahead  *ahead    // the next batch, being read ahead
}

// NewReader returns a reader of the rows of kind in r. name names the file
// in messages. Gzip-compressed input is recognised by its magic number and
// decompressed; a UTF-8 byte order mark is skipped. NewReader reads
// nothing: the header and every problem of the file come from Next.
func NewReader(r io.Reader, name string, kind domain.ImportKind, opts Options) (*Reader, error) {
	s, err := schemaOf(kind)
	if err != nil {
		return nil, err
	}
	if opts.Vocabulary == nil {
		opts.Vocabulary = ontology.Builtin()
	}
	rd := &Reader{name: name, schema: s, opts: opts, src: r}
	now := time.Now()
	rd.parsers = make([]rowParser, parseWorkers())
	for i := range rd.parsers {
		rd.parsers[i] = rowParser{file: name, schema: s, asOf: now, vocab: opts.Vocabulary}
	}
	return rd, nil
}

// Kind is what the rows describe.
func (r *Reader) Kind() domain.ImportKind { return r.schema.kind }

// Name names the file in messages.
func (r *Reader) Name() string { return r.name }

// fileError returns a problem of the file at line (0: the whole file).
func (r *Reader) fileError(line int, column, value, format string, args ...any) domain.RowErrors {
	return domain.RowErrors{{File: r.name, Line: line, Column: column, Value: value, Message: fmt.Sprintf(format, args...)}}
}

// Next returns the next data row; see domain.ImportSource. The row stays
// valid until Next is called again.
func (r *Reader) Next() (*domain.ImportRow, error) {
	if !r.started {
		r.started = true
		if errs, fatal := r.start(); len(errs) > 0 {
			r.stopped, r.last = fatal, fatal
			return nil, errs
		}
	}
	for r.next == len(r.batch) {
		if r.last {
			if errs := r.failed; errs != nil {
				r.failed = nil
				return nil, errs
			}
			return nil, io.EOF
		}
		r.fill()
	}
	r.next++
	return &r.batch[r.next-1].row, nil
}

// read fills a with the next batch of records, up to the end of the file
// or a problem that stops it, and parses them. It runs on a's goroutine,
// the only one touching the input while it runs.
func (r *Reader) read(a *ahead) {
	size := 0 // bytes of the batch's records, and 16 per field kept
	for len(a.batch) < batchSize && size < batchBytes && !r.stopped {
		rec, line, err := r.record()
		switch {
		case err == io.EOF:
			r.stopped = true
			continue
		case err != nil:
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, io.ErrUnexpectedEOF) {
				start, at := pe.StartLine+r.skipped, pe.Line+r.skipped
				r.line, r.endLine = start, at
				a.batch = append(a.batch, pending{parsed: true, row: domain.ImportRow{Line: start, Errors: []domain.RowError{{
					File: r.name, Line: start,
					Message: fmt.Sprintf("malformed CSV at line %d, character %d: %v", at, pe.Column, pe.Err)}}}})
				continue
			}
			r.stopped = true
			a.failed = r.readError(line, err)
			continue
		}
		r.line = line
		if blank(rec) {
			continue
		}
		n := len(rec)
		for _, f := range rec {
			size += len(f) // the record's string stays, whatever fields are kept
		}
		// A record keeps no more fields than the header has, and one
		// more when the extra ones are not blank (an error for parse): a
		// line of a million empty fields does not make a million strings.
		if n > r.width && r.width > 0 {
			if blank(rec[r.width:]) {
				rec = rec[:r.width]
			} else {
				rec = rec[:r.width+1]
			}
		}
		size += 16 * len(rec)
		// The CSV and TSV readers reuse the record's slice (not its
		// strings): the fields are kept in the batch's fields, reused
		// from batch to batch once the rows are served.
		start := len(a.fields)
		a.fields = append(a.fields, rec...)
		a.batch = append(a.batch, pending{rec: a.fields[start:len(a.fields):len(a.fields)], line: line, fields: n})
	}
	a.last = r.stopped
	r.parseBatch(a.batch)
	r.countBadRows(a)
}

// countBadRows counts the rows of a with errors and, at the most a file
// may have, ends the file with the row that reaches it.
func (r *Reader) countBadRows(a *ahead) {
	most := limit(r.opts.MaxRowErrors, DefaultMaxRowErrors)
	if most <= 0 {
		return
	}
	for i := range a.batch {
		if len(a.batch[i].row.Errors) == 0 {
			continue
		}
		r.badRows++
		if r.badRows < most || a.last && i == len(a.batch)-1 {
			continue
		}
		line := a.batch[i].row.Line
		a.batch, a.last, r.stopped = a.batch[:i+1], true, true
		a.failed = r.fileError(line+1, "", "", "%d rows have errors, the most one file may have: reading stopped after line %d, the rest of the file is not read (correct these rows first)", r.badRows, line)
		return
	}
}

// readError is the file error for err, which stopped reading at line.
func (r *Reader) readError(line int, err error) domain.RowErrors {
	var le *limitError
	if errors.As(err, &le) {
		return r.fileError(line, "", "", "%s", le.message(line))
	}
	return r.fileError(r.line+1, "", "", "the rest of the file cannot be read after line %d: %s", r.line, readProblem(err))
}

// readProblem explains an error of the underlying stream.
func readProblem(err error) string {
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the data ends too early (truncated or incompletely copied file?)"
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader):
		return "corrupt gzip data (" + err.Error() + ")"
	}
	return err.Error()
}

// start sniffs compression, byte order mark and format, and reads the
// header. fatal says whether rows can be read after the returned errors.
func (r *Reader) start() (errs domain.RowErrors, fatal bool) {
	r.guard = &guard{
		maxRecord: int64(limit(r.opts.MaxRecordBytes, DefaultMaxRecordBytes)),
		slack:     readBufferSize,
	}
	// The first two bytes tell gzip; they are read again after.
	var magic [2]byte
	m, err := io.ReadFull(r.src, magic[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return r.fileError(0, "", "", "cannot read the file: %s", readProblem(err)), true
	}
	src := io.MultiReader(bytes.NewReader(magic[:m]), r.src)
	r.guard.r = src
	if bytes.Equal(magic[:m], gzipMagic) {
		compressed := &countingReader{r: src}
		gz, err := gzip.NewReader(bufio.NewReaderSize(compressed, readBufferSize))
		if err != nil {
			return r.fileError(0, "", "", "cannot read gzip data: %s", readProblem(err)), true
		}
		r.guard.r, r.guard.compressed = gz, compressed
		r.guard.maxGzip = limit(r.opts.MaxGzipBytes, DefaultMaxGzipBytes)
		r.guard.maxRatio = int64(limit(r.opts.MaxGzipRatio, DefaultMaxGzipRatio))
	}
	r.in = bufio.NewReaderSize(r.guard, readBufferSize)
	head, err := r.in.Peek(3)
	var le *limitError
	switch {
	case errors.As(err, &le):
		return r.fileError(1, "", "", "%s", le.message(1)), true
	case err != nil && err != io.EOF:
		return r.fileError(0, "", "", "cannot read the file: %s", readProblem(err)), true
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		_, _ = r.in.Discard(len(bomUTF8))
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return r.fileError(0, "", "", "the file is UTF-16 encoded: save it as UTF-8 (CSV UTF-8 in spreadsheet programs)"), true
	}
	format := r.opts.Format
	if format == FormatAuto {
		format = FormatOf(r.name)
	}
	if format == FormatAuto {
		first, _ := r.in.Peek(4096)
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		format = FormatCSV
		if bytes.IndexByte(first, '\t') >= 0 && bytes.IndexByte(first, ',') < 0 {
			format = FormatTSV
		}
	}
	if format == FormatTSV {
		r.tsv = true
	} else {
		r.csv = csv.NewReader(r.in)
		r.csv.FieldsPerRecord = -1
		r.csv.ReuseRecord = true
	}
	for {
		header, line, err := r.record()
		var le *limitError
		switch {
		case err == io.EOF:
			return r.fileError(0, "", "", "the file is empty: a header row with the column names is expected first"), true
		case errors.As(err, &le):
			return r.fileError(line, "", "", "%s", le.message(line)), true
		case err != nil:
			return r.fileError(r.line+1, "", "", "cannot read the header: %s", readProblem(err)), true
		}
		r.line = line
		if blank(header) {
			continue
		}
		return r.mapHeader(header, line)
	}
}

// mapHeader finds the documented columns in the header.
func (r *Reader) mapHeader(header []string, line int) (errs domain.RowErrors, fatal bool) {
	s := r.schema
	r.width = len(header)
	r.pos = make([]int, len(s.columns))
	r.written = make([]string, len(s.columns))
	for i := range r.pos {
		r.pos[i] = -1
	}
	// A header of a million unknown or empty columns gets maxHeaderErrors
	// errors, the last one counting the others.
	more := 0
	add := func(e domain.RowError) {
		if len(errs) < maxHeaderErrors-1 {
			e.Value, e.Message = clipped(e.Value, e.Message)
			e.Column = domain.Quote(e.Column, domain.QuoteMax)
			errs = append(errs, e)
		} else {
			more++
		}
	}
	var unknown []string
	for j, h := range header {
		if !utf8.ValidString(h) {
			add(domain.RowError{File: r.name, Line: line, Column: strconv.Itoa(j + 1), Value: strings.ToValidUTF8(domain.Quote(h, domain.QuoteMax), "\uFFFD"),
				Message: "is not valid UTF-8: save the file as UTF-8"})
			continue
		}
		name := normalizeHeader(h)
		i := s.index(name)
		switch {
		case i < 0 && name == "" && r.opts.IgnoreUnknownColumns:
		case i < 0 && name == "":
			add(domain.RowError{File: r.name, Line: line, Column: strconv.Itoa(j + 1), Message: "column has no name"})
		case i < 0:
			if !r.opts.IgnoreUnknownColumns && len(unknown) < maxHeaderErrors {
				unknown = append(unknown, h)
			} else if !r.opts.IgnoreUnknownColumns {
				more++
			}
		case r.pos[i] >= 0:
			msg := fmt.Sprintf("column appears twice (positions %d and %d)", r.pos[i]+1, j+1)
			if c := s.columns[i]; c.formerly != "" {
				msg = fmt.Sprintf("column appears twice (positions %d and %d): %s is the former name of %s; keep one", r.pos[i]+1, j+1, c.formerly, c.name)
			}
			add(domain.RowError{File: r.name, Line: line, Column: name, Message: msg})
		default:
			r.pos[i], r.written[i] = j, name
		}
	}
	for _, h := range unknown {
		add(domain.RowError{File: r.name, Line: line, Column: strings.TrimSpace(h),
			Message: fmt.Sprintf("unknown column; the columns of %s files are %s (set ignore-unknown-columns to skip unknown columns)",
				s.kind, strings.Join(Columns(s.kind), ", "))})
	}
	if more > 0 {
		errs = append(errs, domain.RowError{File: r.name, Line: line,
			Message: fmt.Sprintf("and %d more problems with the columns of the header (%d columns)", more, len(header))})
	}
	var missing []string
	for i, c := range s.columns {
		if r.pos[i] < 0 && !c.optional {
			missing = append(missing, c.name)
		}
	}
	for _, group := range s.oneOf {
		found := false
		for _, name := range group {
			found = found || r.pos[s.index(name)] >= 0
		}
		if !found {
			missing = append(missing, strings.Join(group, " or "))
		}
	}
	if len(missing) > 0 {
		errs = append(errs, domain.RowError{File: r.name, Line: line, Column: strings.Join(missing, ", "),
			Message: fmt.Sprintf("missing column(s): a %s file needs the columns %s", s.kind, strings.Join(Columns(s.kind), ", "))})
		return errs, true
	}
	return errs, false
}

// record reads the next record and the line it starts on; with an error,
// the line is the one the problem is on as far as known. Blank lines before
// the record are skipped first.
func (r *Reader) record() ([]string, int, error) {
	blanks := r.skipBlankLines()
	r.endLine += blanks
	r.guard.start = r.consumed()
	if !r.tsv {
		r.skipped += blanks
		rec, err := r.csv.Read()
		if err != nil {
			return nil, r.endLine + 1, err
		}
		line, _ := r.csv.FieldPos(0)
		last, _ := r.csv.FieldPos(len(rec) - 1)
		line += r.skipped
		r.endLine = last + r.skipped + strings.Count(rec[len(rec)-1], "\n")
		if err := r.checkLength(); err != nil {
			return nil, line, err
		}
		return rec, line, nil
	}
	r.tsvLine += blanks
	rec, line, err := r.tsvRecord()
	if err != nil {
		return nil, r.tsvLine + 1, err
	}
	r.endLine = line
	if err := r.checkLength(); err != nil {
		return nil, line, err
	}
	return rec, line, nil
}

// consumed returns how many bytes of text the CSV or TSV reader has taken.
func (r *Reader) consumed() int64 { return r.guard.delivered - int64(r.in.Buffered()) }

// checkLength checks the length of the record just read, which the guard
// only bounds up to the read-ahead buffer.
func (r *Reader) checkLength() error {
	n := r.consumed() - r.guard.start
	if max := r.guard.maxRecord; max > 0 && n > max {
		return &limitError{what: "record", limit: max}
	}
	return nil
}

// skipBlankLines discards the empty lines (LF or CRLF) at the reading
// position and returns how many there were. Runs of blank lines, which a
// decompression bomb is typically made of, are passed over by a byte scan
// instead of a record at a time.
func (r *Reader) skipBlankLines() int {
	if b, err := r.in.Peek(1); err != nil || b[0] != '\n' && b[0] != '\r' {
		return 0 // the usual case: a record follows
	}
	lines := 0
	for {
		r.guard.start = r.consumed() // blank lines are no record's
		if r.in.Buffered() == 0 {
			if _, err := r.in.Peek(1); err != nil {
				return lines
			}
		}
		buf, _ := r.in.Peek(r.in.Buffered())
		n := 0
	scan:
		for n < len(buf) {
			switch {
			case buf[n] == '\n':
				n++
			case buf[n] == '\r' && n+1 < len(buf) && buf[n+1] == '\n':
				n += 2
			default:
				break scan
			}
			lines++
		}
		_, _ = r.in.Discard(n)
		switch {
		case n == len(buf):
		case n == len(buf)-1 && buf[n] == '\r':
			// A CR at the end of the buffer: is its LF in the next read?
			if next, _ := r.in.Peek(2); len(next) < 2 || next[1] != '\n' {
				return lines
			}
		default:
			return lines
		}
	}
}

// tsvRecord reads one line of a TSV file: fields separated by tabs, no
// quoting, a trailing CR dropped.
func (r *Reader) tsvRecord() ([]string, int, error) {
	line, err := r.in.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.scratch = append(r.scratch[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.in.ReadSlice('\n')
			r.scratch = append(r.scratch, line...)
		}
		line = r.scratch
	}
	switch {
	case err == io.EOF && len(line) == 0:
		return nil, 0, io.EOF
	case err != nil && err != io.EOF:
		return nil, 0, err
	}
	r.tsvLine++
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	s := string(line)
	r.tsvRec = r.tsvRec[:0]
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			r.tsvRec = append(r.tsvRec, s)
			break
		}
		r.tsvRec = append(r.tsvRec, s[:i])
		s = s[i+1:]
	}
	return r.tsvRec, r.tsvLine, nil
}

// blank reports whether every field of rec is empty or white space, as in
// the trailing ",,,," rows spreadsheets write.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parse turns one record into row, with the parser p. The record had n
// fields; read kept no more than the header's, and one more when the extra
// ones were not blank.
func (r *Reader) parse(p *rowParser, row *domain.ImportRow, rec []string, n, line int) {
	*row = domain.ImportRow{Line: line}
	p.row, p.rec, p.pos, p.written, p.bad = row, rec, r.pos, r.written, p.bad[:0]
	if n != r.width && !(n > r.width && len(rec) == r.width) {
		p.row.Errors = append(p.row.Errors, domain.RowError{File: r.name, Line: line,
			Message: fmt.Sprintf("the row has %d fields but the header has %d", n, r.width)})
		return
	}
	for i, c := range r.schema.columns {
		if j := r.pos[i]; j >= 0 && !utf8.ValidString(rec[j]) {
			p.fail(c.name, strings.ToValidUTF8(rec[j], "\uFFFD"), "is not valid UTF-8: save the file as UTF-8")
			rec[j] = ""
		}
	}
	r.schema.parse(p, row)
}
