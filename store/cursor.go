package store

import (
	"encoding/base64"
	"encoding/json"

	"github.com/google/uuid"

	"databank/domain"
)

// sortKey is an order a listing offers besides id. Its SQL expression
// never yields NULL: missing values become a sentinel that sorts last in
// either direction, so that (key, id) row comparisons page through them
// with an index.
type sortKey[T any] struct {
	column   string          // the column, e.g. "t.collected_on"
	typ      string          // its SQL type, for the cursor's value
	nullable bool            // whether the column may be NULL
	last     [2]string       // sentinels for ASC and DESC (nullable columns)
	text     func(T) *string // the item's value as SQL text; nil when NULL
	id       func(T) string  // the item's id
}

// expr is the key's SQL expression in a direction.
func (k sortKey[T]) expr(desc bool) string {
	if !k.nullable {
		return k.column
	}
	return "coalesce(" + k.column + ", '" + k.last[b2i(desc)] + "'::" + k.typ + ")"
}

// value is the item's key as the expression yields it.
func (k sortKey[T]) value(x T, desc bool) string {
	if v := k.text(x); v != nil {
		return *v
	}
	return k.last[b2i(desc)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cursor is what a sorted listing's cursor holds: the order it belongs
// to, the last item's key and id. It is opaque to clients (base64url of
// JSON) and checked, not trusted: its values are parameters.
type cursor struct {
	Field string `json:"o"`
	Desc  bool   `json:"d,omitempty"`
	Value string `json:"v"`
	ID    string `json:"id"`
}

var badCursor = &domain.Error{Code: domain.EINVALID, Message: "invalid cursor",
	Fields: []domain.FieldError{{Field: "after", Message: "is not a cursor returned by this API for this order"}}}

func encodeCursor(o domain.Order, value, id string) string {
	b, _ := json.Marshal(cursor{Field: o.Field, Desc: o.Desc, Value: value, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, o domain.Order) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Field != o.Field || c.Desc != o.Desc {
		return c, badCursor
	}
	if _, err := uuid.Parse(c.ID); err != nil {
		return c, badCursor
	}
	return c, nil
}
