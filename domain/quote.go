package domain

import "unicode/utf8"

// QuoteMax is the length, in bytes, of the prefix of a bad value that
// messages quote when no other bound is given.
const QuoteMax = 64

// Quote returns at most a short prefix of a value, for a message or a
// FieldError/RowError Value: s itself when it is at most n bytes long,
// otherwise its first n bytes or fewer, cut before a UTF-8 sequence rather
// than inside it, followed by "…". A value of a gigabyte is thus quoted in
// a few dozen bytes, and the ellipsis tells the reader it was cut. Quote
// adds no quotation marks: whoever prints the value quotes it
// (RowError.String uses strconv.Quote). An n below 1 counts as 1.
func Quote(s string, n int) string {
	n = max(n, 1)
	if len(s) <= n {
		return s
	}
	cut := n
	// Step back to the start of the rune that straddles the cut, at most
	// utf8.UTFMax-1 bytes; invalid UTF-8 is cut where it is.
	for i := n; i > 0 && i > n-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			cut = i
			break
		}
	}
	return s[:cut] + "…"
}
