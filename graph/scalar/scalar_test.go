package scalar

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func marshal(t *testing.T, m graphql.Marshaler) string {
	t.Helper()
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}

// A 6,378,409,845-byte file (a 30x CRAM) does not fit in GraphQL's Int.
func TestLongRoundTrip(t *testing.T) {
	for _, in := range []any{int64(6378409845), json.Number("6378409845"), "6378409845", " 6378409845 ", 6378409845} {
		n, err := UnmarshalLong(in)
		require.NoError(t, err, "%#v", in)
		assert.Equal(t, int64(6378409845), n, "%#v", in)
	}
	assert.Equal(t, "6378409845", marshal(t, MarshalLong(6378409845)))
	assert.Equal(t, "-9223372036854775808", marshal(t, MarshalLong(-9223372036854775808)))
	assert.Equal(t, "9223372036854775807", marshal(t, MarshalLongInt(9223372036854775807)))
	n, err := UnmarshalLong("-9223372036854775808")
	require.NoError(t, err)
	assert.Equal(t, int64(-9223372036854775808), n)
}

func TestLongRefusesWhatIsNotAWholeNumber(t *testing.T) {
	for in, want := range map[any]string{
		json.Number("9223372036854775808"): `"9223372036854775808" is out of range`,
		"-9223372036854775809":             `"-9223372036854775809" is out of range`,
		json.Number("1.5"):                 `"1.5" is not a whole number`,
		"6e9":                              `"6e9": write a whole number in plain digits`,
		"6 GB":                             `"6 GB" is not a number`,
		"":                                 `"" is not a number`,
		1.5:                                `1.5 is not a whole number`,
		6378409845.0:                       `6.378409845e+09: write a whole number without a decimal point`,
		true:                               `got a bool`,
	} {
		_, err := UnmarshalLong(in)
		require.Error(t, err, "%#v", in)
		assert.Equal(t, domain.EINVALID, domain.ErrorCode(err), "%#v", in)
		assert.Contains(t, err.Error(), "a Long must be a whole number from -9223372036854775808 to 9223372036854775807", "%#v", in)
		assert.Contains(t, err.Error(), want, "%#v", in)
	}
	_, err := UnmarshalLong(nil)
	assert.ErrorContains(t, err, "null is not a number")
}

func TestLongInt(t *testing.T) {
	n, err := UnmarshalLongInt(json.Number("2147483648"))
	require.NoError(t, err)
	assert.Equal(t, 2147483648, n)
	_, err = UnmarshalLongInt("x")
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
}

func TestJSONTextIsWrittenAsAValue(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, MarshalJSONText(`{"name": "Swedish National Biobank",
		"retired_at": null}`).MarshalGQLContext(context.Background(), &b))
	assert.Equal(t, `{"name":"Swedish National Biobank","retired_at":null}`, b.String())

	b.Reset()
	assert.ErrorContains(t, MarshalJSONText(`{"name": `).MarshalGQLContext(context.Background(), &b), "not JSON")
	assert.ErrorContains(t, MarshalJSONText(``).MarshalGQLContext(context.Background(), &b), "not JSON")
	assert.Empty(t, b.String())

	s, err := UnmarshalJSONText(context.Background(), map[string]any{"size": json.Number("6378409845"), "tags": []any{"a"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"size": 6378409845, "tags": ["a"]}`, s)
}
