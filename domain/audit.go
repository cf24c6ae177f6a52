package domain

import "time"

// Audit records who created and last changed an entity, and when.
// Every entity carries one; the store fills it from the acting user.
type Audit struct {
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	// RetiredAt is set when staff retire the entity. Retired entities stay
	// in the registry (nothing is ever deleted) but drop out of listings.
	RetiredAt *time.Time
}
