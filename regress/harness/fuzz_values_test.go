package harness

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// fuzzGen draws argument values. Every value is a SQL expression that gives the same datum on
// every run (no random() on the server), so a seed replays exactly.
type fuzzGen struct {
	rng *rand.Rand
	fx  *fuzzFixture
}

// caseContext ties the arguments of one call together: the model a prediction uses, the
// relation a training reads, the common length of the arrays of a vector function.
type caseContext struct {
	model    *fuzzModel
	relation *fuzzRelation
	task     string
	length   int
	labels   int // distinct labels of metric arrays

	chosenAlgorithm string // the algorithm argument, once chosen, for its hyperparameter keys
}

func (g *fuzzGen) pick(n int) int { return g.rng.IntN(n) }

func (g *fuzzGen) chance(p float64) bool { return g.rng.Float64() < p }

func pickFrom[T any](g *fuzzGen, list []T) T { return list[g.rng.IntN(len(list))] }

// newContext chooses the shared parts of a call of fn.
func (g *fuzzGen) newContext(fn *fuzzFunc) *caseContext {
	cx := &caseContext{length: 1 + g.pick(8), labels: 2 + g.pick(3)}
	switch {
	case fn.argIndex("model_id") >= 0 || fn.argIndex("project_name") >= 0 && fn.argIndex("relation_name") < 0:
		m := pickFrom(g, g.fx.models)
		cx.model = &m
		cx.length = m.numFeatures
	}
	if fn.argIndex("relation_name") >= 0 {
		r := pickFrom(g, g.fx.relations)
		cx.relation = &r
		cx.task = pickFrom(g, g.fx.vocab.tasks)
	}
	return cx
}

// Value modes.
const (
	modeValid   = iota // what a careful user passes
	modeHostile        // what the fuzz suite is for
)

// value is an argument for input i of fn.
func (g *fuzzGen) value(cx *caseContext, fn *fuzzFunc, i int, mode int) fuzzArg {
	typ, name := fn.argTypes[i], fn.argNames[i]
	if typ == "record[]" {
		return g.rowArrayValue(cx, mode)
	}
	if strings.HasSuffix(typ, "[]") {
		return g.arrayValue(cx, fn, name, strings.TrimSuffix(typ, "[]"), mode)
	}
	switch typ {
	case "text":
		return g.textValue(cx, fn, name, mode)
	case "jsonb":
		return g.jsonValue(cx, name, mode)
	case "bigint":
		return g.bigintValue(cx, name, mode)
	case "real", "double precision", "numeric":
		return g.floatValue(cx, name, typ, mode)
	case "boolean":
		b := g.chance(0.5)
		return fuzzArg{sql: strconv.FormatBool(b), label: strconv.FormatBool(b), value: b}
	case "regclass":
		if mode == modeValid || g.chance(0.5) {
			r := pickFrom(g, g.fx.relations)
			return fuzzArg{sql: quoteLiteral(r.name) + "::regclass", label: r.name, value: r.name}
		}
		t := g.hostileText()
		t.sql += "::regclass"
		return t
	case "anyelement", "record":
		return g.rowValue(cx, mode)
	}
	return fuzzArg{sql: "NULL::" + typ, label: "NULL (no generator for " + typ + ")", null: true}
}

func nullArg(typ string) fuzzArg {
	if typ == "anyelement" {
		return fuzzArg{sql: "NULL::fuzz.cls", label: "NULL", null: true}
	}
	return fuzzArg{sql: "NULL::" + typ, label: "NULL", null: true}
}

// hostileTexts are names and words that break naive quoting, parsing and formatting.
var hostileTexts = []string{
	"", " ", "it's", `a"b`, "a.b", "a.b.c.d", " spaced name ", `"Quoted"."Name"`, `fuzz."We""ird.Table Name"`,
	"é∑😀", "\t\n\r", `back\slash`, "%s %d %v %n", "x'); DROP TABLE fuzz.reg; --", "pg_catalog.pg_class",
	"information_schema.tables", "pgml.models", "pgml.files", "FUZZ.REG", "null", "NULL", "-1", "1e400",
	"../../../../etc/passwd", "$1", "\\x00",
}

func textArg(s string) fuzzArg {
	label := strconv.Quote(s)
	if len(label) > 40 {
		label = label[:37] + "…\""
	}
	return fuzzArg{sql: quoteLiteral(s) + "::text", label: label, value: s}
}

func (g *fuzzGen) hostileText() fuzzArg {
	switch g.pick(8) {
	case 0:
		return fuzzArg{sql: "repeat('x', 10000)", label: "10,000 × 'x'", value: strings.Repeat("x", 10000)}
	case 1:
		return fuzzArg{sql: "repeat('é.\"'' ', 2500)", label: "10,000 chars of é.\"' ", value: strings.Repeat(`é."' `, 2500)}
	}
	return textArg(pickFrom(g, hostileTexts))
}

// variant is a near miss of a valid word: another case, padding, a prefix.
func (g *fuzzGen) variant(s string) fuzzArg {
	switch g.pick(4) {
	case 0:
		return textArg(strings.ToUpper(s))
	case 1:
		return textArg(" " + s)
	case 2:
		return textArg(s + "\x01")
	}
	return textArg(s[:len(s)/2])
}

func (g *fuzzGen) word(list []string, mode int) fuzzArg {
	if mode == modeHostile {
		if g.chance(0.4) && len(list) > 0 {
			return g.variant(pickFrom(g, list))
		}
		return g.hostileText()
	}
	return textArg(pickFrom(g, list))
}

func (g *fuzzGen) textValue(cx *caseContext, fn *fuzzFunc, name string, mode int) fuzzArg {
	v := &g.fx.vocab
	switch name {
	case "project_name":
		if mode == modeHostile {
			return g.hostileText()
		}
		if cx.model != nil && cx.relation == nil {
			return textArg(cx.model.project)
		}
		// A training: mostly a new project, sometimes a fixture one (whose task may differ).
		if g.chance(0.2) {
			return textArg(pickFrom(g, g.fx.models).project)
		}
		return textArg(fmt.Sprintf("fuzz %s %d", cx.task, g.pick(50)))
	case "task":
		if mode == modeValid && cx.task != "" {
			return textArg(cx.task)
		}
		return g.word(v.tasks, mode)
	case "relation_name":
		if mode == modeHostile {
			return g.hostileText()
		}
		return textArg(cx.relation.name)
	case "y_column_name":
		if mode == modeHostile {
			if g.chance(0.5) && cx.relation != nil {
				return textArg(pickFrom(g, cx.relation.columns)) // a feature as the label
			}
			return g.hostileText()
		}
		if cx.relation != nil {
			return textArg(cx.relation.labels[0])
		}
		return textArg("y")
	case "algorithm":
		// Mostly one the task has natively: training then goes past the argument checks.
		if native := v.nativeByTask[cx.task]; mode == modeValid && len(native) > 0 && g.chance(0.6) {
			return textArg(pickFrom(g, native))
		}
		return g.word(v.algorithms, mode)
	case "runtime":
		return g.word(v.runtimes, mode)
	case "test_sampling":
		return g.word(v.samplings, mode)
	case "search":
		return g.word(v.searches, mode)
	case "strategy":
		return g.word(v.strategies, mode)
	case "source":
		return g.word(v.datasets, mode)
	case "subset":
		return g.word([]string{"default"}, mode)
	case "path":
		// Only under the fuzz suite's own directory: dump_all writes where it is told.
		suffix := ""
		if mode == modeHostile {
			suffix = pickFrom(g, []string{"/missing/dir", "/it's", "/a b", "/../dump", "/" + strings.Repeat("x", 300)})
		}
		return textArg(g.fx.dumpDir + suffix)
	case "venv":
		return textArg(g.fx.dumpDir + pickFrom(g, []string{"/no-venv", "/", "/it's", "/" + strings.Repeat("v", 300)}))
	case "name":
		return g.word([]string{"numpy", "scikit-learn", "xgboost"}, mode)
	}
	if mode == modeHostile {
		return g.hostileText()
	}
	return textArg(pickFrom(g, []string{"hello", "pgml", "fuzz"}))
}

// JSON.

func jsonArg(text, label string) fuzzArg {
	if label == "" {
		label = text
		if len(label) > 60 {
			label = label[:57] + "…"
		}
	}
	return fuzzArg{sql: quoteLiteral(text) + "::jsonb", label: label, value: text}
}

// hostileJSON are whole documents of the wrong shape or beyond the usual ranges.
func (g *fuzzGen) hostileJSON() fuzzArg {
	switch g.pick(14) {
	case 0:
		return fuzzArg{sql: "(repeat('[', 10000) || repeat(']', 10000))::jsonb", label: "arrays nested 10,000 deep"}
	case 1:
		return fuzzArg{sql: `(repeat('{"a": ', 10000) || '1' || repeat('}', 10000))::jsonb`, label: "objects nested 10,000 deep"}
	case 2:
		return fuzzArg{sql: "jsonb_build_object('k', repeat('x', 1000000))", label: "a 1,000,000-char string"}
	case 3:
		return fuzzArg{sql: "(SELECT jsonb_object_agg('k' || g, g) FROM generate_series(1, 10000) g)", label: "10,000 keys"}
	}
	return jsonArg(pickFrom(g, []string{"null", "[]", `"text"`, "1e400", "-1", "true", `[{"a": 1}]`,
		`{"a": 1, "a": "duplicate"}`, `{"": 1}`, `{"a": {"b": {"c": [1, [2, [3]]]}}}`}), "")
}

// hostileNumbers are values a numeric setting should refuse or bound.
var hostileNumbers = []string{"0", "-1", "1", "0.5", "1e9", "1e6", "100000", "1e400", "-1e400", "1e-400",
	"9007199254740993", "2147483648", "-2147483649", `"12"`, `"fast"`, "true", "null", "[]", "{}", `{"a": 1}`, "[1, [2]]", "1.5e308"}

// resourceKeys are the settings the issue names as ways to exhaust the server; they are tried
// on every algorithm, native or python, besides the keys the native ones declare.
var resourceKeys = []string{"n_estimators", "max_depth", "n_clusters", "n_components", "nthread", "n_jobs", "max_iter", "n_init"}

func (g *fuzzGen) hyperparams(algorithm string, mode int) fuzzArg {
	if mode == modeValid {
		return jsonArg("{}", "")
	}
	if g.chance(0.15) {
		return g.hostileJSON()
	}
	keys := union(g.fx.vocab.hyperparams[algorithm], resourceKeys)
	if g.chance(0.2) {
		keys = g.fx.vocab.hyperKeys
	}
	n := 1 + g.pick(2)
	var parts []string
	for range n {
		parts = append(parts, strconv.Quote(pickFrom(g, keys))+": "+pickFrom(g, hostileNumbers))
	}
	return jsonArg("{"+strings.Join(parts, ", ")+"}", "")
}

func (g *fuzzGen) searchParams(algorithm string, mode int) fuzzArg {
	if mode == modeValid {
		return jsonArg("{}", "")
	}
	keys := union(g.fx.vocab.hyperparams[algorithm], resourceKeys)
	key := strconv.Quote(pickFrom(g, keys))
	switch g.pick(6) {
	case 0:
		return fuzzArg{sql: "jsonb_build_object(" + quoteLiteral(strings.Trim(key, `"`)) + ", (SELECT jsonb_agg(g) FROM generate_series(1, 100001) g))",
			label: key + ": 100,001 candidates"}
	case 1:
		return jsonArg("{"+key+": []}", "")
	case 2:
		return jsonArg("{"+key+": ["+pickFrom(g, hostileNumbers)+", "+pickFrom(g, hostileNumbers)+"]}", "")
	case 3:
		return g.hostileJSON()
	}
	return jsonArg("{"+key+": "+pickFrom(g, hostileNumbers)+"}", "")
}

func (g *fuzzGen) searchArgs(mode int) fuzzArg {
	if mode == modeValid {
		return jsonArg("{}", "")
	}
	keys := append(slices.Clone(g.fx.vocab.searchArgs), "random_state")
	return jsonArg("{"+strconv.Quote(pickFrom(g, keys))+": "+pickFrom(g, hostileNumbers)+"}", "")
}

func (g *fuzzGen) preprocess(cx *caseContext, mode int) fuzzArg {
	v := &g.fx.vocab
	if mode == modeValid && g.chance(0.7) {
		return jsonArg("{}", "")
	}
	column := "x1"
	if cx.relation != nil {
		column = pickFrom(g, cx.relation.columns)
	}
	if mode == modeHostile {
		switch g.pick(5) {
		case 0:
			return g.hostileJSON()
		case 1:
			column = g.hostileText().value.(string)
		case 2:
			return jsonArg(fmt.Sprintf(`{%q: %s}`, column, pickFrom(g, hostileNumbers)), "")
		}
	}
	var parts []string
	for _, kv := range []struct {
		key    string
		values []string
	}{{"impute", v.impute}, {"encode", v.encode}, {"scale", v.scale}} {
		if g.chance(0.5) {
			continue
		}
		value := strconv.Quote(pickFrom(g, kv.values))
		if mode == modeHostile && g.chance(0.3) {
			value = pickFrom(g, hostileNumbers)
		}
		parts = append(parts, strconv.Quote(kv.key)+": "+value)
	}
	return jsonArg(fmt.Sprintf(`{%q: {%s}}`, column, strings.Join(parts, ", ")), "")
}

func (g *fuzzGen) jsonValue(cx *caseContext, name string, mode int) fuzzArg {
	algorithm := ""
	if a, ok := cx.algorithm(); ok {
		algorithm = a
	}
	switch name {
	case "hyperparams":
		return g.hyperparams(algorithm, mode)
	case "search_params":
		return g.searchParams(algorithm, mode)
	case "search_args":
		return g.searchArgs(mode)
	case "preprocess":
		return g.preprocess(cx, mode)
	}
	if mode == modeHostile {
		return g.hostileJSON()
	}
	return jsonArg("{}", "")
}

// algorithm is set by the case builder once the algorithm argument is chosen, so that
// hyperparameters can use that algorithm's keys.
func (cx *caseContext) algorithm() (string, bool) {
	if cx.chosenAlgorithm == "" {
		return "", false
	}
	return cx.chosenAlgorithm, true
}

// Numbers.

func numberArg(text, typ string) fuzzArg {
	sql := text
	if strings.ContainsAny(text, "NI") || strings.HasPrefix(text, "-") {
		sql = quoteLiteral(text)
	}
	var value any = text
	if f, err := strconv.ParseFloat(text, 64); err == nil {
		value = f
	}
	return fuzzArg{sql: "(" + sql + ")::" + typ, label: text, value: value}
}

var (
	hostileFloats   = []string{"0", "-0", "NaN", "Infinity", "-Infinity", "1e308", "-1.7976931348623157e308", "5e-324", "3.4e38", "1e-45", "-1e-300"}
	hostileNumerics = []string{"0", "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "123456789012345678901234567890.5"}
)

func (g *fuzzGen) floatValue(cx *caseContext, name, typ string, mode int) fuzzArg {
	if name == "test_size" {
		if mode == modeValid {
			return numberArg(pickFrom(g, []string{"0.25", "0.2", "0.5"}), typ)
		}
		return numberArg(pickFrom(g, []string{"0", "-0.5", "1", "1.5", "10", "1e30", "NaN", "Infinity", "1e-30", "0.999999", "100000"}), typ)
	}
	if mode == modeValid {
		return numberArg(strconv.FormatFloat(float64(g.pick(2000)-1000)/8, 'g', -1, 64), typ)
	}
	if typ == "numeric" {
		return numberArg(pickFrom(g, hostileNumerics), typ)
	}
	return numberArg(pickFrom(g, hostileFloats), typ)
}

func (g *fuzzGen) bigintValue(cx *caseContext, name string, mode int) fuzzArg {
	switch name {
	case "model_id":
		if mode == modeValid {
			id := pickFrom(g, g.fx.models).id
			if cx.model != nil {
				id = cx.model.id
			}
			return numberArg(strconv.FormatInt(id, 10), "bigint")
		}
		return numberArg(pickFrom(g, []string{"0", "-1", "9223372036854775807", "-9223372036854775808", "100000000"}), "bigint")
	case "limit":
		if mode == modeValid {
			return numberArg(pickFrom(g, []string{"0", "1", "5", "100"}), "bigint")
		}
		return numberArg(pickFrom(g, []string{"-1", "9223372036854775807", "-9223372036854775808"}), "bigint")
	case "num_classes":
		if mode == modeValid {
			return numberArg(strconv.Itoa(cx.labels), "bigint")
		}
		return numberArg(pickFrom(g, []string{"0", "1", "-1", "9223372036854775807", "1000000"}), "bigint")
	}
	if mode == modeValid {
		return numberArg(strconv.Itoa(g.pick(100)), "bigint")
	}
	return numberArg(pickFrom(g, []string{"0", "-1", "9223372036854775807", "-9223372036854775808"}), "bigint")
}

// Arrays.

// arrayLiteral writes values (nil = NULL element) as a typed array literal.
func arrayLiteral(elem string, values []*string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		if v == nil {
			parts[i] = "NULL"
		} else {
			parts[i] = *v
		}
	}
	return quoteLiteral("{"+strings.Join(parts, ",")+"}") + "::" + elem + "[]"
}

func ptr(s string) *string { return &s }

// element is a finite element value of type elem, or a label index for metric arrays.
func (g *fuzzGen) element(elem string, integral bool) string {
	switch elem {
	case "boolean":
		return strconv.FormatBool(g.chance(0.5))
	case "text":
		return strconv.Quote(pickFrom(g, []string{"a", "b", "y", "x1"}))
	case "integer", "bigint", "smallint":
		return strconv.Itoa(g.pick(200) - 100)
	}
	if integral {
		return strconv.Itoa(g.pick(3))
	}
	return strconv.FormatFloat(float64(g.pick(20000)-10000)/64, 'g', -1, 64)
}

// extremes of each element type: the largest magnitudes, the smallest, and the special values.
func extremes(elem string) []string {
	switch elem {
	case "real":
		return []string{"3.4028235e38", "-3.4028235e38", "1e-45", "NaN", "Infinity", "-Infinity", "-0"}
	case "double precision":
		return []string{"1.7976931348623157e308", "-1.7976931348623157e308", "5e-324", "NaN", "Infinity", "-Infinity", "-0"}
	case "numeric":
		return []string{"1e400", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity", "99999999999999999999999999999999999999"}
	case "integer":
		return []string{"2147483647", "-2147483648"}
	case "bigint":
		return []string{"9223372036854775807", "-9223372036854775808"}
	case "smallint":
		return []string{"32767", "-32768"}
	case "boolean":
		return []string{"true", "false"}
	}
	return []string{`""`, strconv.Quote(strings.Repeat("x", 1000))}
}

// serverArray is an n-element array computed by the server from n alone.
func serverArray(elem string, n int, modulus int) fuzzArg {
	expr := fmt.Sprintf("((g * 7919) %% %d)", modulus)
	if elem == "boolean" {
		expr = "(g % 2 = 0)"
	} else if elem == "text" {
		expr = "('w' || g)"
	}
	return fuzzArg{sql: fmt.Sprintf("(SELECT array_agg(%s::%s) FROM generate_series(1::bigint, %d) AS g)", expr, elem, n),
		label: fmt.Sprintf("%s[%d] (values mod %d)", elem, n, modulus), value: n}
}

func (g *fuzzGen) arrayValue(cx *caseContext, fn *fuzzFunc, name, elem string, mode int) fuzzArg {
	n := cx.length
	integral := name == "ground_truth" || name == "y_hat"
	if name == "y_column_name" && cx.relation != nil {
		if mode == modeValid {
			var labels []*string
			for _, l := range cx.relation.labels {
				labels = append(labels, ptr(strconv.Quote(l)))
			}
			return fuzzArg{sql: arrayLiteral("text", labels), label: strings.Join(cx.relation.labels, ","), value: cx.relation.labels}
		}
	}
	if mode == modeValid {
		values := make([]*string, n)
		for i := range values {
			values[i] = ptr(g.element(elem, integral && cx.labels > 0))
		}
		return fuzzArg{sql: arrayLiteral(elem, values), label: fmt.Sprintf("%s[%d]", elem, n), value: n}
	}
	switch g.pick(12) {
	case 0:
		return fuzzArg{sql: quoteLiteral("{}") + "::" + elem + "[]", label: "{}", value: 0}
	case 1: // a NULL element
		values := make([]*string, max(n, 1))
		for i := range values {
			values[i] = ptr(g.element(elem, integral))
		}
		values[g.pick(len(values))] = nil
		return fuzzArg{sql: arrayLiteral(elem, values), label: "NULL element", value: len(values)}
	case 2: // extreme and special values
		values := make([]*string, max(n, 1))
		for i := range values {
			values[i] = ptr(g.element(elem, integral))
		}
		x := pickFrom(g, extremes(elem))
		values[g.pick(len(values))] = ptr(x)
		return fuzzArg{sql: arrayLiteral(elem, values), label: "element " + x, value: len(values)}
	case 3:
		return serverArray(elem, 1000000, 1000)
	case 4:
		// Labels with very many distinct values: metric helpers count classes.
		return serverArray(elem, 100000, 100003)
	case 5: // multi-dimensional
		dims := pickFrom(g, []string{"ARRAY[2, 3]", "ARRAY[n, 1]", "ARRAY[1, 1, n]", "ARRAY[2, 2, 2, 2]"})
		dims = strings.ReplaceAll(dims, "n", strconv.Itoa(max(n, 1)))
		return fuzzArg{sql: fmt.Sprintf("array_fill(%s::%s, %s)", quoteLiteral(strings.Trim(g.element(elem, integral), `"`)), elem, dims), label: "array_fill " + dims}
	case 6: // a lower bound other than 1
		values := make([]*string, max(n, 1))
		for i := range values {
			values[i] = ptr(g.element(elem, integral))
		}
		lit := arrayLiteral(elem, values)
		lit = "'[0:" + strconv.Itoa(len(values)-1) + "]=" + lit[1:]
		return fuzzArg{sql: lit, label: "lower bound 0", value: len(values)}
	case 7: // wrong length
		m := pickFrom(g, []int{n + 1, max(n-1, 0), 2 * n, 1000})
		values := make([]*string, m)
		for i := range values {
			values[i] = ptr(g.element(elem, integral))
		}
		return fuzzArg{sql: arrayLiteral(elem, values), label: fmt.Sprintf("%s[%d] (want %d)", elem, m, n), value: m}
	case 8: // every element NULL
		values := make([]*string, max(n, 1))
		return fuzzArg{sql: arrayLiteral(elem, values), label: "all NULL elements", value: len(values)}
	case 9:
		return serverArray(elem, 100000, 3)
	case 10: // all special values
		values := make([]*string, max(n, 1))
		x := pickFrom(g, extremes(elem))
		for i := range values {
			values[i] = ptr(x)
		}
		return fuzzArg{sql: arrayLiteral(elem, values), label: fmt.Sprintf("%d × %s", len(values), x), value: len(values)}
	}
	return fuzzArg{sql: fmt.Sprintf("array_fill(%s::%s, ARRAY[%d])", quoteLiteral(strings.Trim(g.element(elem, integral), `"`)), elem, 1000000),
		label: "array_fill 10^6"}
}

// rowValue is the row argument of predict's row form.
func (g *fuzzGen) rowValue(cx *caseContext, mode int) fuzzArg {
	m := g.rowModel(cx)
	if mode == modeValid {
		return fuzzArg{sql: fmt.Sprintf("(SELECT ROW(%s) FROM %s ORDER BY 1 OFFSET %d LIMIT 1)", m.rowColumns, m.rowSource, g.pick(5)),
			label: "row of " + m.rowSource}
	}
	rows := []string{
		"ROW(1)", "ROW(NULL, NULL, NULL)", "ROW('NaN'::real, 1::real, 2::real)", "ROW('Infinity'::float8, 1, 2)",
		"ROW(1e400::numeric, 2, 3)", "ROW('red'::text, 'S'::text, 1::real)", "ROW(ARRAY[1, 2, 3])", "1.5::real", "ARRAY[1, 2, 3]",
		"'text'::text", "ROW(ROW(1, 2), 3)", "(SELECT r FROM fuzz.reg r LIMIT 1)", "(SELECT r FROM fuzz.unsupported r LIMIT 1)",
		"(SELECT r FROM fuzz.big_values r LIMIT 1)", "ROW(" + strings.Repeat("1, ", 99) + "1)", "NULL::fuzz.reg",
	}
	r := pickFrom(g, rows)
	return fuzzArg{sql: r, label: r}
}

// rowArrayValue is an array of rows for the row forms of predict_batch: rows of a model's
// source, or arrays with NULL rows, rows of mixed types, no rows.
func (g *fuzzGen) rowArrayValue(cx *caseContext, mode int) fuzzArg {
	m := g.rowModel(cx)
	if mode == modeValid {
		return fuzzArg{sql: fmt.Sprintf("(SELECT array_agg(ROW(%s)) FROM (SELECT * FROM %s ORDER BY 1 LIMIT %d) r)", m.rowColumns, m.rowSource, 1+g.pick(5)),
			label: "rows of " + m.rowSource}
	}
	arrays := []string{
		"ARRAY[ROW(1), ROW(2)]", "ARRAY[NULL::fuzz.reg]", "'{}'::fuzz.reg[]", "ARRAY[ROW(NULL, NULL, NULL), NULL]",
		"(SELECT array_agg(r) FROM fuzz.reg r)", "(SELECT array_agg(r) FROM fuzz.unsupported r)", "(SELECT array_agg(r) FROM fuzz.big_values r)",
		"ARRAY[ROW('NaN'::real, 1::real, 2::real), ROW('Infinity'::float8, 1, 2)]", "ARRAY[1, 2, 3]", "NULL::fuzz.reg[]",
	}
	r := pickFrom(g, arrays)
	return fuzzArg{sql: r, label: r}
}

// rowModel is the case's model, or a random one, whose rows the row forms are given.
func (g *fuzzGen) rowModel(cx *caseContext) *fuzzModel {
	if cx.model != nil {
		return cx.model
	}
	m := pickFrom(g, g.fx.models)
	return &m
}
