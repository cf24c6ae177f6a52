package ontology

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolveMemo(t *testing.T) {
	r, err := NewBuiltin()
	require.NoError(t, err)
	tests := []struct {
		name    string
		input   string
		systems []string
		want    string
		wantErr bool
	}{
		{name: "curie", input: "ICD10:E11.9", systems: []string{"ICD10"}, want: "ICD10:E11.9"},
		{name: "bare code", input: "E119", systems: []string{"ICD10"}, want: "ICD10:E11.9"},
		{name: "other system", input: "E119", systems: []string{"DUO"}, wantErr: true},
		{name: "unknown", input: "ICD10:Q99.99", systems: []string{"ICD10"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The second answer comes from the memo and must be the same.
			for range 2 {
				got, err := r.Resolve(tt.input, tt.systems...)
				if tt.wantErr {
					require.Error(t, err)
					continue
				}
				require.NoError(t, err)
				assert.Equal(t, tt.want, got.CURIE)
				// Callers own the term they get: changing it changes
				// nothing remembered.
				got.CURIE, got.Parents = "changed", append(got.Parents, "X:1")
			}
		})
	}
}

func TestResolveMemoForgetsOnLoad(t *testing.T) {
	r, err := NewBuiltin()
	require.NoError(t, err)
	_, err = r.Resolve("NEW:1", "NEW")
	require.Error(t, err, "unknown system before the load")
	_, err = r.Load(System{Name: "NEW", Prefix: "NEW", Title: "new"}, []Term{{CURIE: "NEW:1", Label: "one"}})
	require.NoError(t, err)
	got, err := r.Resolve("NEW:1", "NEW")
	require.NoError(t, err)
	assert.Equal(t, "NEW:1", got.CURIE)
}

func TestResolveMemoHandsOutCopiesOfErrors(t *testing.T) {
	r, err := NewBuiltin()
	require.NoError(t, err)
	_, err = r.Resolve("E11.99x", "ICD10")
	var unknown *UnknownCodeError
	require.ErrorAs(t, err, &unknown)
	require.NotEmpty(t, unknown.Suggestions)
	want := unknown.Suggestions[0]
	unknown.Suggestions[0], unknown.Input = "changed", "changed"
	_, err = r.Resolve("E11.99x", "ICD10")
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, want, unknown.Suggestions[0])
	assert.Equal(t, "E11.99x", unknown.Input)
}

func TestResolveMemoStartsAgainWhenFull(t *testing.T) {
	var m resolveMemo
	for i := range maxMemo {
		m.put(newMemoKey(strconv.Itoa(i), nil), resolved{id: int32(i)})
	}
	_, ok := m.get(newMemoKey("0", nil))
	require.True(t, ok)
	m.put(newMemoKey("new", nil), resolved{id: 1})
	_, ok = m.get(newMemoKey("new", nil))
	assert.True(t, ok, "a full memo takes new answers")
	_, ok = m.get(newMemoKey("0", nil))
	assert.False(t, ok, "and forgets the old ones")
}

func TestResolveLongInputsAreNotRemembered(t *testing.T) {
	r, err := NewBuiltin()
	require.NoError(t, err)
	long := "ICD10:E11.9" + strings.Repeat(" ", maxMemoInput)
	got, err := r.Resolve(long, "ICD10")
	require.NoError(t, err)
	assert.Equal(t, "ICD10:E11.9", got.CURIE)
	s := r.snapshot()
	_, ok := s.memo.get(newMemoKey(long, []string{"ICD10"}))
	assert.False(t, ok)
}
