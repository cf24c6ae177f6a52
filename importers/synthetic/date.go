package synthetic

// date is a calendar day, counted in days since 1970-01-01 (proleptic
// Gregorian). Integer days keep date arithmetic cheap and exact.
type date int32

// mkdate returns the day y-m-d; m and d must be valid.
func mkdate(y, m, d int) date {
	// Howard Hinnant's days_from_civil.
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return date(era*146097 + doe - 719468)
}

// civil returns the year, month and day of d.
func (d date) civil() (y, m, day int) {
	// Howard Hinnant's civil_from_days.
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, day
}

// year returns the calendar year of d.
func (d date) year() int {
	y, _, _ := d.civil()
	return y
}

// String formats d as YYYY-MM-DD.
func (d date) String() string {
	y, m, day := d.civil()
	b := [10]byte{
		byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10),
		'-', byte('0' + m/10), byte('0' + m%10),
		'-', byte('0' + day/10), byte('0' + day%10),
	}
	return string(b[:])
}

// yearStart returns January 1st of year y.
func yearStart(y int) date { return mkdate(y, 1, 1) }
