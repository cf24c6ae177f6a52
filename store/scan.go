package store

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// collectRows reads every row of rows into R, matching columns to R's
// fields by their db tags as pgx.RowToStructByName does (embedded structs
// included), and returns conv of each, in order. Unlike pgx.CollectRows
// with RowToStructByName, it finds the fields once per query rather than
// once per row, scans every row into one R, and grows the answer in
// blocks copied once at the end: on a page of a thousand samples the
// per-row field lookup and the re-copying of a growing slice of large
// structs were a quarter of the process's CPU.
func collectRows[R any, T any](rows pgx.Rows, conv func(R) T) ([]T, error) {
	defer rows.Close()
	var r R
	targets, err := scanTargets(&r, rows.FieldDescriptions())
	if err != nil {
		return nil, err
	}
	const block = 256
	var full [][]T
	cur := make([]T, 0, block)
	n := 0
	for rows.Next() {
		var zero R
		r = zero // pointer and slice fields get fresh values on every row
		if err := rows.Scan(targets...); err != nil {
			return nil, err
		}
		if len(cur) == block {
			full = append(full, cur)
			cur = make([]T, 0, block)
		}
		cur = append(cur, conv(r))
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(full) == 0 {
		return cur, nil
	}
	out := make([]T, 0, n)
	for _, b := range full {
		out = append(out, b...)
	}
	return append(out, cur...), nil
}

// fieldPaths caches, per struct type, the index path of each field by its
// column name.
var fieldPaths sync.Map // reflect.Type → map[string][]int

// scanTargets returns pointers into *dst for the columns fields, in their
// order; a column without a field, a field without a column and a column
// named twice are errors, as with pgx.RowToStructByName.
func scanTargets(dst any, fields []pgconn.FieldDescription) ([]any, error) {
	v := reflect.ValueOf(dst).Elem()
	paths := columnPaths(v.Type())
	targets := make([]any, len(fields))
	used := make(map[string]bool, len(fields))
	for i, f := range fields {
		name := strings.ToLower(f.Name)
		p, ok := paths[name]
		if !ok {
			return nil, fmt.Errorf("store: column %q has no field in %s", f.Name, v.Type())
		}
		if used[name] {
			return nil, fmt.Errorf("store: column %q appears twice", f.Name)
		}
		used[name] = true
		targets[i] = v.FieldByIndex(p).Addr().Interface()
	}
	if len(used) < len(paths) { // as pgx: every field is read, none left zero by mistake
		for name := range paths {
			if !used[name] {
				return nil, fmt.Errorf("store: field %q of %s has no column", name, v.Type())
			}
		}
	}
	return targets, nil
}

// columnPaths maps the column names of struct type t (db tags, or the
// lower-cased field name; "-" skips a field) to their index paths.
func columnPaths(t reflect.Type) map[string][]int {
	if m, ok := fieldPaths.Load(t); ok {
		return m.(map[string][]int)
	}
	m := map[string][]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			path := append(append([]int(nil), prefix...), i)
			tag, hasTag := f.Tag.Lookup("db")
			if f.Anonymous && f.Type.Kind() == reflect.Struct && !hasTag {
				walk(f.Type, path)
				continue
			}
			if tag == "-" || !f.IsExported() && !f.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(tag, ",") // options, as pgx allows them
			if name == "" {
				name = f.Name
			}
			if _, dup := m[strings.ToLower(name)]; !dup {
				m[strings.ToLower(name)] = path
			}
		}
	}
	walk(t, nil)
	fieldPaths.Store(t, m)
	return m
}

// keyed is a value with the key it is grouped by.
type keyed[T any] struct {
	key   string
	value T
}
