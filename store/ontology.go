package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"databank/ontology"
)

// OntologyDigest identifies the content of a system's release, so that an
// unchanged system is not rewritten.
func OntologyDigest(terms []ontology.Term) string {
	h := sha256.New()
	for _, t := range terms {
		fmt.Fprintf(h, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1e", t.CURIE, t.Label, strings.Join(t.Synonyms, "\x1d"),
			strings.Join(t.Parents, "\x1d"), t.Status, t.ReplacedBy)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// SaveOntology persists every term of one system of reg with its ancestor
// closure, replacing the previous release of that system in one
// transaction, and announces it on OntologyChannel (ListenOntologies). A
// system whose content is unchanged is left alone.
func (s *Store) SaveOntology(ctx context.Context, reg *ontology.Registry, system string, builtin bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return saveOntology(ctx, tx, reg, system, builtin, actor(ctx)) })
}

func saveOntology(ctx context.Context, tx pgx.Tx, reg *ontology.Registry, system string, builtin bool, who string) error {
	sys, ok := reg.System(system)
	if !ok {
		return fmt.Errorf("store: save ontology: no system %q", system)
	}
	terms := reg.Terms(system)
	digest := OntologyDigest(terms)
	var old string
	err := tx.QueryRow(ctx, "SELECT digest FROM ontology_system WHERE name = $1 FOR UPDATE", sys.Name).Scan(&old)
	if err == nil && old == digest {
		return nil
	}
	if err != nil && err != pgx.ErrNoRows {
		return translate(err, "save ontology")
	}
	_, err = tx.Exec(ctx, `INSERT INTO ontology_system (name, title, source, version, digest, builtin, loaded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (name) DO UPDATE SET title = excluded.title, source = excluded.source, version = excluded.version,
			digest = excluded.digest, builtin = excluded.builtin, loaded_at = now(), loaded_by = excluded.loaded_by`,
		sys.Name, sys.Title, sys.Source, sys.Version, digest, builtin, who)
	if err != nil {
		return translate(err, "save ontology")
	}
	rows := make([][]any, len(terms))
	for i, t := range terms {
		rows[i] = []any{t.CURIE, sys.Name, t.Code, t.Label, orEmpty(t.Synonyms), orEmpty(t.Parents), string(t.Status), nullString(t.ReplacedBy)}
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS ontology_term_stage (LIKE ontology_term) ON COMMIT DROP;
		TRUNCATE ontology_term_stage`); err != nil {
		return translate(err, "save ontology")
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ontology_term_stage"},
		[]string{"curie", "system", "code", "label", "synonyms", "parents", "status", "replaced_by"}, pgx.CopyFromRows(rows)); err != nil {
		return translate(err, "save ontology terms")
	}
	// Upsert the release; terms of this system missing from it become
	// obsolete (never deleted).
	if _, err := tx.Exec(ctx, `INSERT INTO ontology_term SELECT * FROM ontology_term_stage
		ON CONFLICT (curie) DO UPDATE SET code = excluded.code, label = excluded.label, synonyms = excluded.synonyms,
			parents = excluded.parents, status = excluded.status, replaced_by = excluded.replaced_by`); err != nil {
		return translate(err, "save ontology terms")
	}
	if _, err := tx.Exec(ctx, `UPDATE ontology_term t SET status = 'obsolete' WHERE t.system = $1 AND t.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM ontology_term_stage s WHERE s.curie = t.curie)`, sys.Name); err != nil {
		return translate(err, "save ontology terms")
	}
	edges := reg.Closure(system)
	closure := make([][]any, len(edges))
	for i, e := range edges {
		closure[i] = []any{e.Ancestor, e.Descendant, e.Depth}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM ontology_closure c USING ontology_term t WHERE t.curie = c.descendant AND t.system = $1`, sys.Name); err != nil {
		return translate(err, "save ontology closure")
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ontology_closure"}, []string{"ancestor", "descendant", "depth"}, pgx.CopyFromRows(closure)); err != nil {
		return translate(err, "save ontology closure")
	}
	// Announce the release to every server; PostgreSQL delivers the
	// notification when (and only if) the transaction commits.
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", OntologyChannel, sys.Name); err != nil {
		return translate(err, "announce ontology "+sys.Name)
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// syncBuiltinOntologies persists the built-in vocabularies; migrations
// call it so that every database has them.
func syncBuiltinOntologies(ctx context.Context, conn *pgx.Conn) error {
	reg := ontology.Builtin()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: sync ontologies: %w", err)
	}
	defer tx.Rollback(ctx)
	var loaded map[string]bool
	rows, err := tx.Query(ctx, "SELECT name FROM ontology_system WHERE NOT builtin")
	if err != nil {
		return translate(err, "sync ontologies")
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return translate(err, "sync ontologies")
	}
	loaded = map[string]bool{}
	for _, n := range names {
		loaded[n] = true
	}
	for _, sys := range reg.Systems() {
		if loaded[sys.Name] {
			continue // an operator's release replaced the built-in table
		}
		if err := saveOntology(ctx, tx, reg, sys.Name, true, "databank"); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// LoadedOntologies returns the systems operators loaded (not built in),
// with their terms, so that a starting server validates against them.
func (s *Store) LoadedOntologies(ctx context.Context) (map[ontology.System][]ontology.Term, error) {
	rows, err := s.pool.Query(ctx, `SELECT y.name, y.title, y.source, y.version, t.code, t.curie, t.label, t.synonyms, t.parents, t.status, coalesce(t.replaced_by, '')
		FROM ontology_system y JOIN ontology_term t ON t.system = y.name WHERE NOT y.builtin ORDER BY y.name, t.curie`)
	if err != nil {
		return nil, translate(err, "loaded ontologies")
	}
	defer rows.Close()
	out := map[ontology.System][]ontology.Term{}
	for rows.Next() {
		var sys ontology.System
		var t ontology.Term
		var status string
		if err := rows.Scan(&sys.Name, &sys.Title, &sys.Source, &sys.Version, &t.Code, &t.CURIE, &t.Label, &t.Synonyms, &t.Parents, &status, &t.ReplacedBy); err != nil {
			return nil, translate(err, "loaded ontologies")
		}
		sys.Prefix = sys.Name
		t.System, t.Status = sys.Name, ontology.Status(status)
		out[sys] = append(out[sys], t)
	}
	return out, translate(rows.Err(), "loaded ontologies")
}
