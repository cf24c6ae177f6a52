package store

import (
	"fmt"
	"slices"
	"strings"

	"databank/domain"
)

// An importKind describes, once, how the rows of one import kind are
// staged, resolved and written: its fields (one entry per column), its
// duplicate keys, and the hooks for what is genuinely its own (consent
// supersede links, sample withdrawn totals, file links). Everything else
// is derived from the fields: the staging table and its COPY values, the
// positions of the duplicate keys, the resolve statement with its
// IS DISTINCT FROM change test, and the merge's UPDATE and INSERT. The
// kinds themselves are in import_kinds.go.
type importKind struct {
	kind  domain.ImportKind
	name  string // imp_<name> is the staging table, res_<name> the resolved one
	table string // the records' table
	// has reports whether the row names its record well enough to be
	// staged; rows without a key are only reported.
	has    func(r *domain.ImportRow) bool
	fields []field
	dups   []dupKey
	// match joins the record t to the resolved row x, when the key fields
	// do not identify it.
	match string
	// derived are columns the resolve statement computes from the staged
	// row s and the references' joins (see ref).
	derived []named
	// joins are more joins of the resolve statement, after the references'.
	joins string
	// recorded are columns the resolve statement keeps from the record t
	// (old values the checks compare).
	recorded []named
	// after are statements of the resolve step that run once the resolved
	// table exists.
	after []string
	// updateFrom and insertFrom join more tables to the resolved rows r in
	// the merge's UPDATE and INSERT; updateSet and insertCols are the
	// columns they write besides the fields.
	updateFrom, insertFrom string
	updateSet, insertCols  []named
	// merged runs after the kind's rows are written.
	merged mergeHook
	// checks are more checks of the resolved rows r, run with the
	// references' (refCheckSQL), with checkArgs as $1...
	checks    []rowCheck
	checkArgs []any
}

// rowCheck is an error a resolved row may have: when failed, the column
// of the file, the value and the message.
type rowCheck struct{ failed, column, value, msg string }

// named is an SQL expression and the column it gives or sets.
type named struct{ name, expr string }

// role is what a field is to the record.
type role uint8

const (
	// carried fields are staged and kept for the checks and hooks, never
	// written to the record.
	carried role = iota
	// key fields identify the record (they match it in the database); they
	// are written when the record is new.
	key
	// attr fields are written when the record is new and compared and
	// updated when it exists.
	attr
	// insertOnly fields are written when the record is new and never
	// updated: a check refuses a change, comparing the recorded value,
	// which the resolved row keeps as old_<column>.
	insertOnly
)

// field is one column of an import kind.
type field struct {
	// name is the staging column, and the record's column unless ref
	// names another.
	name string
	typ  string // SQL type in the staging table
	role role
	// value is the row's value for COPY.
	value func(r *domain.ImportRow) any
	// conv, when set, turns the staged s.<name> into the record's type.
	conv string
	// ref resolves the external id staged in the field into ref.column.
	ref *ref
	// unset, when set, lets an empty (NULL) value keep the recorded one,
	// and is the SQL default of a new record.
	unset string
}

// ref is a reference by external id, resolved against the database and
// the rows of the import (a row may name one later in the same file).
type ref struct {
	column string // the resolved id, e.g. donor_id
	table  string // the records referred to; "biobank" is resolved through imp_bbk
	// staged holds the import's rows referred to, with their final ids
	// in stagedID (default res_<table> and id).
	staged, stagedID string
	// scoped: external ids are unique within a biobank.
	scoped bool
	// optional: a row may name none (a biobank join is then a LEFT JOIN).
	optional bool
	// what the reference names, and the file's column, for the error
	// of a reference to nothing
	what, header string
}

// dupKey is a key no two rows of the import may share.
type dupKey struct {
	cols []string
	// nonNull: rows whose key is NULL take no part (else NULLs are
	// equal, as in GROUP BY)
	nonNull bool
	column  string // column named in the message
	value   string // expression shown as the value
	what    string // what the key identifies
}

// Aliases of a reference's joins in the resolve statement: the biobank
// is b; any other reference f is f_db in the database and f_imp among
// the import's rows.
const bbkAlias = "b"

func dbAlias(f *field) string  { return f.name + "_db" }
func impAlias(f *field) string { return f.name + "_imp" }

func (k *importKind) stage() string    { return "imp_" + k.name }
func (k *importKind) resolved() string { return "res_" + k.name }

// column is the record's column of f.
func (f *field) column() string {
	if f.ref != nil {
		return f.ref.column
	}
	return f.name
}

// isBiobank reports whether f names the row's biobank.
func (f *field) isBiobank() bool { return f.ref != nil && f.ref.table == "biobank" }

// commonColumns start every staging table: the index of the source file,
// the line, whether the row passed its own validation, and the id the
// row gets if it is new.
var commonColumns = []field{
	{name: "src", typ: "smallint NOT NULL"}, {name: "line", typ: "integer NOT NULL"},
	{name: "ok", typ: "boolean NOT NULL"}, {name: "new_id", typ: "uuid NOT NULL"},
}

// stageDDL creates the kind's staging table.
func (k *importKind) stageDDL() string {
	var cols []string
	for _, f := range slices.Concat(commonColumns, k.fields) {
		cols = append(cols, f.name+" "+f.typ)
	}
	return unloggedPrefix + k.stage() + " (" + strings.Join(cols, ", ") + ")"
}

// copySQL copies rows into the staging table.
func (k *importKind) copySQL() string {
	var names []string
	for _, f := range slices.Concat(commonColumns, k.fields) {
		names = append(names, f.name)
	}
	return "COPY " + k.stage() + " (" + strings.Join(names, ", ") + ") FROM STDIN (FORMAT binary)"
}

// values appends the row's values of the fields (after the common ones).
func (k *importKind) values(vals []any, r *domain.ImportRow) []any {
	for i := range k.fields {
		vals = append(vals, k.fields[i].value(r))
	}
	return vals
}

// position returns the position of the named field among the staging
// table's columns.
func (k *importKind) position(name string) int {
	for i := range k.fields {
		if k.fields[i].name == name {
			return len(commonColumns) + i
		}
	}
	panic("store: import kind " + k.name + " has no field " + name)
}

// taken is the value the record t takes from the field of the resolve
// statement's row x: the resolved id of a reference, the staged value,
// or for an unset field left empty the recorded one.
func (f *field) taken() string {
	if f.ref != nil {
		return "x." + f.ref.column
	}
	if f.unset != "" {
		return fmt.Sprintf("coalesce(x.%[1]s, t.%[1]s, %[2]s)", f.name, f.unset)
	}
	return "x." + f.name
}

// distinct is the SQL test that the record t differs from the resolved
// row r in a field an existing record takes.
func (k *importKind) distinct() string {
	var recs, rows []string
	for i := range k.fields {
		if f := &k.fields[i]; f.role == attr {
			recs, rows = append(recs, "t."+f.column()), append(rows, "r."+f.column())
		}
	}
	return "(" + strings.Join(recs, ", ") + ") IS DISTINCT FROM (" + strings.Join(rows, ", ") + ")"
}

// resolveSQL creates the resolved table: the staged rows s with their
// references resolved and the derived columns (in x), joined to the
// record t they would update, with the row's final id, is_new, and
// changed (the record differs from the row).
func (k *importKind) resolveSQL() string {
	inner := []string{"s.src", "s.line", "s.ok", "s.new_id"}
	outer := []string{"x.src", "x.line", "x.ok"}
	var joins, match []string
	for i := range k.fields {
		f := &k.fields[i]
		switch {
		case f.conv != "":
			inner = append(inner, f.conv+" AS "+f.name)
		default:
			inner = append(inner, "s."+f.name)
		}
		if f.ref != nil {
			inner = append(inner, k.resolveRef(f, &joins)+" AS "+f.ref.column)
			outer = append(outer, "x."+f.name, "x."+f.ref.column)
		} else {
			outer = append(outer, f.taken()+" AS "+f.name)
		}
		if f.role == key {
			match = append(match, "t."+f.column()+" = x."+f.column())
		}
	}
	for _, d := range k.derived {
		inner = append(inner, d.expr+" AS "+d.name)
		outer = append(outer, "x."+d.name)
	}
	outer = append(outer, "coalesce(t.id, x.new_id) AS id", "t.id IS NULL AS is_new")
	for i := range k.fields {
		if f := &k.fields[i]; f.role == insertOnly {
			outer = append(outer, "t."+f.column()+" AS old_"+f.column())
		}
	}
	for _, r := range k.recorded {
		outer = append(outer, r.expr+" AS "+r.name)
	}
	var recs, rows []string
	for i := range k.fields {
		if f := &k.fields[i]; f.role == attr {
			recs, rows = append(recs, "t."+f.column()), append(rows, f.taken())
		}
	}
	outer = append(outer, "t.id IS NOT NULL AND ("+strings.Join(recs, ", ")+") IS DISTINCT FROM ("+strings.Join(rows, ", ")+") AS changed")
	on := k.match
	if on == "" {
		on = strings.Join(match, " AND ")
	}
	if k.joins != "" {
		joins = append(joins, k.joins)
	}
	return unloggedPrefix + k.resolved() + " AS\nSELECT " + strings.Join(outer, ", ") +
		"\n  FROM (SELECT " + strings.Join(inner, ", ") + "\n          FROM " + strings.Join(append([]string{k.stage() + " s"}, joins...), "\n          ") +
		") x\n  LEFT JOIN " + k.table + " t ON " + on
}

// resolveRef adds the joins resolving f to joins and returns the
// resolved id.
func (k *importKind) resolveRef(f *field, joins *[]string) string {
	r := f.ref
	if f.isBiobank() {
		join := "JOIN"
		if r.optional {
			join = "LEFT JOIN"
		}
		*joins = append(*joins, fmt.Sprintf("%[1]s imp_bbk %[2]s ON %[2]s.code = s.%[3]s", join, bbkAlias, f.name))
		return bbkAlias + ".id"
	}
	staged, id := r.staged, r.stagedID
	if staged == "" {
		staged = "res_" + r.table
	}
	if id == "" {
		id = "id"
	}
	db, imp := dbAlias(f), impAlias(f)
	impScope, dbScope := "", ""
	if r.scoped {
		impScope = imp + ".biobank = s.biobank AND "
		dbScope = db + ".biobank_id = " + bbkAlias + ".id AND "
	}
	*joins = append(*joins,
		fmt.Sprintf("LEFT JOIN %[1]s %[2]s ON %[3]s%[2]s.external_id = s.%[4]s", staged, imp, impScope, f.name),
		fmt.Sprintf("LEFT JOIN %[1]s %[2]s ON %[3]s%[2]s.external_id = s.%[4]s", r.table, db, dbScope, f.name))
	return fmt.Sprintf("coalesce(%s.id, %s.%s)", db, imp, id)
}

// updateSQL updates the changed records from their resolved rows r ($1
// is the actor); it repeats the change test, so that a record changed
// meanwhile to the same values is left alone.
func (k *importKind) updateSQL() string {
	var sets []string
	for i := range k.fields {
		if f := &k.fields[i]; f.role == attr {
			sets = append(sets, f.column()+" = r."+f.column())
		}
	}
	for _, s := range k.updateSet {
		sets = append(sets, s.name+" = "+s.expr)
	}
	sets = append(sets, "updated_by = $1", "updated_at = now()")
	return "UPDATE " + k.table + " t SET " + strings.Join(sets, ", ") +
		"\n  FROM " + strings.TrimSpace(k.resolved()+" r "+k.updateFrom) +
		"\n WHERE r.changed AND t.id = r.id AND " + k.distinct()
}

// insertSQL inserts the new records from their resolved rows r ($1 is
// the actor), in the order of the files' lines: resolving references
// joins rows in hash order, and a registry file lists a donor's samples
// together, so that written in line order they share the table's pages
// (a donor's samples, a sample's lineage, are read together), as a plain
// COPY of the file would have them.
func (k *importKind) insertSQL() string {
	cols, vals := []string{"id"}, []string{"r.id"}
	for i := range k.fields {
		if f := &k.fields[i]; f.role != carried {
			cols, vals = append(cols, f.column()), append(vals, "r."+f.column())
		}
	}
	for _, c := range k.insertCols {
		cols, vals = append(cols, c.name), append(vals, c.expr)
	}
	cols, vals = append(cols, "created_by", "updated_by"), append(vals, "$1", "$1")
	return "INSERT INTO " + k.table + " (" + strings.Join(cols, ", ") + ")\nSELECT " + strings.Join(vals, ", ") +
		"\n  FROM " + strings.TrimSpace(k.resolved()+" r "+k.insertFrom) + "\n WHERE r.is_new\n ORDER BY r.src, r.line"
}

// kindOf returns the description of kind.
func kindOf(kind domain.ImportKind) (*importKind, error) {
	for _, k := range importKinds {
		if k.kind == kind {
			return k, nil
		}
	}
	return nil, fmt.Errorf("store: import: unknown kind %q", kind)
}

// refCheckSQL finds the resolved rows whose references name nothing in
// Databank or in the import, and fail the kind's own checks, in one pass
// over them (a million samples are read once); "" when there is nothing
// to check. A reference within a biobank is only checked when the
// biobank is known (an unknown biobank is reported instead).
func (k *importKind) refCheckSQL() string {
	checks := []rowCheck{}
	for i := range k.fields {
		f := &k.fields[i]
		if f.ref == nil {
			continue
		}
		c := rowCheck{failed: "r." + f.ref.column + " IS NULL AND r." + f.name + " IS NOT NULL", column: "'" + f.ref.header + "'",
			value: "r." + f.name, msg: "'unknown " + f.ref.what + ": not in Databank and not in this import'"}
		if f.ref.scoped {
			c.failed += " AND r.biobank_id IS NOT NULL"
			c.msg = "format('unknown " + f.ref.what + " of biobank %s: not in Databank and not in this import', r.biobank)"
		}
		checks = append(checks, c)
	}
	checks = append(checks, k.checks...)
	if len(checks) == 0 {
		return ""
	}
	values, failed := make([]string, len(checks)), make([]string, len(checks))
	for i, c := range checks {
		values[i] = "(" + c.failed + ", " + c.column + ", " + c.value + ", " + c.msg + ")"
		failed[i] = "(" + c.failed + ")"
	}
	return "SELECT r.src, r.line, e.col, e.value, e.msg FROM " + k.resolved() + " r CROSS JOIN LATERAL (VALUES\n\t" +
		strings.Join(values, ",\n\t") + "\n) AS e (failed, col, value, msg)\n WHERE (" + strings.Join(failed, " OR ") + ") AND e.failed"
}
