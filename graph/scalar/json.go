package scalar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalJSONText writes JSON text held in a string (a jsonb column, say)
// as the JSON value it is, so that clients receive an object rather than
// a string to decode a second time. Text that is not JSON is an internal
// error: it never comes from users.
func MarshalJSONText(s string) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(s)); err != nil {
			return errors.New("scalar: a JSON value holds text that is not JSON: " + err.Error())
		}
		_, err := w.Write(b.Bytes())
		return err
	})
}

// UnmarshalJSONText reads any JSON value a client sent and returns it as
// JSON text.
func UnmarshalJSONText(_ context.Context, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", invalid("a JSON value could not be encoded: " + err.Error())
	}
	return string(b), nil
}
