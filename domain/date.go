package domain

import (
	"fmt"
	"strings"
	"time"
)

// DateLayout is the only date format Databank reads and writes (ISO 8601).
const DateLayout = "2006-01-02"

// ParseDate parses a YYYY-MM-DD calendar date as midnight UTC. A date of
// the right form that does not exist (2024-02-30) is told what its month
// holds, not that its form is wrong.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(DateLayout, s)
	if err == nil {
		return t, nil
	}
	var y, m, d int
	if n, _ := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); n == 3 && len(s) == len(DateLayout) {
		switch {
		case m < 1 || m > 12:
			return time.Time{}, fmt.Errorf("%q has no month %d: months are 01 to 12", Quote(s, QuoteMax), m)
		case d < 1 || d > daysIn(y, time.Month(m)):
			return time.Time{}, fmt.Errorf("%q does not exist: %s %d has %d days", Quote(s, QuoteMax), time.Month(m), y, daysIn(y, time.Month(m)))
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", Quote(s, QuoteMax))
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// FormatDate formats t as YYYY-MM-DD, and nil as "".
func FormatDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(DateLayout)
}

// Today is the day consents are decided on and returns fall due: the
// current date in UTC. Every layer asks it, so all agree on "today".
func Today() time.Time {
	y, m, d := time.Now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
