package graph_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// A renamed input field (docs/glossary.md) is written and read back under
// its new name; the former name still writes, and the two given with
// different values are refused naming the field.
func TestRenamedInputFields(t *testing.T) {
	e := newEnv(t)
	e.ok(staffToken, `mutation { createBiobank(input: {code: "DNB", name: "Danish National Biobank", country: "DK"}) { id } }`, nil, nil)
	var donor struct{ CreateDonor struct{ ID string } }
	e.ok(staffToken, `mutation { createDonor(input: {biobank: "DNB", donorId: "D1"}) { id } }`, nil, &donor)
	tests := []struct {
		name, quantities string
		want             float64 // registeredRemaining read back; 0 when refused
	}{
		{"new name", `registeredRemaining: 4`, 4},
		{"former name", `remainingQuantity: 3`, 3},
		{"both, agreeing", `registeredRemaining: 2, remainingQuantity: 2`, 2},
		{"both, disagreeing", `registeredRemaining: 2, remainingQuantity: 1`, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out struct {
				CreateSample struct {
					RegisteredRemaining float64
					RemainingQuantity   float64
				}
			}
			res := e.do(staffToken, `mutation($donor: ID!, $id: String!) { createSample(input: {biobank: "DNB", donor: $donor, sampleId: $id,
				materialType: "DNA", initialQuantity: 5, quantityUnit: MICROGRAM, `+tt.quantities+`}) { registeredRemaining remainingQuantity } }`,
				map[string]any{"donor": donor.CreateDonor.ID, "id": "S" + string(rune('0'+i))})
			if tt.want == 0 {
				require.NotEmpty(t, res.Errors)
				assert.Equal(t, domain.EINVALID, res.Errors[0].Extensions["code"])
				assert.Contains(t, fmt.Sprint(res.Errors[0].Extensions["fields"]), "input.registeredRemaining")
				return
			}
			require.Empty(t, res.Errors, "%+v", res.Errors)
			require.NoError(t, jsonUnmarshal(res.Data, &out))
			assert.Equal(t, tt.want, out.CreateSample.RegisteredRemaining)
			assert.Equal(t, tt.want, out.CreateSample.RemainingQuantity, "no withdrawals yet")
		})
	}
	var study struct {
		CreateStudy struct{ Accession, EgaStudyAccession *string }
	}
	e.ok(staffToken, `mutation { createStudy(input: {studyId: "ST1", title: "T", egaStudyAccession: "EGAS00001000001"}) { accession egaStudyAccession } }`, nil, &study)
	require.NotNil(t, study.CreateStudy.Accession)
	assert.Equal(t, "EGAS00001000001", *study.CreateStudy.Accession)
}
