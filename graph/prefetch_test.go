package graph_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// The relations below every list are loaded level by level, whatever
// the list's length: the studies of a page, and the files of the dataset
// a mutation returns. Each case runs with few and with many items and
// expects the same number of statements.
func TestListsLoadTheirRelationsByLevel(t *testing.T) {
	statements := func(items int) (studies, mutation int64) {
		e := newEnv(t)
		e.seed(items)
		for i := range items {
			e.ok(staffToken, fmt.Sprintf(`mutation { createStudy(input: {studyId: "ST%d", title: "T%d"}) { studyId } }`, i, i), nil, nil)
		}
		before := e.queries.n.Load()
		var out struct {
			Studies struct{ Nodes []struct{ StudyID string } }
		}
		e.ok(readerToken, `{ studies(first: 50) { nodes { studyId exchange { withdrawals } references { scheme id } } } }`, nil, &out)
		require.Len(t, out.Studies.Nodes, items)
		studies = e.queries.n.Load() - before

		var files struct {
			DataFiles struct{ Nodes []struct{ ID string } }
		}
		e.ok(readerToken, `{ dataFiles(first: 50) { nodes { id } } }`, nil, &files)
		require.Len(t, files.DataFiles.Nodes, items)
		ids := make([]string, len(files.DataFiles.Nodes))
		for i, f := range files.DataFiles.Nodes {
			ids[i] = f.ID
		}
		ds := must[domain.Dataset](t)(e.store.CreateDataset(e.ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "all", Version: "1"}))
		before = e.queries.n.Load()
		var added struct {
			AddDatasetFiles struct {
				Files struct {
					Nodes []struct {
						Study   *struct{ StudyID string }
						Samples struct {
							Nodes []struct{ Sample struct{ SampleID string } }
						}
					}
				}
			}
		}
		e.ok(staffToken, `mutation($d: ID!, $f: [ID!]!) { addDatasetFiles(dataset: $d, files: $f) {
			files(first: 50) { nodes { study { studyId } samples(first: 5) { nodes { sample { sampleId } } } } } } }`,
			map[string]any{"d": ds.ID, "f": ids}, &added)
		require.Len(t, added.AddDatasetFiles.Files.Nodes, items)
		return studies, e.queries.n.Load() - before
	}
	fewStudies, fewMutation := statements(2)
	manyStudies, manyMutation := statements(8)
	assert.Equal(t, fewStudies, manyStudies, "studies with their exchange and references")
	assert.Equal(t, fewMutation, manyMutation, "a mutation's dataset with its files, their studies and samples")
}

// A researcher's approved datasets load their relations by level too:
// the same statements for one approved dataset as for four.
func TestApprovedDatasetsLoadTheirRelationsByLevel(t *testing.T) {
	statements := func(datasets int) int64 {
		e := newEnv(t)
		e.seed(1)
		for i := range datasets {
			d := must[domain.Dataset](t)(e.store.CreateDataset(e.ctx, domain.Dataset{ExternalID: fmt.Sprintf("EGAD0000000000%d", i+1), Title: "d", Version: "1"}))
			_, res := e.recordApproval(staffToken, map[string]any{"researcher": "rita", "dataset": d.ID, "reason": "DAC-1"})
			require.Empty(t, res.Errors, "%+v", res.Errors)
		}
		before := e.queries.n.Load()
		var out struct {
			MyApprovedAccess struct{ Datasets []struct{ DatasetID string } }
		}
		e.ok(researcherToken, `{ myApprovedAccess { datasets { datasetId references { scheme id } files(first: 5) { nodes { fileId } } } } }`, nil, &out)
		require.Len(t, out.MyApprovedAccess.Datasets, datasets)
		return e.queries.n.Load() - before
	}
	assert.Equal(t, statements(1), statements(4))
}

// A sample's donor's consents are fetched with the donor, not after it:
// they are the consents of the sample's donor id (ahead in
// graph/relation.go). The donors' statement holds back until the
// consents' statement has started, which it can only do if both belong
// to one level; fetched a level later, the consents would start after
// the donors' statement gave up waiting.
func TestDonorConsentsLoadWithTheDonor(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	together, stop := e.sentTogether("FROM consent t WHERE t.donor_id = ANY", "FROM donor t WHERE t.id = ANY")
	defer stop()
	var out struct {
		Samples struct {
			Nodes []struct {
				Donor struct{ CurrentConsent *struct{ ConsentID string } }
			}
		}
	}
	e.ok(readerToken, `{ samples(first: 10) { nodes { donor { currentConsent { consentId } } } } }`, nil, &out)
	require.Len(t, out.Samples.Nodes, 6)
	for _, n := range out.Samples.Nodes {
		require.NotNil(t, n.Donor.CurrentConsent)
	}
	assert.True(t, together.Load(), "the consents' statement started while the donors' was waiting")
}
