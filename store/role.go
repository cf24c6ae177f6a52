package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// appPrivileges are what the application's database role may do, granted
// by the owner of the schema after every migration (GrantApp). %[1]s is
// the role, %[2]s the database. It starts from nothing, so a privilege
// dropped here is revoked at the next migration, and every table a
// migration adds is covered:
//
//   - read, insert and update every table: records are retired, never
//     deleted;
//   - only insert into audit_event and only read change_log, both
//     append-only (their triggers refuse UPDATE, DELETE and TRUNCATE to
//     the owner too): the change log's own triggers write it with their
//     owner's rights (migration 015); only read schema_version;
//   - delete exactly the rows the application removes: a dataset's file
//     links (kept in the change log) and a vocabulary's hierarchy, which a
//     load recomputes;
//   - create schemas and temporary tables in the database, where imports
//     stage their rows (store/import_scratch.go).
//
// Not being the tables' owner, the role cannot ALTER, DROP or disable the
// triggers of any of them; TRUNCATE, REFERENCES and TRIGGER are never
// granted.
const appPrivileges = `
GRANT USAGE ON SCHEMA public TO %[1]s;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %[1]s;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %[1]s;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO %[1]s;
REVOKE INSERT, UPDATE ON ` + versionTable + ` FROM %[1]s;
REVOKE INSERT, UPDATE ON change_log FROM %[1]s;
REVOKE UPDATE ON audit_event FROM %[1]s;
GRANT DELETE ON dataset_file, ontology_closure TO %[1]s;
GRANT CREATE, TEMPORARY ON DATABASE %[2]s TO %[1]s;
`

// GrantApp gives role, the application's database role, the privileges
// it needs and no more (appPrivileges) on the schema conn's role owns. A
// role that owns the tables keeps every privilege whatever is granted:
// the application must connect as another role. GrantApp is idempotent.
func GrantApp(ctx context.Context, conn *pgx.Conn, role string) error {
	var db, self string
	if err := conn.QueryRow(ctx, "SELECT current_database(), current_user").Scan(&db, &self); err != nil {
		return fmt.Errorf("store: grant %s: %w", role, err)
	}
	if role == self {
		return fmt.Errorf("store: grant %s: the application's role is the owner's, which keeps every privilege", role)
	}
	sql := fmt.Sprintf(appPrivileges, pgx.Identifier{role}.Sanitize(), pgx.Identifier{db}.Sanitize())
	if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql)
		return err
	}); err != nil {
		return fmt.Errorf("store: grant %s: %w", role, err)
	}
	return nil
}

// GrantApp gives role the application's privileges (GrantApp) as the
// store's role, which must own the schema.
func (s *Store) GrantApp(ctx context.Context, role string) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: grant %s: %w", role, err)
	}
	defer conn.Release()
	return GrantApp(ctx, conn.Conn(), role)
}

// OwnsSchema reports whether the store's role owns the registry's tables,
// and with them the power to alter or drop them and disable their
// triggers, the change log's and the audit's included; true too when
// there are none yet, which a migration by this role would create.
func (s *Store) OwnsSchema(ctx context.Context) (bool, error) {
	var owns bool
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
		WHERE schemaname = 'public' AND tablename = 'change_log'), true)`).Scan(&owns)
	if err != nil {
		return false, translate(err, "schema owner")
	}
	return owns, nil
}

// RoleOf returns the database role a connection string names (pgx's
// default, the operating system user, when it names none).
func RoleOf(url string) (string, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "", fmt.Errorf("store: parse database url: %w", err)
	}
	return cfg.User, nil
}
