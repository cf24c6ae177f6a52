package pgserver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// AppRole is the role the private cluster's application connects as
// (URLAs): a login role that owns nothing, so that it has only the
// privileges the schema's owner grants it (store.GrantApp).
const AppRole = "databank_app"

// CreateRole creates name, a login role without any attribute of note
// (not a superuser, no CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS),
// with password ("" for none) unless it exists. Roles belong to the
// cluster, so concurrent callers may race: the loser finds the role made.
func CreateRole(ctx context.Context, conn *pgx.Conn, name, password string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pgserver: look up role %s: %w", name, err)
	}
	if exists {
		return nil
	}
	sql := "CREATE ROLE " + pgx.Identifier{name}.Sanitize() + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
	if password != "" {
		// CREATE ROLE takes no parameters; the literal is quoted the
		// standard way, standard_conforming_strings being on since 9.1.
		sql += " PASSWORD " + quoteLiteral(password)
	}
	_, err := conn.Exec(ctx, sql)
	var pgErr *pgconn.PgError
	if err != nil && !(errors.As(err, &pgErr) && (pgErr.Code == "42710" || pgErr.Code == "23505")) { // duplicate_object, or pg_authid's key: a racer made it
		return fmt.Errorf("pgserver: create role %s: %w", name, err)
	}
	return nil
}

// URLAs returns URL with the role instead of the cluster's superuser;
// the socket trusts every local role.
func (s *Server) URLAs(role string) string {
	u, err := url.Parse(s.URL())
	if err != nil {
		panic(err) // URL builds it from parts
	}
	u.User = url.User(role)
	return u.String()
}

// EnsureRole creates role in the cluster (CreateRole) unless it exists.
func (s *Server) EnsureRole(ctx context.Context, role string) error {
	conn, err := pgx.Connect(ctx, s.url("postgres"))
	if err != nil {
		return fmt.Errorf("pgserver: connect to cluster: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return CreateRole(ctx, conn, role, "")
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
