package lifecycle

import (
	"strings"

	"github.com/pgml-go/pgml/sqlname"
)

// relation is a table or view resolved like regclass: through search_path, quoting respected.
// Its names come from the catalog, so SQL built from them never contains user text.
type relation struct {
	oid     int64
	schema  string
	name    string
	columns []column
}

type column struct {
	name     string
	typeName string
	// computedFrom are the columns a generated column (GENERATED ALWAYS AS ... STORED) is
	// computed from: such a column is its sources under another name (splitColumns).
	computedFrom []string
}

func (r *relation) qualifiedName() string {
	return quoteIdent(r.schema) + "." + quoteIdent(r.name)
}

func (r *relation) column(name string) (column, bool) {
	for _, c := range r.columns {
		if c.name == name {
			return c, true
		}
	}
	return column{}, false
}

// resolveRelation looks a user-supplied name up with regclass semantics (to_regclass), as the
// caller: through its search_path, with its USAGE on schemas.
func (sess *Session) resolveRelation(name string) (*relation, error) {
	if strings.TrimSpace(name) == "" {
		return nil, Errorf(StateInvalidParameter, "relation_name must not be empty")
	}
	if _, err := sqlname.ParseQualified(name); err != nil {
		return nil, WithHint(Errorf(StateInvalidName, "relation_name %q is not a valid table name: %v", name, err),
			`Quote names that have capitals, spaces or punctuation, e.g. '"My Table"' or 'my_schema."My Table"'.`)
	}
	rows, err := sess.queryAsCaller(`SELECT c.oid, n.nspname, c.relname
		FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = pg_catalog.to_regclass($1)`, name)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, WithHint(Errorf(StateUndefinedTable, "relation \"%s\" does not exist", name),
			"Unqualified names are looked up through search_path; quote names that have capitals or spaces.")
	}
	rel := &relation{oid: rows[0].Int64(0), schema: rows[0].Str(1), name: rows[0].Str(2)}
	// A generated column's expression (pg_attrdef) depends on the columns it reads, and on the
	// generated column itself (skipped).
	cols, err := sess.queryAsCaller(`SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
		ARRAY(SELECT s.attname FROM pg_catalog.pg_attrdef ad
			JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND d.objid = ad.oid
			JOIN pg_catalog.pg_attribute s ON s.attrelid = d.refobjid AND s.attnum = d.refobjsubid
			WHERE a.attgenerated <> '' AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = a.attrelid
			AND d.refobjsubid <> a.attnum ORDER BY s.attnum)
		FROM pg_catalog.pg_attribute a
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, rel.oid)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		rel.columns = append(rel.columns, column{name: c.Str(0), typeName: c.Str(1), computedFrom: parseTextArray(c.Str(2))})
	}
	return rel, nil
}

// splitColumns separates label columns (in the order given) from features (in table order).
// A generated column computed from a label, and the columns a generated label is computed
// from, are not features: they are the label under another name (pgml.linnerud's waist is
// waste, so that 1.0's and 2.x's spellings both train without leaking the label).
func (r *relation) splitColumns(labels []string) (features, targets []column, err error) {
	for _, name := range labels {
		c, ok := r.column(name)
		if !ok {
			return nil, nil, Errorf(StateUndefinedColumn, "Column `%s` not found. Did you pass the correct `y_column_name`?", name)
		}
		if strings.HasSuffix(c.typeName, "[]") {
			return nil, nil, Errorf(StateInvalidParameter, "label column `%s` is an array (%s); labels must be scalar", name, c.typeName)
		}
		targets = append(targets, c)
	}
	isLabel := map[string]bool{}
	for _, name := range labels {
		if isLabel[name] {
			return nil, nil, Errorf(StateInvalidParameter, "label column `%s` is listed twice", name)
		}
		isLabel[name] = true
	}
	labelSources := map[string]bool{}
	for _, t := range targets {
		for _, source := range t.computedFrom {
			labelSources[source] = true
		}
	}
	for _, c := range r.columns {
		if !isLabel[c.name] && !labelSources[c.name] && !computedFromAny(c, isLabel) {
			features = append(features, c)
		}
	}
	if len(features) == 0 {
		return nil, nil, Errorf(StateInvalidParameter, "relation %s has no feature columns besides the label", r.qualifiedName())
	}
	return features, targets, nil
}

func computedFromAny(c column, names map[string]bool) bool {
	for _, source := range c.computedFrom {
		if names[source] {
			return true
		}
	}
	return false
}
