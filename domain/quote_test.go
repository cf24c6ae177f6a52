package domain

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 10, ""},
		{"femal", 10, "femal"},
		{"0123456789", 10, "0123456789"},
		{"0123456789A", 10, "0123456789…"},
		{"abc", 0, "a…"},
		{"ééééé", 4, "éé…"},              // 2-byte runes: cut between them
		{"ééééé", 5, "éé…"},              // never inside one
		{"a😀b", 3, "a…"},                 // a 4-byte rune straddling the cut
		{"\xff\xff\xff", 2, "\xff\xff…"}, // invalid UTF-8 is cut where it is
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Quote(tt.s, tt.n), "Quote(%q, %d)", tt.s, tt.n)
	}

	huge := strings.Repeat("x", 1<<20)
	q := Quote(huge, QuoteMax)
	assert.Equal(t, QuoteMax+len("…"), len(q))
	assert.True(t, utf8.ValidString(Quote(strings.Repeat("€", 100), QuoteMax)))
}
