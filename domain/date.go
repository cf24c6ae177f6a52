package domain

import (
	"fmt"
	"strings"
	"time"
)

// DateLayout is the only date format Databank reads and writes (ISO 8601).
const DateLayout = "2006-01-02"

// ParseDate parses a YYYY-MM-DD calendar date as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return t, nil
}

// FormatDate formats t as YYYY-MM-DD, and nil as "".
func FormatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(DateLayout)
}
