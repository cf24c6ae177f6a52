package domain

import "time"

// Change is one recorded change of an entity: who, when, and the values
// of the changed fields before and after (as JSON objects).
type Change struct {
	Entity    string
	EntityID  string
	Action    string // update, retire, restore
	Actor     string
	At        time.Time
	OldValues string
	NewValues string
}
