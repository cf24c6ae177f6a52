package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type apiTokenRow struct {
	ID          uuid.UUID  `db:"id"`
	Name        string     `db:"name"`
	Role        string     `db:"role"`
	AllBiobanks bool       `db:"all_biobanks"`
	Biobanks    []string   `db:"biobanks"`
	CreatedBy   string     `db:"created_by"`
	CreatedAt   time.Time  `db:"created_at"`
	ExpiresAt   time.Time  `db:"expires_at"`
	RevokedAt   *time.Time `db:"revoked_at"`
	RevokedBy   *string    `db:"revoked_by"`
	LastUsedAt  *time.Time `db:"last_used_at"`
}

// apiTokenSelect reads tokens with their biobanks' current codes in one
// statement; the caller appends a WHERE clause on t.
const apiTokenSelect = `SELECT t.id, t.name, t.role, t.all_biobanks, t.created_by, t.created_at, t.expires_at,
	t.revoked_at, t.revoked_by, t.last_used_at,
	ARRAY(SELECT b.code FROM api_token_biobank tb JOIN biobank b ON b.id = tb.biobank_id
	      WHERE tb.token_id = t.id ORDER BY b.code) AS biobanks
	FROM api_token t `

func (r apiTokenRow) domain() domain.APIToken {
	t := domain.APIToken{ID: r.ID.String(), Name: r.Name, Role: r.Role, Biobanks: r.Biobanks,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}
	if r.AllBiobanks {
		t.Biobanks = append([]string{domain.AllBiobanks}, t.Biobanks...)
	}
	if r.RevokedAt != nil {
		t.RevokedAt = *r.RevokedAt
	}
	if r.RevokedBy != nil {
		t.RevokedBy = *r.RevokedBy
	}
	if r.LastUsedAt != nil {
		t.LastUsedAt = *r.LastUsedAt
	}
	return t
}

// CreateAPIToken validates t and stores it with the SHA-256 digest of its
// secret; the biobank codes must name existing biobanks.
func (s *Store) CreateAPIToken(ctx context.Context, t domain.APIToken, digest []byte) (domain.APIToken, error) {
	v := domain.NewValidation("input")
	t.Validate(v)
	if err := checked(ctx, v); err != nil {
		return t, err
	}
	id, who := newID(), actor(ctx)
	all := slices.Contains(t.Biobanks, domain.AllBiobanks)
	codes := slices.DeleteFunc(slices.Clone(t.Biobanks), func(c string) bool { return c == domain.AllBiobanks })
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO api_token (id, name, secret_sha256, role, all_biobanks, created_by, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, t.Name, digest, t.Role, all, who, t.ExpiresAt)
		if err != nil {
			return translate(err, "create API token "+t.Name)
		}
		if len(codes) == 0 {
			return nil
		}
		rows, err := tx.Query(ctx, `INSERT INTO api_token_biobank (token_id, biobank_id)
			SELECT $1, b.id FROM biobank b WHERE b.code = ANY($2) AND b.retired_at IS NULL RETURNING (SELECT code FROM biobank WHERE id = biobank_id)`, id, codes)
		if err != nil {
			return translate(err, "link API token "+t.Name+" to biobanks")
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return translate(err, "link API token "+t.Name+" to biobanks")
		}
		if missing := slices.DeleteFunc(codes, func(c string) bool { return slices.Contains(found, c) }); len(missing) > 0 {
			return &domain.Error{Code: domain.EINVALID, Message: "invalid input",
				Fields: []domain.FieldError{{Field: "input.biobanks", Value: strings.Join(missing, ","), Message: "no such biobank (or it is retired)"}}}
		}
		return nil
	})
	if err != nil {
		return t, err
	}
	return getOne(ctx, s.pool, apiTokenSelect+"WHERE t.id = $1", []any{id}, apiTokenRow.domain, "API token "+t.Name)
}

// APITokenByDigest returns the token whose secret has the SHA-256 digest:
// one lookup on a unique index.
func (s *Store) APITokenByDigest(ctx context.Context, digest []byte) (domain.APIToken, error) {
	return getOne(ctx, s.pool, apiTokenSelect+"WHERE t.secret_sha256 = $1", []any{digest}, apiTokenRow.domain, "API token")
}

// APITokens lists the tokens, newest first; revoked and expired ones only
// with includeInactive.
func (s *Store) APITokens(ctx context.Context, includeInactive bool) ([]domain.APIToken, error) {
	q := apiTokenSelect
	if !includeInactive {
		q += "WHERE t.revoked_at IS NULL AND t.expires_at > now() "
	}
	return getMany(ctx, s.pool, q+"ORDER BY t.created_at DESC, t.name", nil, apiTokenRow.domain)
}

// RevokeAPIToken revokes the token called name, recording who did; a token
// revoked already keeps its first revocation.
func (s *Store) RevokeAPIToken(ctx context.Context, name string) (domain.APIToken, error) {
	// the announcement is sent when the revocation commits, not before
	tag, err := s.pool.Exec(ctx, `WITH revoked AS (
			UPDATE api_token SET revoked_at = now(), revoked_by = $2 WHERE name = $1 AND revoked_at IS NULL RETURNING id)
		SELECT pg_notify('`+TokenChannel+`', id::text) FROM revoked`, name, actor(ctx))
	if err != nil {
		return domain.APIToken{}, translate(err, "revoke API token "+name)
	}
	t, err := getOne(ctx, s.pool, apiTokenSelect+"WHERE t.name = $1", []any{name}, apiTokenRow.domain, "API token "+name)
	if err == nil && tag.RowsAffected() == 0 {
		return t, domain.Errorf(domain.ECONFLICT, "API token %q was revoked already, on %s", name, t.RevokedAt.UTC().Format(time.RFC3339))
	}
	return t, err
}

// TokenChannel is the PostgreSQL notification channel on which
// RevokeAPIToken announces a revocation; the payload is the token's id.
const TokenChannel = "databank_token"

// ListenTokens listens on TokenChannel on a connection of its own,
// outside the pool, as ListenOntologies does: listening is called once it
// listens (a revocation before then was not announced to it), revoked
// with the id of every token revoked after. It returns nil when ctx ends,
// and the error when the connection fails; the caller reconnects.
func (s *Store) ListenTokens(ctx context.Context, listening func(), revoked func(id string)) error {
	return s.listen(ctx, TokenChannel, "databank token listener", "token revocations", 0, listening, revoked, nil)
}

// TouchAPIToken records that the token with id was used now.
func (s *Store) TouchAPIToken(ctx context.Context, id string) error {
	uid, err := parseID("API token", id)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `UPDATE api_token SET last_used_at = now() WHERE id = $1`, uid)
	return translate(err, "touch API token "+id)
}
