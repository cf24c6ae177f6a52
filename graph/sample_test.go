package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

const samplesQuery = `query($first: Int) {
  samples(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      sampleId
      materialType { curie label }
      biobank { code }
      parent { sampleId }
      children { sampleId }
      donor { donorId consents { consentId permission { code } modifiers { code } } currentConsent { consentId } diagnoses { code { curie } } }
      dataFiles { fileId format { code } assembly { curie } datasets { datasetId } }
    }
  }
}`

// The number of SQL statements of a page of samples with donors, consents
// and files must not grow with the page size: every relation is batched.
func TestSampleListStatementCountDoesNotGrowWithPageSize(t *testing.T) {
	e := newEnv(t)
	e.seed(60)
	count := func(first int) (int64, int) {
		var out struct {
			Samples struct {
				TotalCount int
				Nodes      []struct {
					SampleID string
					Donor    struct{ Consents []struct{ ConsentID string } }
				}
			}
		}
		before := e.queries.n.Load()
		e.queries.mu.Lock()
		e.queries.sql = nil
		e.queries.mu.Unlock()
		e.ok(readerToken, samplesQuery, map[string]any{"first": first}, &out)
		assert.Equal(t, 120, out.Samples.TotalCount)
		for _, n := range out.Samples.Nodes {
			assert.Len(t, n.Donor.Consents, 1, n.SampleID)
		}
		if testing.Verbose() {
			for _, q := range e.queries.sql {
				t.Log(q[:min(len(q), 90)])
			}
		}
		return e.queries.n.Load() - before, len(out.Samples.Nodes)
	}
	small, n10 := count(10)
	large, n100 := count(100)
	require.Equal(t, 10, n10)
	require.Equal(t, 100, n100)
	assert.Equal(t, small, large, "statements for 10 samples: %d, for 100: %d", small, large)
	assert.LessOrEqual(t, large, int64(15))
}

func TestSamplesNestedBothWays(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	var out struct {
		Sample struct {
			SampleID     string
			MaterialType struct{ Label string }
			Parent       struct{ SampleID string }
			DataFiles    []struct {
				FileID  string
				Samples struct {
					TotalCount int
					Nodes      []struct {
						Alias  string
						Sample struct{ SampleID string }
					}
				}
			}
		}
	}
	e.ok(readerToken, `{ sample(biobank: "dnb", sampleId: "N0001") { sampleId materialType { label } parent { sampleId }
		dataFiles { fileId samples { totalCount nodes { alias sample { sampleId } } } } } }`, nil, &out)
	assert.Equal(t, "B0001", out.Sample.Parent.SampleID)
	assert.Equal(t, "DNA", out.Sample.MaterialType.Label)
	require.Len(t, out.Sample.DataFiles, 1)
	assert.Equal(t, "EGAF00000000001", out.Sample.DataFiles[0].FileID)
	assert.Equal(t, 1, out.Sample.DataFiles[0].Samples.TotalCount)
	assert.Equal(t, "N0001", out.Sample.DataFiles[0].Samples.Nodes[0].Sample.SampleID)

	// "blood" finds whole blood; hasDataFiles finds the DNA samples.
	var list struct{ Samples struct{ TotalCount int } }
	e.ok(readerToken, `{ samples(filter: {materialType: "blood"}) { totalCount } }`, nil, &list)
	assert.Equal(t, 3, list.Samples.TotalCount)
	e.ok(readerToken, `{ samples(filter: {hasDataFiles: true}) { totalCount } }`, nil, &list)
	assert.Equal(t, 3, list.Samples.TotalCount)
}

func TestPagination(t *testing.T) {
	e := newEnv(t)
	e.seed(5)
	var seen []string
	after := ""
	for range 10 {
		var out struct {
			Donors struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []struct{ DonorID string }
			}
		}
		vars := map[string]any{"first": 2}
		if after != "" {
			vars["after"] = after
		}
		e.ok(readerToken, `query($first: Int, $after: String) { donors(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { donorId } } }`, vars, &out)
		for _, n := range out.Donors.Nodes {
			seen = append(seen, n.DonorID)
		}
		if !out.Donors.PageInfo.HasNextPage {
			break
		}
		after = out.Donors.PageInfo.EndCursor
	}
	assert.Equal(t, []string{"D0000", "D0001", "D0002", "D0003", "D0004"}, seen)

	res := e.do(readerToken, `{ donors(first: 501) { nodes { donorId } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
}

// One sample with its lineage and everyone's files costs one statement
// per level of the query's shape: the sample; its parent, children and
// files (together); the parent's and children's files (one statement).
func TestSampleWithLineageStatementCount(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	var ids struct {
		Samples struct {
			Nodes []struct{ ID, SampleID string }
		}
	}
	e.ok(readerToken, `{ samples(first: 10, filter: {sampleIds: ["B0001"]}) { nodes { id sampleId } } }`, nil, &ids)
	require.Len(t, ids.Samples.Nodes, 1)
	blood := ids.Samples.Nodes[0].ID
	before := e.queries.n.Load()
	var out struct {
		Sample struct {
			Parent   *struct{ SampleID string }
			Children []struct {
				SampleID  string
				DataFiles []struct{ FileID string }
				Parent    struct{ DataFiles []struct{ FileID string } }
			}
			DataFiles []struct{ FileID string }
		}
	}
	e.ok(readerToken, `query($id: ID!) { sample(id: $id) {
		parent { sampleId }
		children { sampleId dataFiles { fileId } parent { dataFiles { fileId } } }
		dataFiles { fileId } } }`, map[string]any{"id": blood}, &out)
	require.Len(t, out.Sample.Children, 1)
	assert.Equal(t, "N0001", out.Sample.Children[0].SampleID)
	assert.Len(t, out.Sample.Children[0].DataFiles, 1)
	assert.Nil(t, out.Sample.Parent)
	// sample; children + own files; children's files + children's parents; parents' files (cached)
	assert.Equal(t, int64(4), e.queries.n.Load()-before)
}

// A dataset's files are a connection: every dataset of a page gets the
// same page of its files in one statement, with totals and cursors.
func TestDatasetFilesArePaged(t *testing.T) {
	e := newEnv(t)
	e.seed(5)
	var files struct {
		DataFiles struct{ Nodes []struct{ ID string } }
	}
	e.ok(readerToken, `{ dataFiles(first: 10) { nodes { id } } }`, nil, &files)
	require.Len(t, files.DataFiles.Nodes, 5)
	all := make([]string, 0, 5)
	for _, f := range files.DataFiles.Nodes {
		all = append(all, f.ID)
	}
	big := must[domain.Dataset](t)(e.store.CreateDataset(e.ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "all", Version: "1"}))
	must[domain.Dataset](t)(e.store.SetDatasetFiles(e.ctx, big.ID, all, false))
	small := must[domain.Dataset](t)(e.store.CreateDataset(e.ctx, domain.Dataset{ExternalID: "EGAD00000000002", Title: "one", Version: "1"}))
	must[domain.Dataset](t)(e.store.SetDatasetFiles(e.ctx, small.ID, all[:1], false))

	type page struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Nodes []struct {
			FileID  string
			Samples struct {
				Nodes []struct{ Sample struct{ SampleID string } }
			}
		}
	}
	var out struct {
		Datasets struct {
			Nodes []struct {
				DatasetID string
				Files     page
			}
		}
	}
	before := e.queries.n.Load()
	e.ok(readerToken, `{ datasets { nodes { datasetId files(first: 2) { totalCount pageInfo { hasNextPage endCursor }
		nodes { fileId samples(first: 1) { nodes { sample { sampleId } } } } } } } }`, nil, &out)
	// datasets; their files (one statement) and totals; the files' samples; the samples
	assert.Equal(t, int64(5), e.queries.n.Load()-before)
	require.Len(t, out.Datasets.Nodes, 2)
	got := map[string]page{}
	for _, d := range out.Datasets.Nodes {
		got[d.DatasetID] = d.Files
	}
	assert.Equal(t, 5, got["EGAD00000000001"].TotalCount)
	assert.True(t, got["EGAD00000000001"].PageInfo.HasNextPage)
	require.Len(t, got["EGAD00000000001"].Nodes, 2)
	assert.NotEmpty(t, got["EGAD00000000001"].Nodes[0].Samples.Nodes[0].Sample.SampleID)
	assert.Equal(t, 1, got["EGAD00000000002"].TotalCount)
	assert.False(t, got["EGAD00000000002"].PageInfo.HasNextPage)

	// the following pages, by cursor, until the end
	seen := len(got["EGAD00000000001"].Nodes)
	cursor := got["EGAD00000000001"].PageInfo.EndCursor
	for {
		var next struct{ Dataset struct{ Files page } }
		e.ok(readerToken, `query($id: ID!, $after: String) { dataset(id: $id) { files(first: 2, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } nodes { fileId } } } }`, map[string]any{"id": big.ID, "after": cursor}, &next)
		seen += len(next.Dataset.Files.Nodes)
		if !next.Dataset.Files.PageInfo.HasNextPage {
			break
		}
		cursor = next.Dataset.Files.PageInfo.EndCursor
	}
	assert.Equal(t, 5, seen)

	res := e.do(readerToken, `query($id: ID!) { dataset(id: $id) { files(after: "not-a-cursor") { totalCount } } }`, map[string]any{"id": big.ID})
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
}
