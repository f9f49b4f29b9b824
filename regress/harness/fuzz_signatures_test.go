package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// fuzzFunc is one function or aggregate of schema pgml, as pg_proc describes it: the fuzz
// suite calls whatever the installed extension declares, so a new function is fuzzed without
// anyone listing it.
type fuzzFunc struct {
	name      string   // proname
	identity  string   // pg_get_function_identity_arguments: tells overloads apart in reports
	kind      string   // prokind: f (function), a (aggregate)
	retset    bool     // a set-returning function
	result    string   // pg_get_function_result
	argTypes  []string // input argument types, format_type spelling
	argNames  []string // input argument names, "" when unnamed
	nDefaults int      // the last nDefaults inputs have defaults
	variadic  bool
}

func (f *fuzzFunc) String() string { return "pgml." + f.name + "(" + f.identity + ")" }

func (f *fuzzFunc) isAggregate() bool { return f.kind == "a" }

func (f *fuzzFunc) isTrigger() bool { return f.result == "trigger" }

// argIndex is the position of the input named name, or -1.
func (f *fuzzFunc) argIndex(name string) int {
	for i, n := range f.argNames {
		if n == name {
			return i
		}
	}
	return -1
}

// hasDefault reports whether input i may be omitted.
func (f *fuzzFunc) hasDefault(i int) bool { return i >= len(f.argTypes)-f.nDefaults }

// loadFuzzFuncs reads every function and aggregate of schema pgml, in a stable order (by name
// and argument types, not by oid, so that a seed replays the same cases on another install).
func loadFuzzFuncs(ctx context.Context, conn *pgx.Conn) ([]*fuzzFunc, error) {
	rows, err := conn.Query(ctx, `
		SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind::text, p.proretset,
		       pg_get_function_result(p.oid),
		       ARRAY(SELECT format_type(t.oid, NULL) FROM unnest(p.proargtypes) WITH ORDINALITY AS a(oid, n)
		             JOIN pg_type t ON t.oid = a.oid ORDER BY a.n),
		       coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}'),
		       p.pronargdefaults, p.provariadic <> 0
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = 'pgml'
		ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)`)
	if err != nil {
		return nil, err
	}
	var funcs []*fuzzFunc
	for rows.Next() {
		f := &fuzzFunc{}
		var allNames, modes []string
		var nDefaults int16
		if err := rows.Scan(&f.name, &f.identity, &f.kind, &f.retset, &f.result, &f.argTypes,
			&allNames, &modes, &nDefaults, &f.variadic); err != nil {
			rows.Close()
			return nil, err
		}
		f.nDefaults = int(nDefaults)
		// proargnames covers OUT and TABLE columns too when proargmodes is set.
		for i, name := range allNames {
			if len(modes) == 0 || modes[i] == "i" || modes[i] == "b" || modes[i] == "v" {
				f.argNames = append(f.argNames, name)
			}
		}
		for len(f.argNames) < len(f.argTypes) {
			f.argNames = append(f.argNames, "")
		}
		funcs = append(funcs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(funcs) == 0 {
		return nil, fmt.Errorf("schema pgml has no functions: is the extension installed?")
	}
	return funcs, nil
}

// fuzzArg is one argument of a generated call: a SQL expression, and what the generator knows
// about it (for result checks and for matching known bugs).
type fuzzArg struct {
	sql   string // the expression, already cast to the parameter's type
	label string // a short description for the failure table
	null  bool
	omit  bool // left to its default
	value any  // the Go value when the generator chose it: string, float64, []float64, []string, map[string]any, bool
}

// Call forms: how a generated call is written.
const (
	formSelect     = "select"      // SELECT pgml.f(...)
	formFrom       = "from"        // SELECT * FROM pgml.f(...), for set-returning functions
	formAggregate  = "aggregate"   // SELECT pgml.agg(v) FROM (VALUES ...) AS r(v)
	formWindow     = "window"      // the same as a window aggregate over growing frames
	formAggTable   = "aggtable"    // the aggregate over a fixture table, parallel plans allowed
	formAggGrouped = "aggregateby" // grouped: one state per group
)

// fuzzCase is one generated call.
type fuzzCase struct {
	index   int
	fn      *fuzzFunc
	args    []fuzzArg
	named   bool      // name => value notation (and defaults omitted)
	form    string    // one of the forms above
	rows    []fuzzArg // aggregate input rows
	table   string    // formAggTable: the fixture table, with a WHERE clause if any
	column  string    // formAggTable: the aggregated column
	purpose string    // why it was generated: "NULL at 3", "algorithm × task", "random"
}

// sql renders the call as one statement that can be pasted into psql.
func (c *fuzzCase) sql() string {
	fn := "pgml." + quoteIdentifier(c.fn.name)
	switch c.form {
	case formAggregate, formAggGrouped:
		if len(c.rows) == 0 && c.form == formAggGrouped {
			return "SELECT " + fn + "(v) FROM (SELECT 0 AS g, NULL::" + c.fn.argTypes[0] + " AS v WHERE false) AS r GROUP BY g"
		}
		if len(c.rows) == 0 {
			return "SELECT " + fn + "(v) FROM (SELECT NULL::" + c.fn.argTypes[0] + " AS v WHERE false) AS r"
		}
		var values []string
		for i, r := range c.rows {
			values = append(values, fmt.Sprintf("(%d, %s)", i%2, r.sql))
		}
		group := ""
		if c.form == formAggGrouped {
			group = " GROUP BY g ORDER BY g"
		}
		return "SELECT " + fn + "(v) FROM (VALUES " + strings.Join(values, ", ") + ") AS r(g, v)" + group
	case formWindow:
		if len(c.rows) == 0 {
			return "SELECT " + fn + "(v) OVER () FROM (SELECT NULL::" + c.fn.argTypes[0] + " AS v WHERE false) AS r"
		}
		var values []string
		for i, r := range c.rows {
			values = append(values, fmt.Sprintf("(%d, %s)", i, r.sql))
		}
		return "SELECT " + fn + "(v) OVER (ORDER BY n) FROM (VALUES " + strings.Join(values, ", ") + ") AS r(n, v) ORDER BY n"
	case formAggTable:
		return "SELECT " + fn + "(" + c.column + ") FROM " + c.table
	}
	var parts []string
	for i, a := range c.args {
		if a.omit {
			continue
		}
		if c.named && c.fn.argNames[i] != "" {
			// Always quoted: some names ("limit", "row") are reserved words.
			parts = append(parts, `"`+c.fn.argNames[i]+`" => `+a.sql)
		} else {
			parts = append(parts, a.sql)
		}
	}
	call := fn + "(" + strings.Join(parts, ", ") + ")"
	if c.form == formFrom {
		return "SELECT * FROM " + call
	}
	return "SELECT " + call
}

// arg is the argument named name, or a zero fuzzArg (omitted) when the function has none.
func (c *fuzzCase) arg(name string) fuzzArg {
	if i := c.fn.argIndex(name); i >= 0 && i < len(c.args) {
		return c.args[i]
	}
	return fuzzArg{omit: true}
}

// text is the Go string of argument name when the generator chose a literal one.
func (c *fuzzCase) text(name string) (string, bool) {
	a := c.arg(name)
	s, ok := a.value.(string)
	return s, ok && !a.null && !a.omit
}

// argsLabel describes the arguments for the failure table.
func (c *fuzzCase) argsLabel() string {
	var parts []string
	if c.form == formAggregate || c.form == formWindow || c.form == formAggGrouped {
		for _, r := range c.rows {
			parts = append(parts, r.label)
		}
		return c.form + " over rows " + strings.Join(parts, ", ")
	}
	if c.form == formAggTable {
		return "over " + c.table
	}
	for i, a := range c.args {
		if a.omit {
			continue
		}
		name := c.fn.argNames[i]
		if name == "" {
			name = fmt.Sprintf("$%d", i+1)
		}
		parts = append(parts, name+"="+a.label)
	}
	return strings.Join(parts, ", ")
}

func quoteIdentifier(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_')
	}) < 0 && !(s[0] >= '0' && s[0] <= '9') {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLiteral writes s as a SQL string literal (standard_conforming_strings is on).
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
