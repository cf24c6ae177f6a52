package graph_test

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleWithRelations asks for a sample by id with the relations keyed
// by its own id (children, files) and one keyed by another (parent).
const sampleWithRelations = `query Lineage($id: ID!) { sample(id: $id) {
	sampleId parent { sampleId } children { sampleId dataFiles { fileId } } dataFiles { fileId } } }`

type lineage struct {
	Sample *struct {
		SampleID string
		Parent   *struct{ SampleID string }
		Children []struct {
			SampleID  string
			DataFiles []struct{ FileID string }
		}
		DataFiles []struct{ FileID string }
	}
}

// sampleIDOf returns the id of the sample with external id ext.
func (e *env) sampleIDOf(ext string) string {
	e.t.Helper()
	var out struct{ Sample struct{ ID string } }
	e.ok(staffToken, `query($s: String!) { sample(sampleId: $s) { id } }`, map[string]any{"s": ext}, &out)
	require.NotEmpty(e.t, out.Sample.ID, ext)
	return out.Sample.ID
}

// A sample looked up by id has its children fetched while it is, not a
// round trip after it: they are the children of the id asked for
// (lookupByID). The sample's statement holds back until the children's
// has started, which it can only do if both are sent at once.
func TestLookupFetchesItsOwnRelationsWithIt(t *testing.T) {
	e := newEnv(t)
	e.seed(2)
	id := e.sampleIDOf("B0001")
	childrenStarted := make(chan struct{})
	var once sync.Once
	var together atomic.Bool
	starting := func(sql string) {
		switch {
		case strings.Contains(sql, "JOIN sample t ON t.donor_id = p.donor_id AND t.parent_id = p.id"):
			once.Do(func() { close(childrenStarted) })
		case strings.Contains(sql, "FROM sample t WHERE t.id = $1"):
			select {
			case <-childrenStarted:
				together.Store(true)
			case <-time.After(3 * time.Second):
			}
		}
	}
	e.queries.starting.Store(&starting)
	var out lineage
	e.ok(staffToken, sampleWithRelations, map[string]any{"id": id}, &out)
	e.queries.starting.Store(nil)
	require.NotNil(t, out.Sample)
	assert.Equal(t, "B0001", out.Sample.SampleID)
	assert.Nil(t, out.Sample.Parent)
	require.Len(t, out.Sample.Children, 1)
	assert.Equal(t, "N0001", out.Sample.Children[0].SampleID)
	assert.Len(t, out.Sample.Children[0].DataFiles, 1)
	assert.Empty(t, out.Sample.DataFiles)
	assert.True(t, together.Load(), "the children's statement started while the sample's was waiting")
}

// What is fetched ahead of a lookup enters the audit only with the
// record it belongs to: a sample that is not there (or not the reader's)
// returns null, and its event names the lookup alone, with no rows; a
// found one names the relations and counts their rows. An id in upper
// case is looked up as written, with the same answer.
func TestLookupAheadIsAuditedWithItsRecord(t *testing.T) {
	e := newEnv(t)
	e.seed(2)
	id := e.sampleIDOf("B0000")

	for _, tt := range []struct {
		name, id string
		found    bool
	}{
		{"missing", "0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01", false},
		{"found", id, true},
		{"upper case", strings.ToUpper(id), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out lineage
			e.ok(staffToken, sampleWithRelations, map[string]any{"id": tt.id}, &out)
			events := e.audit(`{actor: "sam"}`)
			require.NotEmpty(t, events)
			ev := events[0]
			require.Equal(t, "Lineage", ev.Operation)
			if !tt.found {
				assert.Nil(t, out.Sample)
				assert.Equal(t, []string{"Sample"}, ev.Operations)
				assert.Zero(t, ev.Rows)
				assert.Empty(t, ev.DonorIds)
				return
			}
			require.NotNil(t, out.Sample)
			require.Len(t, out.Sample.Children, 1)
			assert.Equal(t, "N0000", out.Sample.Children[0].SampleID)
			assert.Subset(t, ev.Operations, []string{"Sample", "SampleChildren", "DataFilesBySampleIDs"})
			assert.Equal(t, 3, ev.Rows, "the sample, its child, the child's file")
			assert.Len(t, ev.DonorIds, 1)
		})
	}
}
