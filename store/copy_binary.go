package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// The staging tables are filled with COPY in PostgreSQL's binary format,
// encoded here rather than by pgx.CopyFrom: the staged values have a
// handful of fixed types, and a type switch on them costs a fraction of
// pgx's per-value encode plans, which showed as a fifth of the reading
// time of a large import.

// copyHeader starts a binary COPY stream: signature, flags, no extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// copyTrailer ends it.
var copyTrailer = []byte{0xff, 0xff}

// pgEpoch is day 0 of PostgreSQL's binary dates.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// textOID is the type of the elements of the staged text arrays.
const textOID = 25

// uuidOID is the type of the elements of uuid arrays.
const uuidOID = 2950

// appendCopyRow appends one row of values in the binary COPY format.
func appendCopyRow(buf []byte, vals []any) ([]byte, error) {
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(vals)))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
			buf = appendNull(buf)
		case string:
			buf = appendBytes(buf, v)
		case pgtype.Text:
			if !v.Valid {
				buf = appendNull(buf)
				continue
			}
			buf = appendBytes(buf, v.String)
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			buf = append(binary.BigEndian.AppendUint32(buf, 1), b)
		case int16:
			buf = binary.BigEndian.AppendUint16(binary.BigEndian.AppendUint32(buf, 2), uint16(v))
		case int32:
			buf = binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(v))
		case pgtype.Int4:
			if !v.Valid {
				buf = appendNull(buf)
				continue
			}
			buf = binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(v.Int32))
		case pgtype.Int8:
			if !v.Valid {
				buf = appendNull(buf)
				continue
			}
			buf = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), uint64(v.Int64))
		case pgtype.UUID:
			if !v.Valid {
				buf = appendNull(buf)
				continue
			}
			buf = append(binary.BigEndian.AppendUint32(buf, 16), v.Bytes[:]...)
		case pgtype.Date:
			if !v.Valid {
				buf = appendNull(buf)
				continue
			}
			if v.InfinityModifier != pgtype.Finite {
				return buf, fmt.Errorf("store: copy: column %d: infinite date", i)
			}
			// The calendar day of the time, as pgx counts it.
			day := time.Date(v.Time.Year(), v.Time.Month(), v.Time.Day(), 0, 0, 0, 0, time.UTC)
			days := int32((day.Unix() - pgEpoch.Unix()) / 86400)
			buf = binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(buf, 4), uint32(days))
		case int64:
			buf = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), uint64(v))
		case time.Time:
			// timestamptz: microseconds since 2000-01-01 UTC, rounded down
			// (Time.Sub would round towards zero and saturate)
			us := v.Unix()*1e6 + int64(v.Nanosecond())/1e3 - pgEpoch.Unix()*1e6
			buf = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 8), uint64(us))
		case jsonbText:
			buf = binary.BigEndian.AppendUint32(buf, uint32(len(v)+1))
			buf = append(append(buf, 1), v...) // jsonb's binary format: version 1, then the text
		case []string:
			buf = appendTextArray(buf, v)
		case [][16]byte:
			buf = appendUUIDArray(buf, v)
		default:
			return buf, fmt.Errorf("store: copy: column %d: cannot encode %T", i, v)
		}
	}
	return buf, nil
}

func appendNull(buf []byte) []byte { return binary.BigEndian.AppendUint32(buf, 0xffffffff) }

func appendBytes(buf []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(buf, uint32(len(s))), s...)
}

// appendTextArray appends a one-dimensional text[] without NULLs; an
// empty list is the empty array.
func appendTextArray(buf []byte, xs []string) []byte {
	size := 12
	if len(xs) > 0 {
		size += 8
		for _, x := range xs {
			size += 4 + len(x)
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(size))
	ndim := uint32(0)
	if len(xs) > 0 {
		ndim = 1
	}
	buf = binary.BigEndian.AppendUint32(buf, ndim)
	buf = binary.BigEndian.AppendUint32(buf, 0) // no NULLs
	buf = binary.BigEndian.AppendUint32(buf, textOID)
	if len(xs) > 0 {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(xs)))
		buf = binary.BigEndian.AppendUint32(buf, 1) // lower bound
		for _, x := range xs {
			buf = appendBytes(buf, x)
		}
	}
	return buf
}

// appendUUIDArray appends a one-dimensional uuid[] without NULLs.
func appendUUIDArray(buf []byte, ids [][16]byte) []byte {
	if len(ids) == 0 { // no dimensions, no NULLs, uuid
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint32(buf, 12), 0), uuidOID)
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(20+20*len(ids)))
	buf = binary.BigEndian.AppendUint32(buf, 1) // one dimension
	buf = binary.BigEndian.AppendUint32(buf, 0) // no NULLs
	buf = binary.BigEndian.AppendUint32(buf, uuidOID)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(ids)))
	buf = binary.BigEndian.AppendUint32(buf, 1) // lower bound
	for _, id := range ids {
		buf = append(binary.BigEndian.AppendUint32(buf, 16), id[:]...)
	}
	return buf
}

// jsonbText is a JSON text to be sent as jsonb.
type jsonbText string

// copyRows is the rows of a binary COPY, produced as they are read.
type copyRows interface {
	Next() bool
	Values() ([]any, error)
}

// copyReader turns rows into a binary COPY stream for pgconn.CopyFrom.
//
// pgconn reads it from a goroutine of its own, which it does not always
// wait for when the copy fails (a cancelled context, a broken
// connection). Close, called once CopyFrom has returned, waits for a Read
// under way and makes later ones fail, so that nothing reads the rows
// once the caller looks at them again.
type copyReader struct {
	mu      sync.Mutex
	closed  bool
	rows    copyRows
	buf     []byte
	started bool
	done    bool
}

// errCopyClosed is what a Read after Close returns.
var errCopyClosed = errors.New("store: copy: the reader is closed")

// Close stops the reader; see copyReader.
func (r *copyReader) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
}

func (r *copyReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, errCopyClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	for len(r.buf) < len(p) && !r.done {
		if !r.started {
			r.buf, r.started = append(r.buf, copyHeader...), true
			continue
		}
		if !r.rows.Next() {
			r.buf, r.done = append(r.buf, copyTrailer...), true
			break
		}
		vals, err := r.rows.Values()
		if err == nil {
			r.buf, err = appendCopyRow(r.buf, vals)
		}
		if err != nil {
			return 0, err
		}
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[:copy(r.buf, r.buf[n:])]
	return n, nil
}
