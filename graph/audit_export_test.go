package graph

import (
	"log/slog"
	"net/http"
)

// NewHandlerWithoutAudit is NewHandler without the audit layer: the
// reference of BenchmarkAuditOverhead, built by tests only.
func NewHandlerWithoutAudit(cfg Config) http.Handler {
	return newHandler(cfg, func(_ auditRecorder, _ *slog.Logger, _ Limits, next http.Handler) http.Handler { return next })
}
