package registry

import (
	"runtime"
	"sync"

	"databank/domain"
)

// Records are read one at a time (CSV is sequential), but parsed and
// validated in batches by several goroutines: parsing is most of the
// reading time of a large file. While the rows of one batch are served,
// the next is read and parsed by a goroutine of its own, so a consumer
// (staging rows into the database) overlaps reading. Rows come out in
// file order.

// batchSize is how many records Next reads ahead.
const batchSize = 512

// minParallel is the smallest batch worth splitting between goroutines
// (a variable for tests).
var minParallel = 64

// pending is one record read ahead and, once parsed, its row.
type pending struct {
	rec    []string
	fields int // fields of the record, of which rec keeps the first
	line   int
	parsed bool // row was made while reading (a malformed record)
	row    domain.ImportRow
}

// ahead is a batch read ahead on a goroutine of its own: done is closed
// when it is complete. The goroutine ends with its batch, so a reader
// dropped half-way leaves nothing running.
type ahead struct {
	done   chan struct{}
	batch  []pending
	fields []string
	last   bool  // the file ends (or stops) after this batch
	failed error // the problem that stopped the file
}

// fill makes the batch read ahead the one served, and starts reading the
// following one into the buffers of the batch just served (its rows are
// no longer valid: Next was called again).
func (r *Reader) fill() {
	if r.ahead == nil {
		r.readAhead(r.batch[:0], r.fields[:0])
	}
	a := r.ahead
	<-a.done
	r.ahead = nil
	served, fields := r.batch, r.fields
	r.batch, r.fields, r.next, r.last, r.failed = a.batch, a.fields, 0, a.last, a.failed
	if !a.last {
		r.readAhead(served[:0], fields[:0])
	}
}

// readAhead starts reading the next batch into the given buffers.
func (r *Reader) readAhead(batch []pending, fields []string) {
	a := &ahead{done: make(chan struct{}), batch: batch, fields: fields}
	r.ahead = a
	go func() {
		defer close(a.done)
		r.read(a)
	}()
}

// parseWorkers is how many goroutines parse a batch.
func parseWorkers() int { return min(runtime.GOMAXPROCS(0), 4) }

// parseBatch parses the records of batch, splitting it between the
// parsers when it is large enough.
func (r *Reader) parseBatch(batch []pending) {
	parts := len(r.parsers)
	if len(batch) < minParallel || parts < 2 {
		r.parseRange(&r.parsers[0], batch)
		return
	}
	var wg sync.WaitGroup
	size := (len(batch) + parts - 1) / parts
	for w := 0; w*size < len(batch); w++ {
		part := batch[w*size : min((w+1)*size, len(batch))]
		wg.Go(func() { r.parseRange(&r.parsers[w], part) })
	}
	wg.Wait()
}

func (r *Reader) parseRange(p *rowParser, part []pending) {
	for i := range part {
		if !part[i].parsed {
			r.parse(p, &part[i].row, part[i].rec, part[i].fields, part[i].line)
		}
	}
}
