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
)

// Options tune how files are read.
type Options struct {
	// Format is the layout; FormatAuto decides by the file name, then by
	// the header line (tabs and no commas: TSV).
	Format Format
	// IgnoreUnknownColumns skips columns that are not documented instead
	// of reporting them as errors.
	IgnoreUnknownColumns bool
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
	in      *bufio.Reader
	gz      *gzip.Reader
	csv     *csv.Reader
	tsv     bool
	tsvLine int
	tsvRec  []string
	scratch []byte

	started bool // the header was read (by Next, before any read-ahead)
	// Owned by the goroutine reading ahead while one runs.
	stopped bool // nothing more can be read
	width   int  // fields of the header
	pos     []int
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
	rd := &Reader{name: name, schema: s, opts: opts, src: r}
	now := time.Now()
	rd.parsers = make([]rowParser, parseWorkers())
	for i := range rd.parsers {
		rd.parsers[i] = rowParser{file: name, schema: s, asOf: now}
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
	for len(a.batch) < batchSize && !r.stopped {
		rec, line, err := r.record()
		switch {
		case err == io.EOF:
			r.stopped = true
			continue
		case err != nil:
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, io.ErrUnexpectedEOF) {
				r.line = pe.StartLine
				a.batch = append(a.batch, pending{parsed: true, row: domain.ImportRow{Line: pe.StartLine, Errors: []domain.RowError{{
					File: r.name, Line: pe.StartLine,
					Message: fmt.Sprintf("malformed CSV at line %d, character %d: %v", pe.Line, pe.Column, pe.Err)}}}})
				continue
			}
			r.stopped = true
			a.failed = r.fileError(r.line+1, "", "", "the rest of the file cannot be read after line %d: %s", r.line, readProblem(err))
			continue
		}
		r.line = line
		if blank(rec) {
			continue
		}
		// The CSV and TSV readers reuse the record's slice (not its
		// strings): the fields are kept in the batch's fields, reused
		// from batch to batch once the rows are served.
		start := len(a.fields)
		a.fields = append(a.fields, rec...)
		a.batch = append(a.batch, pending{rec: a.fields[start:len(a.fields):len(a.fields)], line: line})
	}
	a.last = r.stopped
	r.parseBatch(a.batch)
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
	r.in = bufio.NewReaderSize(r.src, readBufferSize)
	if head, _ := r.in.Peek(2); bytes.Equal(head, gzipMagic) {
		gz, err := gzip.NewReader(r.in)
		if err != nil {
			return r.fileError(0, "", "", "cannot read gzip data: %s", readProblem(err)), true
		}
		r.gz = gz
		r.in = bufio.NewReaderSize(gz, readBufferSize)
	}
	head, err := r.in.Peek(3)
	if err != nil && err != io.EOF {
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
		switch {
		case err == io.EOF:
			return r.fileError(0, "", "", "the file is empty: a header row with the column names is expected first"), true
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
	for i := range r.pos {
		r.pos[i] = -1
	}
	var unknown []string
	for j, h := range header {
		if !utf8.ValidString(h) {
			errs = append(errs, domain.RowError{File: r.name, Line: line, Column: strconv.Itoa(j + 1), Value: strings.ToValidUTF8(h, "\uFFFD"),
				Message: "is not valid UTF-8: save the file as UTF-8"})
			continue
		}
		name := normalizeHeader(h)
		i := s.index(name)
		switch {
		case i < 0 && name == "" && r.opts.IgnoreUnknownColumns:
		case i < 0 && name == "":
			errs = append(errs, domain.RowError{File: r.name, Line: line, Column: strconv.Itoa(j + 1), Message: "column has no name"})
		case i < 0:
			if !r.opts.IgnoreUnknownColumns {
				unknown = append(unknown, h)
			}
		case r.pos[i] >= 0:
			errs = append(errs, domain.RowError{File: r.name, Line: line, Column: name, Message: fmt.Sprintf("column appears twice (positions %d and %d)", r.pos[i]+1, j+1)})
		default:
			r.pos[i] = j
		}
	}
	for _, h := range unknown {
		errs = append(errs, domain.RowError{File: r.name, Line: line, Column: strings.TrimSpace(h),
			Message: fmt.Sprintf("unknown column; the columns of %s files are %s (set ignore-unknown-columns to skip unknown columns)",
				s.kind, strings.Join(Columns(s.kind), ", "))})
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

// record reads the next record and the line it starts on.
func (r *Reader) record() ([]string, int, error) {
	if !r.tsv {
		rec, err := r.csv.Read()
		if err != nil {
			return nil, 0, err
		}
		line, _ := r.csv.FieldPos(0)
		return rec, line, nil
	}
	return r.tsvRecord()
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

// parse turns one record into row, with the parser p.
func (r *Reader) parse(p *rowParser, row *domain.ImportRow, rec []string, line int) {
	*row = domain.ImportRow{Line: line}
	p.row, p.rec, p.pos, p.bad = row, rec, r.pos, p.bad[:0]
	if len(rec) != r.width && !(len(rec) > r.width && blank(rec[r.width:])) {
		p.row.Errors = append(p.row.Errors, domain.RowError{File: r.name, Line: line,
			Message: fmt.Sprintf("the row has %d fields but the header has %d", len(rec), r.width)})
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
