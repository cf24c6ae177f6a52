package domain

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// externalIDPattern is the rule IsExternalID implements by hand.
var externalIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$`)

func TestIsExternalID(t *testing.T) {
	for _, s := range []string{"", "a", "A-1", "S1.2_3:4/5-6", "-a", ".a", "a b", "é", "a\n", "0", strings.Repeat("a", 128),
		strings.Repeat("a", 129), "a\x00", "a/", "ä1"} {
		assert.Equal(t, externalIDPattern.MatchString(s), IsExternalID(s), "%q", s)
	}
}

func FuzzIsExternalID(f *testing.F) {
	for _, s := range []string{"", "a", "A-1", "-a", "a b", strings.Repeat("z", 128)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if externalIDPattern.MatchString(s) != IsExternalID(s) {
			t.Fatalf("%q: regexp %v, IsExternalID %v", s, externalIDPattern.MatchString(s), IsExternalID(s))
		}
	})
}
