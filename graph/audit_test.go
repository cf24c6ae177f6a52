package graph_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type auditEvent struct {
	Actor, Role, Operation, QueryHash, Decision string
	Variables                                   json.RawMessage
	Operations                                  []string
	Rows                                        int
	DonorIds                                    []string
	Write                                       bool
}

func (e *env) audit(filter string) []auditEvent {
	e.t.Helper()
	var out struct{ AuditEvents struct{ Nodes []auditEvent } }
	e.ok(adminToken, `{ auditEvents(first: 100, filter: `+filter+`) { nodes { actor role operation queryHash decision variables operations rows donorIds write } } }`, nil, &out)
	return out.AuditEvents.Nodes
}

// Every request is audited before it is answered: who, what, the
// decision, the rows and the donors returned; "who looked at donor D?"
// is one query.
func TestEveryRequestIsAudited(t *testing.T) {
	e := newEnv(t)
	r := e.registry()
	var out struct {
		Samples struct{ Nodes []struct{ SampleID string } }
	}
	e.ok(readerToken, `query SamplesOfD1($donor: ID) { samples(filter: {donor: $donor}) { nodes { sampleId } } }`, map[string]any{"donor": r.ids["d1"]}, &out)
	require.Len(t, out.Samples.Nodes, 3)
	e.do(researcherToken, `{ overdueDataReturns(biobank: "DNB") { daysOverdue } }`, nil)
	e.do("", `{ biobanks { nodes { code } } }`, nil)

	looked := e.audit(`{donor: "` + r.ids["d1"] + `"}`)
	require.Len(t, looked, 1, "who looked at donor d1?")
	ev := looked[0]
	assert.Equal(t, "rowan", ev.Actor)
	assert.Equal(t, "staff", ev.Role)
	assert.Equal(t, "SamplesOfD1", ev.Operation)
	assert.Equal(t, "allowed", ev.Decision)
	assert.Equal(t, 3, ev.Rows)
	assert.Equal(t, []string{r.ids["d1"]}, ev.DonorIds)
	assert.Contains(t, ev.Operations, "Samples")
	assert.Len(t, ev.QueryHash, 64)
	assert.NotContains(t, string(ev.Variables), r.ids["d1"], "identifiers in variables are hashed")
	assert.Contains(t, string(ev.Variables), `"donor":"sha256:`)

	e.do(researcherToken, `{ samples { nodes { sampleId } } }`, nil)
	all := e.audit(`{actor: "rita"}`)
	require.Len(t, all, 2)
	assert.Equal(t, "samples", all[0].Operation, "newest first")
	assert.Equal(t, "denied", all[0].Decision, "researchers see no sample rows")
	assert.Equal(t, "overdueDataReturns", all[1].Operation)
	assert.Equal(t, "denied", all[1].Decision)
	var anonymous []auditEvent
	for _, ev := range e.audit(`{}`) {
		if ev.Actor == "" {
			anonymous = append(anonymous, ev)
		}
	}
	require.Len(t, anonymous, 1, "requests without credentials are audited too")
	assert.Equal(t, "denied", anonymous[0].Decision)

	// a preview names the donors of its items, streamed as they are (the
	// CSV: no nested objects whose loading would name them anyway)
	e.ok(readerToken, `query($input: WithdrawalPreviewInput!) { withdrawalPreviewCsv(input: $input) }`,
		map[string]any{"input": map[string]any{"ids": []string{r.ids["s1"]}, "assay": "WGS", "purpose": map[string]any{"category": "HMB"}}}, nil)
	looked = e.audit(`{donor: "` + r.ids["d1"] + `"}`)
	require.Len(t, looked, 2, "the listing, then the preview")
	assert.Contains(t, looked[0].Operations, "WithdrawalPreview")

	// only admins read the audit
	res := e.do(staffToken, `{ auditEvents { nodes { actor } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])

	// a mutation is a write
	e.ok(staffToken, `mutation { createStudy(input: {studyId: "ST9", title: "Audit study"}) { studyId } }`, nil, nil)
	writes := e.audit(`{actor: "sam"}`)
	require.NotEmpty(t, writes)
	assert.True(t, writes[0].Write)
	assert.True(t, strings.HasPrefix(writes[0].Operation, "createStudy"))
	// whatever comes before it in the text: a comment, a fragment
	for i, doc := range []string{
		"# just a query\nmutation { createStudy(input: {studyId: \"ST10\", title: \"Hidden\"}) { studyId } }",
		"fragment F on Study { studyId }\nmutation Hidden { createStudy(input: {studyId: \"ST11\", title: \"Hidden\"}) { ...F } }",
	} {
		e.ok(staffToken, doc, nil, nil)
		writes := e.audit(`{actor: "sam"}`)
		require.Len(t, writes, 3+i, "the denied audit read, the first mutation, then these")
		assert.True(t, writes[0].Write, doc)
	}
	assert.Equal(t, "Hidden", e.audit(`{actor: "sam"}`)[0].Operation)
}

// A request whose variables hold what PostgreSQL's text refuses (a NUL in
// a key) is answered and audited all the same.
func TestAuditTakesHostileVariables(t *testing.T) {
	e := newEnv(t)
	res := e.do(researcherToken, `query Bio($first: Int) { biobanks(first: $first) { nodes { code } } }`, map[string]any{"first": 5, "x\x00y": "z"})
	require.Empty(t, res.Errors)
	evs := e.audit(`{actor: "rita"}`)
	require.Len(t, evs, 1)
	assert.Equal(t, "Bio", evs[0].Operation)
	assert.Contains(t, string(evs[0].Variables), "x\uFFFDy")
}
