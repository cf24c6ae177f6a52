package genomic

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// Checksums are the digests Databank records for a file.
type Checksums struct {
	MD5    string `json:"md5"`    // lower-case hex
	SHA256 string `json:"sha256"` // lower-case hex
	Size   int64  `json:"size"`   // bytes read
}

const (
	checksumBufSize = 1 << 20 // bytes per read
	checksumBuffers = 4       // buffers in flight
)

// chunk is a filled buffer shared by the two hashers; the last one to finish
// with it returns it to the free list.
type chunk struct {
	buf  []byte
	refs atomic.Int32
}

// Checksum reads r to its end once and returns its MD5, its SHA-256 and its
// size. The two digests are computed concurrently, each by its own goroutine
// fed the same large buffers, so that the pass costs about as much as the
// slower of the two (MD5 on most machines) rather than their sum.
//
// progress, if not nil, is called after each buffer with the total number of
// bytes read so far. On a read error the digests are discarded and the
// error is returned, wrapped with the "genomic: " prefix.
func Checksum(r io.Reader, progress func(n int64)) (Checksums, error) {
	free := make(chan *chunk, checksumBuffers)
	for range checksumBuffers {
		free <- &chunk{buf: make([]byte, checksumBufSize)}
	}
	hashes := []hash.Hash{md5.New(), sha256.New()}
	feeds := make([]chan *chunk, len(hashes))
	var wg sync.WaitGroup
	for i, h := range hashes {
		feeds[i] = make(chan *chunk, checksumBuffers)
		wg.Go(func() {
			for c := range feeds[i] {
				h.Write(c.buf)
				if c.refs.Add(-1) == 0 {
					c.buf = c.buf[:cap(c.buf)]
					free <- c
				}
			}
		})
	}

	var size int64
	var readErr error
	for {
		c := <-free
		n, err := fill(r, c.buf)
		if n > 0 {
			c.buf = c.buf[:n]
			c.refs.Store(int32(len(feeds)))
			for _, f := range feeds {
				f <- c
			}
			size += int64(n)
			if progress != nil {
				progress(size)
			}
		}
		if err != nil {
			if err != io.EOF {
				readErr = err
			}
			break
		}
	}
	for _, f := range feeds {
		close(f)
	}
	wg.Wait()
	if readErr != nil {
		e := &Error{Err: readErr}
		if n, ok := r.(interface{ Name() string }); ok {
			e.File = n.Name()
		}
		return Checksums{}, e
	}
	return Checksums{
		MD5:    hex.EncodeToString(hashes[0].Sum(nil)),
		SHA256: hex.EncodeToString(hashes[1].Sum(nil)),
		Size:   size,
	}, nil
}

// fill reads into buf until it is full or r fails; io.EOF marks the end of
// the data, whatever was read before it.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
