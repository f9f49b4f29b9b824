package lifecycle

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Text columns are categorical (PostgresML 2.x): each distinct value gets a code. pgml sorts
// the values (collation "C", so the codes do not depend on the database's locale) instead of
// numbering them in order of first appearance, so the same data always gives the same codes.
//   - a feature's code is the 1-based position of its value; NULL is 0 (PostgresML's __NULL__);
//     a value never seen in training becomes NaN, which preprocessing then imputes.
//   - a label's code is the 0-based position of its value: the class index that predict returns.

// maxCategories bounds the codes of one column: a text column with more distinct values is an
// identifier or free text, not a category, and the mapping would not fit in memory.
const maxCategories = 100000

func isCategorical(typeName string) bool {
	return typeName == "text" || strings.HasPrefix(typeName, "character")
}

// checkColumnType rejects the types pgml cannot turn into numbers, before any row is read.
func checkColumnType(c column) error {
	base := strings.TrimSuffix(c.typeName, "[]")
	switch {
	case isCategorical(c.typeName):
		return nil
	case base != c.typeName && isCategorical(base):
		return Errorf(StateDatatypeMismatch, "Unhandled type for categorical variable: column %q is %s; arrays of text are not supported", c.name, c.typeName)
	}
	switch base {
	case "boolean", "smallint", "integer", "bigint", "real", "double precision", "numeric":
		return nil
	}
	if strings.HasPrefix(base, "numeric(") {
		return nil
	}
	return WithHint(Errorf(StateDatatypeMismatch, "Unhandled type for quantitative column: column %q is %s", c.name, c.typeName),
		"Features and labels must be boolean, integer, floating point, numeric (or arrays of those), or text (categories). Cast the column in a view.")
}

// readCategories returns the sorted distinct non-NULL values of a text column.
func (sess *Session) readCategories(from string, c column) ([]string, error) {
	rows, err := sess.queryAsCaller(`SELECT count(*), coalesce(jsonb_agg(v ORDER BY v COLLATE "C"), '[]')
		FROM (SELECT DISTINCT ` + quoteIdent(c.name) + `::text AS v FROM ` + from + ` WHERE ` + quoteIdent(c.name) + ` IS NOT NULL) d`)
	if err != nil {
		return nil, err
	}
	if n := rows[0].Int64(0); n > maxCategories {
		return nil, WithHint(Errorf(StateProgramLimitExceeded, "column %q has %d distinct values; pgml encodes at most %d categories per text column", c.name, n, maxCategories),
			"Leave identifiers and free text out of the relation, e.g. with a view.")
	}
	var values []string
	if err := json.Unmarshal([]byte(rows[0].Str(1)), &values); err != nil {
		return nil, fmt.Errorf("pgml: reading the categories of %q: %w", c.name, err)
	}
	return values, nil
}

// codeExpression is the SQL that reads a text column as its code: a JSON object maps each
// value to its code, and NULL maps to nullCode (a NULL SQL value when nullCode is empty).
func (sess *Session) codeExpression(c column, values []string, firstCode int, nullCode string) (string, error) {
	codes := make(map[string]int, len(values))
	for i, v := range values {
		codes[v] = firstCode + i
	}
	mapping, err := json.Marshal(codes)
	if err != nil {
		return "", err
	}
	// The server quotes the literal itself, so the mapping is safe whatever the values hold
	// and whatever standard_conforming_strings says.
	rows, err := sess.queryAsCaller(`SELECT pg_catalog.quote_literal($1::text)`, string(mapping))
	if err != nil {
		return "", err
	}
	if nullCode == "" {
		nullCode = "NULL"
	}
	name := quoteIdent(c.name)
	return "CASE WHEN " + name + " IS NULL THEN " + nullCode + "::float8 ELSE (" + rows[0].Str(0) + "::jsonb ->> " + name + "::text)::float8 END", nil
}
