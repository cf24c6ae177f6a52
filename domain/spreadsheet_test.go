package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestSpreadsheetCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"DNB-0001", "DNB-0001"},
		{"=HYPERLINK(\"http://evil\",\"s1\")", "'=HYPERLINK(\"http://evil\",\"s1\")"},
		{"+1", "'+1"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=b", "a=b"},
		{"'quoted", "'quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, domain.SpreadsheetCell(tt.in))
		})
	}
	assert.Equal(t, []string{"ok", "'=1"}, domain.SpreadsheetRow([]string{"ok", "=1"}))
}
