package datasets

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var wantRows = map[string]int{
	"breast_cancer":      569,
	"diabetes":           442,
	"digits":             1797,
	"iris":               150,
	"linnerud":           20,
	"wine":               178,
	"california_housing": 20640,
}

// createColumns extracts the quoted column names and types from a Create
// statement produced by build (one column per line), without generated columns.
func createColumns(t *testing.T, create string) (names, types []string) {
	t.Helper()
	lines := strings.Split(create, "\n")
	for _, l := range lines[1 : len(lines)-1] {
		l = strings.TrimSuffix(strings.TrimSpace(l), ",")
		if strings.Contains(l, " GENERATED ALWAYS AS ") {
			continue // not inserted: TestColumns checks linnerud's
		}
		i := closingQuote(l)
		if !strings.HasPrefix(l, `"`) || i <= 0 {
			t.Fatalf("unexpected column line %q", l)
		}
		names = append(names, strings.ReplaceAll(l[1:i], `""`, `"`))
		types = append(types, strings.TrimSpace(l[i+1:]))
	}
	return names, types
}

// closingQuote is the index of the quote that ends the identifier l starts with, or -1.
func closingQuote(l string) int {
	for i := 1; i < len(l); i++ {
		if l[i] != '"' {
			continue
		}
		if i+1 < len(l) && l[i+1] == '"' {
			i++
			continue
		}
		return i
	}
	return -1
}

// insertRows counts the tuples of one INSERT statement. No rendered value
// contains a parenthesis, so tuples are separated by exactly "),(".
func insertRows(stmt string) int {
	i := strings.Index(stmt, " VALUES (")
	if i < 0 {
		return 0
	}
	return strings.Count(stmt[i:], "),(") + 1
}

func TestNames(t *testing.T) {
	got := Names()
	want := make([]string, 0, len(wantRows))
	for n := range wantRows {
		want = append(want, n)
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
	if !sort.StringsAreSorted(got) {
		t.Fatalf("Names() not sorted: %v", got)
	}
}

func TestEmbeddedFilesMatchRegistry(t *testing.T) {
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, strings.TrimSuffix(e.Name(), ".csv.gz"))
	}
	if !reflect.DeepEqual(files, Names()) {
		t.Fatalf("embedded files %v, registry %v", files, Names())
	}
}

func TestAllDatasets(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			l, err := Prepare(name, All)
			if err != nil {
				t.Fatal(err)
			}
			if l.Rows != wantRows[name] {
				t.Errorf("Rows = %d, want %d", l.Rows, wantRows[name])
			}
			if l.Table != "pgml."+name {
				t.Errorf("Table = %q", l.Table)
			}
			qt := `"pgml"."` + name + `"`
			if !strings.HasPrefix(l.Create, "CREATE TABLE "+qt+" (") {
				t.Errorf("Create = %q", l.Create)
			}
			if !strings.HasPrefix(l.Comment, "COMMENT ON TABLE "+qt+" IS '") || !strings.HasSuffix(l.Comment, "'") {
				t.Errorf("Comment = %q", l.Comment)
			}
			if !strings.Contains(l.Comment, "Source:") {
				t.Errorf("Comment has no source/licence: %q", l.Comment)
			}
			names, _ := createColumns(t, l.Create)
			prefix := "INSERT INTO " + qt + " (" + quoteAll(names) + ") VALUES ("
			wantInserts := (l.Rows + RowsPerInsert - 1) / RowsPerInsert
			if len(l.Inserts) != wantInserts {
				t.Errorf("%d inserts, want %d", len(l.Inserts), wantInserts)
			}
			total := 0
			for i, s := range l.Inserts {
				if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, ")") {
					t.Fatalf("insert %d malformed: %.200q", i, s)
				}
				n := insertRows(s)
				if n > RowsPerInsert || n < 1 {
					t.Errorf("insert %d has %d rows", i, n)
				}
				total += n
			}
			if total != l.Rows {
				t.Errorf("inserts hold %d rows, want %d", total, l.Rows)
			}
			// Every tuple has exactly one value per column.
			d := registry()[name]
			for i, tup := range d.tuples {
				if got := countTopLevel(tup); got != len(names) {
					t.Fatalf("tuple %d has %d values, want %d: %q", i, got, len(names), tup)
				}
			}
		})
	}
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// countTopLevel counts the comma-separated values of "(a,b,...)", ignoring
// commas inside quoted literals.
func countTopLevel(tup string) int {
	n, inQuote := 1, false
	for _, c := range tup[1 : len(tup)-1] {
		switch {
		case c == '\'':
			inQuote = !inQuote
		case c == ',' && !inQuote:
			n++
		}
	}
	return n
}

func TestColumns(t *testing.T) {
	cases := []struct {
		name  string
		n     int
		check map[string]string // column -> type
	}{
		{"iris", 5, map[string]string{"sepal_length": "REAL", "petal_width": "REAL", "target": "INTEGER"}},
		{"diabetes", 11, map[string]string{"age": "REAL", "s6": "REAL", "target": "INTEGER"}},
		{"digits", 2, map[string]string{"image": "SMALLINT[][]", "target": "INTEGER"}},
		{"wine", 14, map[string]string{"alcohol": "REAL", "od280/od315_of_diluted_wines": "REAL", "proline": "REAL", "target": "INTEGER"}},
		{"breast_cancer", 31, map[string]string{"mean radius": "REAL", "concave points error": "REAL", "worst fractal dimension": "REAL", "malignant": "BOOLEAN"}},
		{"linnerud", 6, map[string]string{"chins": "REAL", "waste": "REAL", "pulse": "REAL"}},
		{"california_housing", 9, map[string]string{"median_income": "REAL", "longitude": "REAL", "target": "REAL"}},
	}
	for _, c := range cases {
		l, err := Prepare(c.name, 1)
		if err != nil {
			t.Fatal(err)
		}
		names, types := createColumns(t, l.Create)
		if len(names) != c.n {
			t.Errorf("%s: %d columns %v, want %d", c.name, len(names), names, c.n)
		}
		got := map[string]string{}
		for i := range names {
			got[names[i]] = types[i]
		}
		for col, typ := range c.check {
			if got[col] != typ {
				t.Errorf("%s: column %q has type %q, want %q", c.name, col, got[col], typ)
			}
		}
	}

	l, _ := Prepare("linnerud", All)
	if !strings.Contains(l.Create, `"waste" REAL,`) || !strings.Contains(l.Create, `"waist" REAL GENERATED ALWAYS AS ("waste") STORED`) {
		t.Errorf("linnerud must have 1.0's spelling waste and 2.x's waist generated from it: %s", l.Create)
	}
	l, _ = Prepare("wine", All)
	names, _ := createColumns(t, l.Create)
	if names[9] != "color_intensity" || names[10] != "hue" {
		t.Errorf("wine column order (1.0 has color_intensity before hue): %v", names)
	}
	if !strings.Contains(l.Create, `"od280/od315_of_diluted_wines" REAL`) {
		t.Errorf("wine Create: %s", l.Create)
	}
	l, _ = Prepare("breast_cancer", All)
	if !strings.Contains(l.Create, "\n  \"mean radius\" REAL,") || !strings.HasSuffix(l.Create, "\"malignant\" BOOLEAN\n)") {
		t.Errorf("breast_cancer Create: %s", l.Create)
	}
}

func TestValues(t *testing.T) {
	l, err := Prepare("iris", 2)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(l.Inserts[0], " VALUES (5.1,3.5,1.4,0.2,0),(4.9,3,1.4,0.2,0)") {
		t.Errorf("iris insert: %s", l.Inserts[0])
	}
	l, _ = Prepare("digits", 1)
	want := `VALUES ('{{0,0,5,13,9,1,0,0},{0,0,13,15,10,15,5,0},{0,3,15,2,0,11,8,0},{0,4,12,0,0,8,8,0},{0,5,8,0,0,9,8,0},{0,4,11,0,1,12,7,0},{0,2,14,5,10,12,0,0},{0,0,6,13,10,0,0,0}}'::smallint[],0)`
	if !strings.HasSuffix(l.Inserts[0], want) {
		t.Errorf("digits insert: %s", l.Inserts[0])
	}
	l, _ = Prepare("breast_cancer", All)
	all := strings.Join(l.Inserts, "\n")
	if nt, nf := strings.Count(all, ",TRUE)"), strings.Count(all, ",FALSE)"); nt != 212 || nf != 357 {
		t.Errorf("malignant: %d TRUE, %d FALSE; want 212, 357", nt, nf)
	}
	l, _ = Prepare("california_housing", 1)
	if !strings.HasSuffix(l.Inserts[0], "VALUES (8.3252,41,6.984126984126984,1.0238095238095237,322,2.5555555555555554,37.88,-122.23,4.526)") {
		t.Errorf("california_housing insert: %s", l.Inserts[0])
	}
}

func TestLimit(t *testing.T) {
	for _, c := range []struct {
		name          string
		limit, rows   int
		inserts, last int
	}{
		{"iris", 10, 10, 1, 10},
		{"iris", 150, 150, 1, 150},
		{"iris", 1000000, 150, 1, 150},
		{"iris", -5, 150, 1, 150},
		{"digits", 1000, 1000, 1, 1000},
		{"digits", 1001, 1001, 2, 1},
		{"california_housing", 2500, 2500, 3, 500},
		{"california_housing", All, 20640, 21, 640},
	} {
		l, err := Prepare(c.name, c.limit)
		if err != nil {
			t.Fatal(err)
		}
		if l.Rows != c.rows || len(l.Inserts) != c.inserts || insertRows(l.Inserts[len(l.Inserts)-1]) != c.last {
			t.Errorf("Prepare(%q, %d): rows %d inserts %d last %d; want %d %d %d", c.name, c.limit,
				l.Rows, len(l.Inserts), insertRows(l.Inserts[len(l.Inserts)-1]), c.rows, c.inserts, c.last)
		}
		for i, s := range l.Inserts {
			if n := insertRows(s); n > RowsPerInsert {
				t.Errorf("Prepare(%q, %d): insert %d has %d rows", c.name, c.limit, i, n)
			}
		}
	}
	// A limited load must not truncate the cached rows.
	if l, _ := Prepare("iris", All); l.Rows != 150 {
		t.Errorf("after limited load, full load has %d rows", l.Rows)
	}
}

func TestUnknown(t *testing.T) {
	for _, name := range []string{"", "IRIS", "nope", "iris; DROP TABLE x", "pgml.iris"} {
		_, err := Prepare(name, All)
		if err == nil {
			t.Fatalf("Prepare(%q) succeeded", name)
		}
		for _, n := range Names() {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("error %q does not list %q", err, n)
			}
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"iris":                         `"iris"`,
		"mean radius":                  `"mean radius"`,
		"od280/od315_of_diluted_wines": `"od280/od315_of_diluted_wines"`,
		`a"b`:                          `"a""b"`,
		`"`:                            `""""`,
		"select":                       `"select"`,
		"Upper":                        `"Upper"`,
		"x'); DROP TABLE t; --":        `"x'); DROP TABLE t; --"`,
		"naïve":                        `"naïve"`,
	} {
		if got := quoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"", "a\x00b", "\xff", strings.Repeat("x", 64)} {
		if checkIdent(bad) == nil {
			t.Errorf("checkIdent(%q) accepted", bad)
		}
	}
	if checkIdent(strings.Repeat("x", 63)) != nil {
		t.Error("checkIdent rejected a 63-byte name")
	}
}

func TestQuoteLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"plain":      `'plain'`,
		"it's":       `'it''s'`,
		`back\slash`: `E'back\\slash'`,
		`'\`:         `E'''\\'`,
	} {
		if got := quoteLiteral(in); got != want {
			t.Errorf("quoteLiteral(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAppendValueRejects(t *testing.T) {
	bad := map[colType][]string{
		typeReal:    {"", "abc", "1;DROP TABLE x", "NaN", "Inf", "-inf", "1e39", "1,5", " 1", "1 ", "0x", "'1'"},
		typeInteger: {"", "1.5", "1e3", "x", "2147483648", "-2147483649", " 1", "1)"},
		typeBoolean: {"", "TRUE ", "yes", "1", "t", "True'"},
		typeDigitsImage: {
			"",
			"{}",
			"{{0}}",
			"{{0,0,0,0,0,0,0,0}}",
			strings.Repeat("{0,0,0,0,0,0,0,0},", 8),
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,0},", 8), ",") + "}x",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,0},", 8), ",") + "}}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,0},", 9), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,0,0},", 8), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,17},", 8), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,-1},", 8), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0, 1},", 8), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,},", 8), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,99999999999999999999},", 8), ",") + "}",
			"{" + strings.TrimSuffix(strings.Repeat("{0,0,0,0,0,0,0,1},", 7), ",") + ",{0,0,0,0,0,0,0,1}'}",
			"'}'; DROP TABLE x; --",
		},
	}
	for typ, inputs := range bad {
		for _, s := range inputs {
			if out, err := appendValue(nil, typ, s); err == nil {
				t.Errorf("appendValue(%s, %q) accepted: %s", typ.sql(), s, out)
			}
		}
	}

	good := map[colType]map[string]string{
		typeReal:    {"1.0": "1", "-0.5": "-0.5", "1e-5": "1e-05", "+2.50": "2.5", "3.4e38": "3.4e+38"},
		typeInteger: {"0": "0", "-7": "-7", "+3": "3", "007": "7"},
		typeBoolean: {"true": "TRUE", "false": "FALSE"},
		typeDigitsImage: {
			"{" + strings.TrimSuffix(strings.Repeat("{00,1,2,3,4,5,6,16},", 8), ",") + "}": "'{" +
				strings.TrimSuffix(strings.Repeat("{0,1,2,3,4,5,6,16},", 8), ",") + "}'::smallint[]",
		},
	}
	for typ, m := range good {
		for in, want := range m {
			out, err := appendValue(nil, typ, in)
			if err != nil || string(out) != want {
				t.Errorf("appendValue(%s, %q) = %q, %v; want %q", typ.sql(), in, out, err, want)
			}
		}
	}
}

func gz(t *testing.T, s string) *bytes.Reader {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return bytes.NewReader(b.Bytes())
}

func TestParseRejects(t *testing.T) {
	d := &dataset{name: "t", rows: 2, cols: []column{{"a b", typeReal}, {"c", typeBoolean}}}
	if tuples, err := d.parse(gz(t, "a b,c\n1,true\n2.5,false\n")); err != nil || !reflect.DeepEqual(tuples, []string{"(1,TRUE)", "(2.5,FALSE)"}) {
		t.Fatalf("good input: %v, %v", tuples, err)
	}
	for what, in := range map[string]string{
		"wrong header":     "a_b,c\n1,true\n2,false\n",
		"too few rows":     "a b,c\n1,true\n",
		"too many rows":    "a b,c\n1,true\n2,false\n3,true\n",
		"extra field":      "a b,c\n1,true,3\n2,false\n",
		"missing field":    "a b,c\n1\n2,false\n",
		"bad value":        "a b,c\n1,true\n2),(3,false\n",
		"bad quoting":      "a b,c\n\"1,true\n2,false\n",
		"empty":            "",
		"header only":      "a b,c\n",
		"injection header": "a b\",c\n1,true\n2,false\n",
	} {
		if _, err := d.parse(gz(t, in)); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	if _, err := d.parse(strings.NewReader("a b,c\n1,true\n2,false\n")); err == nil {
		t.Error("non-gzip input accepted")
	}
	bad := &dataset{name: "t", rows: 1, cols: []column{{"a\x00", typeReal}}}
	if _, err := bad.parse(gz(t, "a\x00\n1\n")); err == nil {
		t.Error("NUL in identifier accepted")
	}
}

func TestConcurrentPrepare(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := Names()[i%len(Names())]
			l, err := Prepare(name, i)
			if err != nil {
				t.Error(err)
				return
			}
			want := wantRows[name]
			if i < want {
				want = i
			}
			if l.Rows != want {
				t.Errorf("Prepare(%q, %d).Rows = %d, want %d", name, i, l.Rows, want)
			}
		}(i)
	}
	wg.Wait()
}

// TestPostgres runs the generated SQL through psql when DATASETS_TEST_PSQL
// holds a connection string (e.g. "host=/tmp port=5499 dbname=postgres").
// It creates and drops a scratch schema named pgml, so never point it at a
// database that has the extension installed.
func TestPostgres(t *testing.T) {
	dsn := os.Getenv("DATASETS_TEST_PSQL")
	if dsn == "" {
		t.Skip("DATASETS_TEST_PSQL not set")
	}
	var sql strings.Builder
	sql.WriteString("\\set ON_ERROR_STOP 1\nBEGIN;\nCREATE SCHEMA pgml;\n")
	var checks []string
	for _, name := range Names() {
		l, err := Prepare(name, All)
		if err != nil {
			t.Fatal(err)
		}
		sql.WriteString(l.Create + ";\n" + l.Comment + ";\n")
		for _, s := range l.Inserts {
			sql.WriteString(s + ";\n")
		}
		checks = append(checks, "SELECT count(*) FROM "+quoteIdent(Schema)+"."+quoteIdent(name))
	}
	sql.WriteString("SELECT " + strings.Join(func() []string {
		var c []string
		for _, q := range checks {
			c = append(c, "("+q+")")
		}
		return c
	}(), " || ',' || ") + ";\n")
	sql.WriteString("SELECT array_dims(image) || ':' || image[2][3] FROM pgml.digits LIMIT 1;\n")
	sql.WriteString("SELECT count(*) FILTER (WHERE malignant) FROM pgml.breast_cancer;\n")
	sql.WriteString("SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'pgml'::regnamespace AND obj_description(c.oid, 'pg_class') LIKE '%Source:%';\n")
	sql.WriteString("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attrelid::regclass::text, attnum) FROM pg_attribute " +
		"WHERE attrelid IN ('pgml.digits'::regclass, 'pgml.linnerud'::regclass) AND attnum > 0;\n")
	sql.WriteString(`SELECT "od280/od315_of_diluted_wines" || ',' || "mean radius" FROM pgml.wine, pgml.breast_cancer LIMIT 1;` + "\n")
	sql.WriteString("ROLLBACK;\n")

	cmd := exec.Command("psql", "-X", "-q", "-A", "-t", dsn)
	cmd.Stdin = strings.NewReader(sql.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	var counts []string
	for _, n := range Names() {
		counts = append(counts, strconv.Itoa(wantRows[n]))
	}
	want := strings.Join(counts, ",") + "\n[1:8][1:8]:13\n212\n7\n" +
		"image smallint[], target integer, chins real, situps real, jumps real, weight real, waste real, pulse real, waist real\n" +
		"3.92,17.99\n"
	if string(out) != want {
		t.Errorf("psql output %q, want %q", out, want)
	}
}

func BenchmarkPrepareCaliforniaHousing(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare("california_housing", All); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCaliforniaHousing measures the uncached path: decompressing,
// validating and rendering all 20,640 rows.
func BenchmarkParseCaliforniaHousing(b *testing.B) {
	b.ReportAllocs()
	d := registry()["california_housing"]
	for b.Loop() {
		f, err := dataFS.Open("data/california_housing.csv.gz")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.parse(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
