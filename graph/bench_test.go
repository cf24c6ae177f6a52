package graph_test

import (
	"testing"
)

// BenchmarkSamplePage measures a page of 100 samples with donor, current
// consent and files through the whole handler (HTTP, GraphQL, services,
// PostgreSQL): the shape researchers ask for most.
func BenchmarkSamplePage(b *testing.B) {
	e := newEnv(b)
	e.seed(60)
	q := `{ samples(first: 100) { nodes { sampleId materialType { curie } donor { donorId currentConsent { consentId permission { curie } modifiers { curie } } } dataFiles { fileId format { curie } location } } } }`
	b.ResetTimer()
	for b.Loop() {
		res := e.do(readerToken, q, nil)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
	}
}

// BenchmarkSampleConsentDecisions is a page of 100 samples with the
// consent decision of their donors for a purpose (discovery's (b)).
func BenchmarkSampleConsentDecisions(b *testing.B) {
	e := newEnv(b)
	e.seed(100)
	q := `{ samples(first: 100) { nodes { sampleId consentDecision(purpose: {category: "HMB", commercial: true}) { outcome reasons conditions { curie } } } } }`
	b.ResetTimer()
	for b.Loop() {
		res := e.do(readerToken, q, nil)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
	}
}
