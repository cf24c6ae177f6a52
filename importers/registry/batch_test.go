package registry

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// readWith reads every row of a file as kind with the given number of
// parsing goroutines.
func readWith(t testing.TB, data []byte, kind domain.ImportKind, workers int) ([]domain.ImportRow, domain.RowErrors) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), "file.csv", kind, Options{})
	require.NoError(t, err)
	r.parsers = r.parsers[:1]
	for len(r.parsers) < workers {
		r.parsers = append(r.parsers, r.parsers[0])
	}
	return drain(t, r)
}

// Parsing in parallel gives the rows, errors and warnings of parsing one
// record after the other, in file order, across many batches: good rows,
// bad values, malformed records, blank lines, and a truncated end.
func TestBatchesReadLikeOneRowAtATime(t *testing.T) {
	var b strings.Builder
	b.WriteString("biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n")
	for i := range 3 * batchSize {
		switch {
		case i%97 == 0:
			b.WriteString(",,,,,,,,,,,\n") // blank
		case i%101 == 0:
			fmt.Fprintf(&b, "DNB,S%d,D1,,DNA,,2020-01-01,-20 °C,\"5,ug,available\n", i) // malformed quoting
		case i%7 == 0:
			fmt.Fprintf(&b, "DNB,S%d,D1,,no such material,,2020-13-01,-20 °C,5,6,ug,lost\n", i) // bad values
		case i%11 == 0:
			fmt.Fprintf(&b, "DNB,S%d,D1,,DUO:0000005,,2020-01-01,-20 °C,5,4,ug,available\n", i) // wrong system
		default:
			fmt.Fprintf(&b, "DNB,S%d,D%d,S%d,DNA,blood,2020-01-%02d,-80 °C,5,%d,ug,available\n", i, i%50, i-1, 1+i%28, i%5)
		}
	}
	plain := []byte(b.String())
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, err := w.Write(plain)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	truncated := gz.Bytes()[:gz.Len()*2/3]

	for name, data := range map[string][]byte{"plain": plain, "truncated gzip": truncated} {
		t.Run(name, func(t *testing.T) {
			one, oneErrs := readWith(t, data, domain.ImportSamples, 1)
			many, manyErrs := readWith(t, data, domain.ImportSamples, 3)
			require.NotEmpty(t, one)
			assert.Equal(t, one, many)
			assert.Equal(t, oneErrs, manyErrs)
			for i := 1; i < len(many); i++ {
				require.Greater(t, many[i].Line, many[i-1].Line, "rows in file order")
			}
			bad := 0
			for _, r := range many {
				if len(r.Errors) > 0 {
					bad++
				}
			}
			assert.Greater(t, bad, 10, "the bad rows are reported")
			if name == "truncated gzip" {
				require.Len(t, manyErrs, 1)
				assert.Contains(t, manyErrs[0].Message, "the rest of the file cannot be read")
			}
		})
	}
}

// FuzzReader feeds arbitrary bytes to the reader as each kind of file: it
// must never panic, must keep rows in file order, and reading in parallel
// must give exactly what reading one record at a time gives.
func FuzzReader(f *testing.F) {
	f.Add([]byte("biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n"+
		"DNB,S1,D1,,DNA,,2020-01-01,-20 °C,5,4,ug,available\nDNB,S2,D1,S1,DNA,,2020-13-01,,5,6,ug,lost\n"), uint8(6))
	f.Add([]byte("\xef\xbb\xbfbiobank\tdonor_id\tsex\tbirth_year\tvital_status\r\nDNB\tD1\tfemale\t1950\talive\r\n"), uint8(3))
	f.Add([]byte("biobank,donor_id,\"consent_id\nx\",given_on\n\"unterminated"), uint8(4))
	// Split even the smallest batches, so that the fuzzer's short inputs
	// go through the parallel path.
	defer func(n int) { minParallel = n }(minParallel)
	minParallel = 2
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kind := domain.ImportKinds[int(k)%len(domain.ImportKinds)]
		one, oneErrs := readWith(t, data, kind, 1)
		many, manyErrs := readWith(t, data, kind, 2)
		if !assert.Equal(t, one, many) || !assert.Equal(t, oneErrs, manyErrs) {
			t.FailNow()
		}
		for i := 1; i < len(many); i++ {
			if many[i].Line <= many[i-1].Line {
				t.Fatalf("row %d on line %d after line %d", i, many[i].Line, many[i-1].Line)
			}
		}
	})
}
