package graph_test

import (
	"fmt"
	"testing"

	"databank/domain"
)

// BenchmarkEntities1000 measures one gateway batch through the whole
// handler: _entities with 1,000 DataFile representations by accession
// (bench/federation.sh measures the same at 1M files over HTTP).
func BenchmarkEntities1000(b *testing.B) {
	e := newEnv(b)
	files := make([]domain.DataFile, 2000)
	for i := range files {
		files[i] = domain.DataFile{ExternalID: fmt.Sprintf("EGAF%011d", i), Format: "CRAM", Location: fmt.Sprintf("s3://b/%d.cram", i)}
	}
	must[[]string](b)(e.store.RegisterDataFiles(e.ctx, files))
	reps := make([]map[string]any, 1000)
	for i := range reps {
		reps[i] = map[string]any{"__typename": "DataFile", "accession": fmt.Sprintf("EGAF%011d", 2*i)}
	}
	vars := map[string]any{"reps": reps}
	q := `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on DataFile { accession fileId size } } }`
	b.ResetTimer()
	for b.Loop() {
		res := e.do(readerToken, q, vars)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
	}
}
