package domain

import (
	"context"
	"sync"
)

// Warnings collects the warnings of one request (e.g. an obsolete code
// accepted, naming its replacement) so that the transport can show them
// beside the result.
type Warnings struct {
	mu   sync.Mutex
	list []FieldError
}

type warningsKey struct{}

// WithWarnings returns a context collecting warnings into w.
func WithWarnings(ctx context.Context, w *Warnings) context.Context {
	return context.WithValue(ctx, warningsKey{}, w)
}

// Warn records warnings in the context's collector, if it has one.
func Warn(ctx context.Context, ws ...FieldError) {
	if w, ok := ctx.Value(warningsKey{}).(*Warnings); ok && len(ws) > 0 {
		w.mu.Lock()
		w.list = append(w.list, ws...)
		w.mu.Unlock()
	}
}

// List returns the warnings collected so far.
func (w *Warnings) List() []FieldError {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]FieldError(nil), w.list...)
}
