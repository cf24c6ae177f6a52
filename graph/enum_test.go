package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"databank/domain"
	"databank/graph/generated"
	"databank/graph/model"
)

// Every enum of the schema has a conversion table with the same names in
// the same order, and every table an enum.
func TestEnumTablesMatchTheSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	tables := model.EnumValues()
	for name, def := range schema.Types {
		if def.Kind != ast.Enum || def.BuiltIn {
			continue
		}
		var want []string
		for _, v := range def.EnumValues {
			want = append(want, v.Name)
		}
		var got []string
		for _, p := range tables[name] {
			got = append(got, p[0])
		}
		assert.Equal(t, want, got, "enum %s", name)
	}
	for name := range tables {
		def := schema.Types[name]
		assert.True(t, def != nil && def.Kind == ast.Enum, "table %s has no enum in the schema", name)
	}
}

// The tables hold the domain's own spellings.
func TestEnumTablesHoldDomainValues(t *testing.T) {
	values := func(enum string) []string {
		var out []string
		for _, p := range model.EnumValues()[enum] {
			out = append(out, p[1])
		}
		return out
	}
	var kinds []string
	for _, k := range domain.ImportKinds {
		kinds = append(kinds, string(k))
	}
	assert.ElementsMatch(t, kinds, values("ImportKind"))
	units := values("QuantityUnit")
	for _, u := range units {
		canonical, ok := domain.NormalizeUnit(u)
		assert.True(t, ok && canonical == u, "unit %q is not one of the domain's canonical spellings", u)
	}
	for _, u := range []string{"ml", "µL", "l", "G", "µg"} {
		canonical, _ := domain.NormalizeUnit(u)
		assert.True(t, slices.Contains(units, canonical), "the domain's unit %q has no QuantityUnit value", u)
	}
}

// Enum values go into the domain and come back out through GraphQL, in
// inputs, filters and outputs.
func TestEnumsRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	for _, sex := range []string{"FEMALE", "MALE", "OTHER", "UNKNOWN"} {
		for _, vital := range []string{"ALIVE", "DECEASED", "UNKNOWN"} {
			var out struct {
				CreateDonor struct{ Sex, VitalStatus string }
			}
			e.ok(staffToken, `mutation($id: String!, $sex: Sex, $vital: VitalStatus) {
				createDonor(input: {biobank: "DNB", donorId: $id, sex: $sex, vitalStatus: $vital}) { sex vitalStatus } }`,
				map[string]any{"id": "X-" + sex + "-" + vital, "sex": sex, "vital": vital}, &out)
			assert.Equal(t, sex, out.CreateDonor.Sex)
			assert.Equal(t, vital, out.CreateDonor.VitalStatus)
		}
	}
	var donors struct{ Donors struct{ TotalCount int } }
	e.ok(readerToken, `{ donors(filter: {sex: OTHER}) { totalCount } }`, nil, &donors)
	assert.Equal(t, 3, donors.Donors.TotalCount)

	var donor struct {
		Donors struct{ Nodes []struct{ ID string } }
	}
	e.ok(readerToken, `{ donors(first: 1) { nodes { id } } }`, nil, &donor)
	for i, status := range []string{"AVAILABLE", "RESERVED", "DEPLETED", "DESTROYED"} {
		var out struct {
			CreateSample struct{ Status, QuantityUnit string }
		}
		e.ok(staffToken, `mutation($id: String!, $donor: ID!, $status: SampleStatus) {
			createSample(input: {biobank: "DNB", sampleId: $id, donor: $donor, materialType: "DNA", initialQuantity: 2, quantityUnit: MICROGRAM, status: $status}) { status quantityUnit } }`,
			map[string]any{"id": fmt.Sprintf("S%d", i), "donor": donor.Donors.Nodes[0].ID, "status": status}, &out)
		assert.Equal(t, status, out.CreateSample.Status)
		assert.Equal(t, "MICROGRAM", out.CreateSample.QuantityUnit)
	}
	var samples struct {
		Samples struct {
			TotalCount int
			Nodes      []struct {
				SampleID     string
				QuantityUnit *string
			}
		}
	}
	e.ok(readerToken, `{ samples(filter: {status: DEPLETED}) { totalCount nodes { sampleId quantityUnit } } }`, nil, &samples)
	assert.Equal(t, 1, samples.Samples.TotalCount)
	e.ok(readerToken, `{ samples(filter: {status: AVAILABLE}) { totalCount nodes { sampleId quantityUnit } } }`, nil, &samples)
	units := map[string]*string{}
	for _, n := range samples.Samples.Nodes {
		units[n.SampleID] = n.QuantityUnit
	}
	require.Contains(t, units, "B0000")
	require.NotNil(t, units["B0000"])
	assert.Equal(t, "MILLILITRE", *units["B0000"], "the seed's mL")
	assert.Nil(t, units["N0000"], "a sample without a quantity has no unit: null, not an empty string")

	// Enum names are case-sensitive; gqlparser lets a variable in another
	// case through validation, and the enum's table refuses it.
	res := e.do(staffToken, `mutation($sex: Sex) { createDonor(input: {biobank: "DNB", donorId: "Y", sex: $sex}) { id } }`, map[string]any{"sex": "female"})
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, `"female" is not a value of enum Sex: use one of FEMALE, MALE, OTHER, UNKNOWN`)
	res = e.do(staffToken, `{ samples(filter: {status: depleted}) { totalCount } }`, nil)
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", res.Errors[0].Extensions["code"])
}

// Acceptance: a 6,378,409,845-byte file (past GraphQL Int's 2^31-1) keeps
// its exact size through registerDataFile and back.
func TestDataFileSizeBeyondInt32(t *testing.T) {
	e := newEnv(t)
	const size = 6378409845
	var reg struct{ RegisterDataFile struct{ Size int64 } }
	e.ok(staffToken, `mutation { registerDataFile(input: {fileId: "EGAF00000000001", format: "CRAM", location: "s3://dnb/wgs/D0001.cram", size: 6378409845}) { size } }`, nil, &reg)
	assert.Equal(t, int64(size), reg.RegisterDataFile.Size)
	// As a variable, a JSON number or a string of digits.
	for _, v := range []any{json.Number("6378409846"), "6378409847"} {
		e.ok(staffToken, `mutation($size: Long) { registerDataFile(input: {fileId: "EGAF00000000001", format: "CRAM", location: "s3://dnb/wgs/D0001.cram", size: $size}) { size } }`,
			map[string]any{"size": v}, &reg)
	}
	stored := must[domain.DataFile](t)(e.store.DataFileByExternalID(e.ctx, "EGAF00000000001"))
	require.NotNil(t, stored.Size)
	assert.Equal(t, int64(6378409847), *stored.Size)

	// Read back as the exact JSON number, not a float or a string.
	res := e.do(readerToken, `{ dataFile(fileId: "EGAF00000000001") { size } }`, nil)
	require.Empty(t, res.Errors)
	assert.JSONEq(t, `{"dataFile": {"size": 6378409847}}`, string(res.Data))
	assert.Contains(t, string(res.Data), `6378409847`)

	// Fractions and values past 64 bits are invalid input, with the reason.
	for _, v := range []any{1.5, "6.5e9", json.Number("9223372036854775808")} {
		res := e.do(staffToken, `mutation($size: Long) { registerDataFile(input: {fileId: "EGAF00000000002", format: "CRAM", location: "s3://x/y.cram", size: $size}) { size } }`, map[string]any{"size": v})
		require.NotEmpty(t, res.Errors, "%v", v)
		assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"], "%v", v)
		assert.Contains(t, res.Errors[0].Message, "a Long must be a whole number", "%v", v)
	}
	res = e.do(staffToken, `mutation { registerDataFile(input: {fileId: "EGAF00000000002", format: "CRAM", location: "s3://x/y.cram", size: 99999999999999999999}) { size } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", res.Errors[0].Extensions["code"], "a literal past 64 bits never reaches the scalar")
}
