package graph

import (
	"context"

	"databank/domain"
)

// APITokenAuth authenticates API tokens (`databank token create`) through
// the token service: one indexed lookup of the secret's digest (or the
// service's short cache) per request.
type APITokenAuth struct {
	Tokens domain.TokenService
}

// Bearer implements Bearer for tokens with the API token prefix; an
// unknown, expired or revoked one is refused with the reason.
func (t APITokenAuth) Bearer(ctx context.Context, tok string) (domain.Actor, bool, error) {
	if !domain.IsAPITokenSecret(tok) {
		return domain.Actor{}, false, nil
	}
	a, err := t.Tokens.AuthenticateAPIToken(ctx, tok)
	if err != nil {
		return domain.Actor{}, false, err
	}
	return a, true, nil
}
