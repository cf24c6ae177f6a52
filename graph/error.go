package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"databank/domain"
)

// errorPresenter turns any resolver error into a GraphQL error whose
// extensions.code is the domain error code. Validation errors carry one
// entry per field. Internal errors are logged with their cause and shown
// only as "internal error".
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// gqlgen's own parse and validation errors
			if gqlErr.Extensions == nil {
				gqlErr.Extensions = map[string]any{}
			}
			if _, ok := gqlErr.Extensions["code"]; !ok {
				gqlErr.Extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
			}
			gqlErr.Message = withoutSuggestions(ctx, gqlErr.Message)
			return gqlErr
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		code := domain.ErrorCode(err)
		out.Message = domain.ErrorMessage(err)
		out.Extensions = map[string]any{"code": code}
		var de *domain.Error
		if errors.As(err, &de) && len(de.Fields) > 0 {
			out.Message = de.Message
			fields := make([]map[string]any, len(de.Fields))
			for i, f := range de.Fields {
				fields[i] = map[string]any{"field": f.Field, "message": f.Message}
				if f.Value != "" {
					fields[i]["value"] = f.Value
				}
			}
			out.Extensions["fields"] = fields
		}
		markStatus(ctx, code)
		switch code {
		case domain.EINTERNAL:
			log.ErrorContext(ctx, "internal error", "err", err, "path", out.Path.String())
		case domain.EUNAVAILABLE:
			log.WarnContext(ctx, "database unavailable", "err", err, "path", out.Path.String())
		}
		return out
	}
}

// recoverFunc turns a resolver panic into an internal error.
func recoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(p))
		return domain.Internal(fmt.Errorf("panic: %v", p), "graph")
	}
}
