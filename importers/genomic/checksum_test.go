package genomic

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChecksum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 1000, checksumBufSize - 1, checksumBufSize, checksumBufSize + 1, 7*checksumBufSize/2 + 3, 9 * checksumBufSize} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		md := md5.Sum(data)
		sh := sha256.Sum256(data)
		var calls []int64
		got, err := Checksum(io.LimitReader(bytes.NewReader(data), int64(size)), func(n int64) { calls = append(calls, n) })
		require.NoError(t, err)
		assert.Equal(t, Checksums{MD5: hex.EncodeToString(md[:]), SHA256: hex.EncodeToString(sh[:]), Size: int64(size)}, got, "size %d", size)
		if size == 0 {
			assert.Empty(t, calls)
			continue
		}
		require.NotEmpty(t, calls)
		assert.Equal(t, int64(size), calls[len(calls)-1])
		for i := 1; i < len(calls); i++ {
			assert.Less(t, calls[i-1], calls[i])
		}
	}
}

func TestChecksumKnownValues(t *testing.T) {
	got, err := Checksum(bytes.NewReader([]byte("abc")), nil)
	require.NoError(t, err)
	assert.Equal(t, "900150983cd24fb0d6963f7d28e17f72", got.MD5)
	assert.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", got.SHA256)
	assert.Equal(t, int64(3), got.Size)
}

func TestChecksumSmallReads(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 500)
	got, err := Checksum(&oneByteAtATime{data: data}, nil)
	require.NoError(t, err)
	md := md5.Sum(data)
	sh := sha256.Sum256(data)
	assert.Equal(t, Checksums{MD5: hex.EncodeToString(md[:]), SHA256: hex.EncodeToString(sh[:]), Size: int64(len(data))}, got)
}

type oneByteAtATime struct{ data []byte }

func (r *oneByteAtATime) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

func TestChecksumReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(make([]byte, 3*checksumBufSize)), &failing{err: boom})
	got, err := Checksum(r, nil)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, Checksums{}, got)
	assert.EqualError(t, err, "genomic: disk on fire")

	// An unexpected EOF from the source is an error, not the end.
	_, err = Checksum(&failing{err: io.ErrUnexpectedEOF}, nil)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

type failing struct{ err error }

func (f *failing) Read([]byte) (int, error) { return 0, f.err }

func TestChecksumNamesFile(t *testing.T) {
	f, err := os.Open(t.TempDir())
	require.NoError(t, err)
	defer f.Close()
	_, err = Checksum(f, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "genomic: "+f.Name()+": ")
}
