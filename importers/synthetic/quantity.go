package synthetic

import "strconv"

// milli is a sample quantity in thousandths of its unit. Integer
// thousandths make sums of withdrawals exact and print with at most three
// fraction digits.
type milli int64

// String formats q as a decimal without trailing fraction zeros, e.g.
// "4.5", "12" or "0.125".
func (q milli) String() string {
	neg := q < 0
	if neg {
		q = -q
	}
	b := make([]byte, 0, 24)
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, int64(q/1000), 10)
	if frac := int(q % 1000); frac != 0 {
		digits := [3]byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
		n := 3
		for digits[n-1] == '0' {
			n--
		}
		b = append(b, '.')
		b = append(b, digits[:n]...)
	}
	return string(b)
}
