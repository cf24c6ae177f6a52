package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// TestImportKindsAreConsistent checks what the derivations rely on: every
// kind of domain.ImportKinds is described once, in the same dependency
// order, its duplicate keys are text fields of its own (hashed while
// staging), and a record is matched by key fields or by its own join.
func TestImportKindsAreConsistent(t *testing.T) {
	t.Parallel()
	require.Len(t, importKinds, len(domain.ImportKinds))
	for i, k := range importKinds {
		t.Run(string(k.kind), func(t *testing.T) {
			assert.Equal(t, domain.ImportKinds[i], k.kind, "dependency order")
			names := map[string]bool{}
			keys := 0
			for _, f := range k.fields {
				assert.False(t, names[f.name], "field %s twice", f.name)
				names[f.name] = true
				assert.NotNil(t, f.value, "field %s has no COPY value", f.name)
				if f.role == key {
					keys++
				}
				if f.ref != nil {
					assert.NotEmpty(t, f.ref.what, "reference %s names no record in its error", f.name)
					assert.NotEmpty(t, f.ref.header, "reference %s names no column in its error", f.name)
				}
			}
			assert.True(t, keys > 0 || k.match != "", "no key fields and no match")
			for _, d := range k.dups {
				for _, c := range d.cols {
					require.True(t, names[c], "duplicate key names no field %s", c)
					assert.Equal(t, "text", k.fields[k.position(c)-len(commonColumns)].typ, "duplicate key %s is hashed as text", c)
				}
			}
		})
	}
}

// TestImportKindSQL shows what the description of a kind derives, on the
// diagnoses (keys, a reference, attributes).
func TestImportKindSQL(t *testing.T) {
	t.Parallel()
	k, err := kindOf(domain.ImportDiagnoses)
	require.NoError(t, err)
	assert.Equal(t, "CREATE UNLOGGED TABLE imp_diagnosis (src smallint NOT NULL, line integer NOT NULL, ok boolean NOT NULL, "+
		"new_id uuid NOT NULL, biobank text, donor text, code text, diagnosed_on date, age_at_diagnosis integer)", k.stageDDL())
	assert.Equal(t, "COPY imp_diagnosis (src, line, ok, new_id, biobank, donor, code, diagnosed_on, age_at_diagnosis) FROM STDIN (FORMAT binary)",
		k.copySQL())
	assert.Equal(t, `UPDATE diagnosis t SET diagnosed_on = r.diagnosed_on, age_at_diagnosis = r.age_at_diagnosis, updated_by = $1, updated_at = now()
  FROM res_diagnosis r
 WHERE r.changed AND t.id = r.id AND (t.diagnosed_on, t.age_at_diagnosis) IS DISTINCT FROM (r.diagnosed_on, r.age_at_diagnosis)`, k.updateSQL())
	assert.Equal(t, `INSERT INTO diagnosis (id, donor_id, code, diagnosed_on, age_at_diagnosis, created_by, updated_by)
SELECT r.id, r.donor_id, r.code, r.diagnosed_on, r.age_at_diagnosis, $1, $1
  FROM res_diagnosis r
 WHERE r.is_new
 ORDER BY r.src, r.line`, k.insertSQL())
	assert.Contains(t, k.resolveSQL(), "LEFT JOIN diagnosis t ON t.donor_id = x.donor_id AND t.code = x.code")
}
