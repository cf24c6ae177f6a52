package registry

import (
	"runtime"
	"sync"

	"databank/domain"
)

// Records are read one at a time (CSV is sequential), but parsed and
// validated in batches by several goroutines: parsing is most of the
// reading time of a large file. Rows come out in file order.

// batchSize is how many records Next reads ahead.
const batchSize = 512

// minParallel is the smallest batch worth splitting between goroutines
// (a variable for tests).
var minParallel = 64

// pending is one record read ahead and, once parsed, its row.
type pending struct {
	rec    []string
	line   int
	parsed bool // row was made while reading (a malformed record)
	row    domain.ImportRow
}

// parseWorkers is how many goroutines parse a batch.
func parseWorkers() int { return min(runtime.GOMAXPROCS(0), 4) }

// parseBatch parses the records of the batch, splitting it between the
// parsers when it is large enough.
func (r *Reader) parseBatch() {
	parts := len(r.parsers)
	if len(r.batch) < minParallel || parts < 2 {
		r.parseRange(&r.parsers[0], r.batch)
		return
	}
	var wg sync.WaitGroup
	size := (len(r.batch) + parts - 1) / parts
	for w := 0; w*size < len(r.batch); w++ {
		part := r.batch[w*size : min((w+1)*size, len(r.batch))]
		wg.Go(func() { r.parseRange(&r.parsers[w], part) })
	}
	wg.Wait()
}

func (r *Reader) parseRange(p *rowParser, part []pending) {
	for i := range part {
		if !part[i].parsed {
			r.parse(p, &part[i].row, part[i].rec, part[i].line)
		}
	}
}
