// Package datasets holds the toy datasets that pgml.load_dataset installs
// (PostgresML 1.0 table layouts) and turns them into SQL text.
//
// The data is embedded in the binary as gzipped CSV files; nothing is read
// from disk or downloaded at run time. The package does not talk to
// PostgreSQL: Prepare returns CREATE TABLE, COMMENT ON TABLE and INSERT
// statements that the extension's glue executes through SPI.
//
// Every value is validated and re-rendered from its parsed form (numbers via
// strconv, booleans as TRUE/FALSE, the digits images as a canonical
// '{{...}}'::smallint[] literal), so no CSV text is ever spliced into SQL.
package datasets

import (
	"compress/gzip"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/*.csv.gz
var dataFS embed.FS

// Schema is the schema every built-in dataset table is created in.
const Schema = "pgml"

// RowsPerInsert is the maximum number of rows in one INSERT statement.
const RowsPerInsert = 1000

// Load holds the SQL that creates and fills one dataset table.
type Load struct {
	Table   string   // display form, e.g. "pgml.iris"
	Create  string   // CREATE TABLE "pgml"."iris" (...)
	Comment string   // COMMENT ON TABLE "pgml"."iris" IS '...'
	Inserts []string // INSERT INTO ... VALUES (...),(...); at most RowsPerInsert rows each
	Rows    int      // number of rows the Inserts add
}

type colType int

const (
	typeReal colType = iota
	typeInteger
	typeBoolean
	typeDigitsImage // SMALLINT[][] holding an 8×8 matrix of values 0–16
)

func (t colType) sql() string {
	switch t {
	case typeReal:
		return "REAL"
	case typeInteger:
		return "INTEGER"
	case typeBoolean:
		return "BOOLEAN"
	case typeDigitsImage:
		return "SMALLINT[][]"
	}
	panic("datasets: unknown column type")
}

type column struct {
	name string
	typ  colType
}

type dataset struct {
	name    string
	comment string
	rows    int // expected row count; the embedded file must match
	cols    []column
	// spellings are generated columns repeating a column under another name (see spelling).
	spellings []spelling

	once   sync.Once
	tuples []string // one rendered "(v1,v2,...)" per CSV row
	err    error
}

// spelling is a second name of a column, for a dataset that PostgresML's versions spell
// differently: a generated column, so that it never disagrees with its source, and so that
// training with either one as the label keeps the other out of the features
// (lifecycle/relation.go splitColumns).
type spelling struct {
	name, of string
}

func reals(names ...string) []column {
	cols := make([]column, len(names))
	for i, n := range names {
		cols[i] = column{n, typeReal}
	}
	return cols
}

func with(cols []column, extra ...column) []column {
	return append(cols, extra...)
}

const (
	sklearnBSD = " Source: as distributed by scikit-learn 1.2.1 (BSD-3-Clause licence)."
	uciBSD     = " Source: UCI Machine Learning Repository, as distributed by scikit-learn 1.2.1 (BSD-3-Clause licence)."
)

func breastCancerFeatures() []string {
	base := []string{"radius", "texture", "perimeter", "area", "smoothness",
		"compactness", "concavity", "concave points", "symmetry", "fractal dimension"}
	var names []string
	for _, b := range base {
		names = append(names, "mean "+b)
	}
	for _, b := range base {
		names = append(names, b+" error")
	}
	for _, b := range base {
		names = append(names, "worst "+b)
	}
	return names
}

// registry is built on first use, not when pgml.so loads: a backend that predicts never
// needs it (docs/native-inference.md, the first predict of a connection).
var registry = sync.OnceValue(func() map[string]*dataset {
	return map[string]*dataset{
		"iris": {
			name: "iris",
			rows: 150,
			comment: "Iris plants dataset (R. A. Fisher, 1936): 150 flowers, 50 of each of three species; " +
				"sepal and petal length and width in cm; target 0 = setosa, 1 = versicolor, 2 = virginica." + uciBSD,
			cols: with(reals("sepal_length", "sepal_width", "petal_length", "petal_width"),
				column{"target", typeInteger}),
		},
		"diabetes": {
			name: "diabetes",
			rows: 442,
			comment: "Diabetes dataset (Efron, Hastie, Johnstone and Tibshirani, 2004, \"Least Angle Regression\"): " +
				"442 patients, ten baseline variables (age, sex, body mass index, average blood pressure and six blood serum " +
				"measurements s1-s6), each mean-centred and scaled; target is a quantitative measure of disease progression " +
				"one year after baseline. Source: as distributed by scikit-learn 1.2.1.",
			cols: with(reals("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"),
				column{"target", typeInteger}),
		},
		"digits": {
			name: "digits",
			rows: 1797,
			comment: "Optical recognition of handwritten digits (E. Alpaydin and C. Kaynak, 1998): 1797 images of 8x8 pixels " +
				"with values 0-16; target is the digit 0-9." + uciBSD,
			cols: []column{{"image", typeDigitsImage}, {"target", typeInteger}},
		},
		"wine": {
			name: "wine",
			rows: 178,
			comment: "Wine recognition dataset (M. Forina et al.): chemical analysis of 178 wines grown in the same region " +
				"of Italy by three cultivators; target is the cultivator 0, 1 or 2." + uciBSD,
			cols: with(reals("alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
				"flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
				"od280/od315_of_diluted_wines", "proline"),
				column{"target", typeInteger}),
		},
		"breast_cancer": {
			name: "breast_cancer",
			rows: 569,
			comment: "Breast cancer Wisconsin (diagnostic) dataset (W. H. Wolberg, W. N. Street and O. L. Mangasarian, 1995): " +
				"569 samples, 30 features computed from digitized images of fine needle aspirates of breast masses; " +
				"malignant is true for malignant tumours (212) and false for benign ones (357)." + uciBSD,
			cols: with(reals(breastCancerFeatures()...), column{"malignant", typeBoolean}),
		},
		"linnerud": {
			name: "linnerud",
			rows: 20,
			comment: "Linnerud dataset (Tenenhaus, 1998): 20 middle-aged men at a fitness club; three exercise variables " +
				"(chins, situps, jumps) and three physiological variables (weight, waste [waist], pulse)." + sklearnBSD,
			cols: reals("chins", "situps", "jumps", "weight", "waste", "pulse"),
			// PostgresML 1.0 spells the column waste, 2.x waist; both suites train on it.
			spellings: []spelling{{name: "waist", of: "waste"}},
		},
		"california_housing": {
			name: "california_housing",
			rows: 20640,
			comment: "California housing dataset: 20640 block groups from the 1990 U.S. census (median income, median house age, " +
				"average rooms, bedrooms and occupants per household, population, latitude, longitude); target is the " +
				"median house value in units of $100,000. Source: StatLib (R. K. Pace and R. Barry, 1997, " +
				"\"Sparse Spatial Autoregressions\"), transformed as scikit-learn's fetch_california_housing.",
			cols: reals("median_income", "house_age", "avg_rooms", "avg_bedrooms", "population",
				"avg_occupants", "latitude", "longitude", "target"),
		},
	}
})

// Names returns the names of the built-in datasets, sorted.
func Names() []string {
	names := make([]string, 0, len(registry()))
	for n := range registry() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// All is the limit that loads every row.
const All = -1

// Prepare parses the embedded CSV of the named dataset (once; the rendered
// rows are cached) and returns the statements that create and fill its
// table: the first limit rows, or every row when limit is All (negative).
func Prepare(name string, limit int) (*Load, error) {
	d, ok := registry()[name]
	if !ok {
		return nil, fmt.Errorf("datasets: unknown dataset %q; available datasets: %s",
			name, strings.Join(Names(), ", "))
	}
	tuples, err := d.load()
	if err != nil {
		return nil, err
	}
	if limit >= 0 && limit < len(tuples) {
		tuples = tuples[:limit]
	}
	return d.build(tuples), nil
}

func (d *dataset) load() ([]string, error) {
	d.once.Do(func() {
		f, err := dataFS.Open("data/" + d.name + ".csv.gz")
		if err != nil {
			d.err = fmt.Errorf("datasets: %s: %w", d.name, err)
			return
		}
		defer f.Close()
		d.tuples, d.err = d.parse(f)
	})
	return d.tuples, d.err
}

// parse reads a gzipped CSV, checks its header and row count against the
// dataset's definition, and renders every row as a SQL tuple.
func (d *dataset) parse(r io.Reader) ([]string, error) {
	fail := func(format string, args ...any) ([]string, error) {
		return nil, fmt.Errorf("datasets: %s: "+format, append([]any{d.name}, args...)...)
	}
	for _, c := range d.cols {
		if err := checkIdent(c.name); err != nil {
			return fail("column %q: %v", c.name, err)
		}
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fail("%v", err)
	}
	defer zr.Close()
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = len(d.cols)
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		return fail("reading header: %v", err)
	}
	for i, c := range d.cols {
		if header[i] != c.name {
			return fail("header column %d is %q, want %q", i+1, header[i], c.name)
		}
	}

	tuples := make([]string, 0, d.rows)
	var buf []byte
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail("%v", err)
		}
		line := len(tuples) + 2
		buf = append(buf[:0], '(')
		for i, c := range d.cols {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf, err = appendValue(buf, c.typ, rec[i])
			if err != nil {
				return fail("line %d, column %q: %v", line, c.name, err)
			}
		}
		buf = append(buf, ')')
		tuples = append(tuples, string(buf))
	}
	if len(tuples) != d.rows {
		return fail("%d rows, want %d", len(tuples), d.rows)
	}
	return tuples, nil
}

// column is the dataset's column name; the datasets are fixed, so a missing one is a bug.
func (d *dataset) column(name string) column {
	for _, c := range d.cols {
		if c.name == name {
			return c
		}
	}
	panic("datasets: " + d.name + " has no column " + name)
}

func (d *dataset) build(tuples []string) *Load {
	table := quoteIdent(Schema) + "." + quoteIdent(d.name)

	var cb strings.Builder
	cb.WriteString("CREATE TABLE ")
	cb.WriteString(table)
	cb.WriteString(" (")
	cols := make([]string, len(d.cols))
	for i, c := range d.cols {
		cols[i] = quoteIdent(c.name)
		if i > 0 {
			cb.WriteString(",")
		}
		cb.WriteString("\n  ")
		cb.WriteString(cols[i])
		cb.WriteString(" ")
		cb.WriteString(c.typ.sql())
	}
	for _, sp := range d.spellings {
		source := d.column(sp.of)
		fmt.Fprintf(&cb, ",\n  %s %s GENERATED ALWAYS AS (%s) STORED", quoteIdent(sp.name), source.typ.sql(), quoteIdent(source.name))
	}
	cb.WriteString("\n)")

	prefix := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	inserts := make([]string, 0, (len(tuples)+RowsPerInsert-1)/RowsPerInsert)
	for start := 0; start < len(tuples); start += RowsPerInsert {
		end := min(start+RowsPerInsert, len(tuples))
		size := len(prefix)
		for _, t := range tuples[start:end] {
			size += len(t) + 1
		}
		var ib strings.Builder
		ib.Grow(size)
		ib.WriteString(prefix)
		for i, t := range tuples[start:end] {
			if i > 0 {
				ib.WriteByte(',')
			}
			ib.WriteString(t)
		}
		inserts = append(inserts, ib.String())
	}

	return &Load{
		Table:   Schema + "." + d.name,
		Create:  cb.String(),
		Comment: "COMMENT ON TABLE " + table + " IS " + quoteLiteral(d.comment),
		Inserts: inserts,
		Rows:    len(tuples),
	}
}

// appendValue validates one CSV field and appends its SQL rendering.
func appendValue(buf []byte, t colType, s string) ([]byte, error) {
	switch t {
	case typeReal:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return buf, fmt.Errorf("not a number: %q", s)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
			return buf, fmt.Errorf("number out of range for REAL: %q", s)
		}
		return strconv.AppendFloat(buf, v, 'g', -1, 64), nil
	case typeInteger:
		v, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			return buf, fmt.Errorf("not an INTEGER: %q", s)
		}
		return strconv.AppendInt(buf, v, 10), nil
	case typeBoolean:
		switch s {
		case "true":
			return append(buf, "TRUE"...), nil
		case "false":
			return append(buf, "FALSE"...), nil
		}
		return buf, fmt.Errorf("not a boolean (true/false): %q", s)
	case typeDigitsImage:
		m, err := parseMatrix(s, 8, 8, 0, 16)
		if err != nil {
			return buf, err
		}
		buf = append(buf, '\'')
		buf = appendMatrix(buf, m)
		return append(buf, "'::smallint[]"...), nil
	}
	return buf, fmt.Errorf("unknown column type %d", t)
}

// parseMatrix parses a PostgreSQL two-dimensional array literal such as
// {{0,1},{2,3}} with exactly rows×cols non-negative decimal integers in
// [lo, hi]. Only digits, commas and braces are accepted.
func parseMatrix(s string, rows, cols int, lo, hi int64) ([][]int64, error) {
	bad := func(why string) ([][]int64, error) {
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return nil, fmt.Errorf("not a %dx%d array literal (%s): %q", rows, cols, why, s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == ',' || c == '{' || c == '}') {
			return bad("unexpected character")
		}
	}
	pos := 0
	expect := func(c byte) bool {
		if pos < len(s) && s[pos] == c {
			pos++
			return true
		}
		return false
	}
	m := make([][]int64, rows)
	if !expect('{') {
		return bad("missing '{'")
	}
	for r := 0; r < rows; r++ {
		if r > 0 && !expect(',') {
			return bad("wrong number of rows")
		}
		if !expect('{') {
			return bad("missing '{'")
		}
		m[r] = make([]int64, cols)
		for c := 0; c < cols; c++ {
			if c > 0 && !expect(',') {
				return bad("wrong number of columns")
			}
			start := pos
			for pos < len(s) && s[pos] >= '0' && s[pos] <= '9' {
				pos++
			}
			if pos == start || pos-start > 5 {
				return bad("bad element")
			}
			v, err := strconv.ParseInt(s[start:pos], 10, 64)
			if err != nil || v < lo || v > hi {
				return bad(fmt.Sprintf("element outside %d-%d", lo, hi))
			}
			m[r][c] = v
		}
		if !expect('}') {
			return bad("wrong number of columns")
		}
	}
	if !expect('}') || pos != len(s) {
		return bad("wrong number of rows")
	}
	return m, nil
}

func appendMatrix(buf []byte, m [][]int64) []byte {
	buf = append(buf, '{')
	for r, row := range m {
		if r > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '{')
		for c, v := range row {
			if c > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, v, 10)
		}
		buf = append(buf, '}')
	}
	return append(buf, '}')
}

// checkIdent rejects names PostgreSQL would refuse or silently truncate.
func checkIdent(s string) error {
	switch {
	case s == "":
		return errors.New("empty identifier")
	case !utf8.ValidString(s):
		return errors.New("identifier is not valid UTF-8")
	case strings.IndexByte(s, 0) >= 0:
		return errors.New("identifier contains a NUL byte")
	case len(s) > 63:
		return errors.New("identifier longer than 63 bytes (NAMEDATALEN-1)")
	}
	return nil
}

// quoteIdent quotes an identifier for SQL. Unlike PostgreSQL's quote_ident,
// which leaves lower-case non-keyword names bare, it always adds double
// quotes (doubling any embedded '"'); both forms name the same object.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// quoteLiteral quotes a string constant like PostgreSQL's quote_literal:
// single quotes are doubled, and if the text contains a backslash it is
// doubled too and the literal gets the E prefix, so the result means the
// same whatever standard_conforming_strings is set to.
func quoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		q = "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}
