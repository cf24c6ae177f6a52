package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

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
	together, stop := e.sentTogether("JOIN sample t ON t.donor_id = p.donor_id AND t.parent_id = p.id", "FROM sample t WHERE t.id = $1")
	var out lineage
	e.ok(staffToken, sampleWithRelations, map[string]any{"id": id}, &out)
	stop()
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
// record it belongs to: a sample that is not there, or not the reader's,
// returns null, and its event names the lookup alone, with no rows; a
// found one names the relations and counts their rows. An id in upper
// case is looked up as written, with the same answer.
func TestLookupAheadIsAuditedWithItsRecord(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()

	for _, tt := range []struct {
		name, token, actor, id string
		found                  bool
		ops                    []string
		rows                   int
	}{
		{"missing", staffToken, "sam", "0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01", false, nil, 0},
		{"found", staffToken, "sam", fx.samples["B0000"], true, []string{"Sample", "SampleChildren", "DataFilesBySampleIDs"}, 3},
		{"upper case", staffToken, "sam", strings.ToUpper(fx.samples["B0000"]), true, []string{"Sample", "SampleChildren", "DataFilesBySampleIDs"}, 3},
		{"not approved", visaToken, "vera", fx.samples["N0004"], false, nil, 0},
		{"approved", visaToken, "vera", fx.samples["N0000"], true, []string{"Sample", "DataFilesBySampleIDs"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(tt.token, sampleWithRelations, map[string]any{"id": tt.id})
			var out lineage
			require.NoError(t, json.Unmarshal(res.Data, &out))
			events := e.audit(`{actor: "` + tt.actor + `"}`)
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
			if tt.token == staffToken { // vera may not see N0000's parent
				require.Empty(t, res.Errors, "%+v", res.Errors)
			}
			require.NotNil(t, out.Sample)
			assert.Subset(t, ev.Operations, tt.ops)
			assert.Equal(t, tt.rows, ev.Rows)
			assert.Len(t, ev.DonorIds, 1)
		})
	}
}

// Nothing is fetched ahead for a reader refused the lookup itself, and
// nothing fetched ahead answers another field unrecorded: the federation
// client may not read a donor but may read a sample's consent decision,
// which reads the consents the donor's lookup would have fetched ahead;
// the request's audit event names that read.
func TestLookupAheadAnswersNoOtherFieldUnrecorded(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()
	res := e.do(federationToken, `query Both($d: ID!, $s: ID!) { donor(id: $d) { consents { consentId } }
		sample(id: $s) { consentDecision(purpose: {category: "HMB"}) { outcome } } }`,
		map[string]any{"d": fx.donor, "s": fx.samples["B0000"]})
	var out struct {
		Donor  *struct{ Consents []struct{ ConsentID string } }
		Sample *struct{ ConsentDecision struct{ Outcome string } }
	}
	require.NoError(t, json.Unmarshal(res.Data, &out))
	assert.Nil(t, out.Donor, "the federation client reads no donor")
	require.NotNil(t, out.Sample, "%+v", res.Errors)
	assert.NotEmpty(t, out.Sample.ConsentDecision.Outcome)
	events := e.audit(`{actor: "lega"}`)
	require.NotEmpty(t, events)
	assert.Equal(t, "Both", events[0].Operation)
	assert.Contains(t, events[0].Operations, "ConsentsByDonorIDs")
}
