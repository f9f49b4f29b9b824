package harness

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// fuzzDB is the fuzz suite's own database: its calls deploy, load and dump freely without
// touching the fixture of the other harness tests.
const fuzzDB = "pgml_fuzz"

// fuzzRelation is a fixture relation the generated trainings read.
type fuzzRelation struct {
	name    string   // as relation_name takes it
	labels  []string // label columns (unquoted names)
	columns []string // every column, labels included
	shape   string   // what is odd about it, for the failure table
}

// fuzzRelations are generated from deterministic expressions (no random()), so a seed replays
// against the same data. Each one is a data shape the issue asks for: 0, 1 and 2 rows, one
// class, identical rows, text and NULL labels, views, NaN and infinite features, huge values.
var fuzzRelations = []struct {
	name, create, shape string
	labels              []string
}{
	{"fuzz.reg", `CREATE TABLE fuzz.reg AS SELECT (g / 10.0)::real AS x1, ((g * 37) % 17)::float8 AS x2, (g % 5)::int AS x3,
		(3 * g / 10.0 + 2 * ((g * 37) % 17) - (g % 5) + ((g * 13) % 7) / 7.0)::real AS y FROM generate_series(1, 40) g`, "regression data", []string{"y"}},
	{"fuzz.cls", `CREATE TABLE fuzz.cls AS SELECT ((g % 3) * 2 + ((g * 7) % 5) / 10.0)::real AS x1, ((g * 11) % 13)::real AS x2,
		((g % 3) - ((g * 3) % 4) / 8.0)::real AS x3, (g % 3)::int AS y FROM generate_series(1, 45) g`, "3 classes", []string{"y"}},
	{"fuzz.bin", `CREATE TABLE fuzz.bin AS SELECT ((g % 2) + ((g * 7) % 5) / 10.0)::real AS a, ((g * 11) % 13)::real AS b,
		(g % 2 = 1) AS y FROM generate_series(1, 40) g`, "boolean labels", []string{"y"}},
	{"fuzz.r0", `CREATE TABLE fuzz.r0 AS SELECT * FROM fuzz.reg WHERE false`, "0 rows", []string{"y"}},
	{"fuzz.r1", `CREATE TABLE fuzz.r1 AS SELECT * FROM fuzz.cls LIMIT 1`, "1 row", []string{"y"}},
	{"fuzz.r2", `CREATE TABLE fuzz.r2 AS SELECT * FROM fuzz.cls WHERE y IN (0, 1) ORDER BY x1 LIMIT 2`, "2 rows", []string{"y"}},
	{"fuzz.one_class", `CREATE TABLE fuzz.one_class AS SELECT x1, x2, x3, 1 AS y FROM fuzz.cls`, "one class", []string{"y"}},
	{"fuzz.identical", `CREATE TABLE fuzz.identical AS SELECT 1.5::real AS x1, 2.5::real AS x2, 1 AS y FROM generate_series(1, 30)`, "identical rows", []string{"y"}},
	{"fuzz.identical_x", `CREATE TABLE fuzz.identical_x AS SELECT 1.5::real AS x1, 2.5::real AS x2, g % 2 AS y FROM generate_series(1, 30) g`, "identical features, two classes", []string{"y"}},
	{"fuzz.text_label", `CREATE TABLE fuzz.text_label AS SELECT x1, x2, (ARRAY['cat', 'dog', 'bird'])[y + 1] AS y FROM fuzz.cls`, "text labels", []string{"y"}},
	{"fuzz.null_label", `CREATE TABLE fuzz.null_label AS SELECT x1, x2, CASE WHEN x2 > 9 THEN NULL ELSE y END AS y FROM fuzz.cls`, "NULL labels", []string{"y"}},
	{"fuzz.nan_label", `CREATE TABLE fuzz.nan_label AS SELECT x1, x2, CASE WHEN x2 > 9 THEN 'NaN'::real ELSE y END AS y FROM fuzz.reg`, "NaN labels", []string{"y"}},
	{"fuzz.nan_feature", `CREATE TABLE fuzz.nan_feature AS SELECT CASE WHEN x2 > 9 THEN 'NaN'::real ELSE x1 END AS x1, x2, y FROM fuzz.cls`, "NaN features", []string{"y"}},
	{"fuzz.inf_feature", `CREATE TABLE fuzz.inf_feature AS SELECT CASE WHEN x2 > 9 THEN 'Infinity'::real WHEN x2 < 2 THEN '-Infinity' ELSE x1 END AS x1, x2, y FROM fuzz.cls`, "infinite features", []string{"y"}},
	{"fuzz.null_feature", `CREATE TABLE fuzz.null_feature AS SELECT NULL::real AS x1, x2, y FROM fuzz.cls`, "an all-NULL feature", []string{"y"}},
	{"fuzz.big_values", `CREATE TABLE fuzz.big_values AS SELECT (9223372036854775807 - ((x2 * 1000)::bigint % 3) * 1000)::bigint AS big,
		(1e300 * x2::numeric) AS huge, (-9223372036854775807 + (x2 * 10)::bigint)::bigint AS small, y FROM fuzz.cls`, "bigint near 2^63, numeric 1e300", []string{"y"}},
	{"fuzz.text_feature", `CREATE TABLE fuzz.text_feature AS SELECT x1, CASE WHEN x2 > 10 THEN NULL ELSE (ARRAY['red', 'green', 'blue'])[y + 1] END AS color,
		(ARRAY['S', 'M'])[(x2::int % 2) + 1]::varchar(3) AS size, y FROM fuzz.cls`, "text features with NULLs", []string{"y"}},
	{"fuzz.array_feature", `CREATE TABLE fuzz.array_feature AS SELECT ARRAY[x1, x2, x3] AS v, y FROM fuzz.cls`, "real[] feature", []string{"y"}},
	{"fuzz.ragged_array", `CREATE TABLE fuzz.ragged_array AS SELECT CASE WHEN x2 > 8 THEN ARRAY[x1] WHEN x2 > 4 THEN ARRAY[x1, NULL] ELSE ARRAY[x1, x2, x3] END AS v, y FROM fuzz.cls`, "ragged arrays with NULL elements", []string{"y"}},
	{"fuzz.matrix_feature", `CREATE TABLE fuzz.matrix_feature AS SELECT ARRAY[[x1, x2], [x3, x1]] AS m, y FROM fuzz.cls`, "2-D array feature", []string{"y"}},
	{"fuzz.no_features", `CREATE TABLE fuzz.no_features AS SELECT y FROM fuzz.cls`, "labels only", []string{"y"}},
	{"fuzz.many_classes", `CREATE TABLE fuzz.many_classes AS SELECT g::real AS x1, (g % 7)::real AS x2, g AS y FROM generate_series(1, 60) g`, "60 classes", []string{"y"}},
	{"fuzz.unsupported", `CREATE TABLE fuzz.unsupported AS SELECT x1, now() AS t, jsonb_build_object('a', x2) AS j, y FROM fuzz.cls`, "timestamp and jsonb columns", []string{"y"}},
	{`fuzz."We""ird.Table Name"`, `CREATE TABLE fuzz."We""ird.Table Name" AS SELECT x1 AS "x y", x2 AS "a.b", y AS "Y" FROM fuzz.cls`, "quoted names", []string{"Y"}},
	{"fuzz.reg_view", `CREATE VIEW fuzz.reg_view AS SELECT x1, x2, y FROM fuzz.reg WHERE x3 <> 2`, "view", []string{"y"}},
	{"fuzz.cls_matview", `CREATE MATERIALIZED VIEW fuzz.cls_matview AS SELECT * FROM fuzz.cls`, "materialized view", []string{"y"}},
	{"fuzz.parted", `CREATE TABLE fuzz.parted (x1 real, x2 real, y int) PARTITION BY LIST (y);
		CREATE TABLE fuzz.parted_0 PARTITION OF fuzz.parted FOR VALUES IN (0);
		CREATE TABLE fuzz.parted_rest PARTITION OF fuzz.parted DEFAULT;
		INSERT INTO fuzz.parted SELECT x1, x2, y FROM fuzz.cls`, "partitioned table", []string{"y"}},
	{"fuzz.wide", `CREATE TABLE fuzz.wide AS SELECT ` + wideColumns(60) + `, g % 2 AS y FROM generate_series(1, 6) g`, "6 rows × 60 features", []string{"y"}},
	{"fuzz.constant", `CREATE TABLE fuzz.constant AS SELECT 7::real AS x1, 7::real AS x2, g % 2 AS y FROM generate_series(1, 30) g`, "constant features", []string{"y"}},
	{"fuzz.joint", `CREATE TABLE fuzz.joint AS SELECT x1, x2, y, (y * 2 - x1)::real AS y2 FROM fuzz.reg`, "two labels", []string{"y", "y2"}},
}

func wideColumns(n int) string {
	var cols []string
	for i := 1; i <= n; i++ {
		cols = append(cols, fmt.Sprintf("((g * %d) %% 11)::real AS c%d", i+2, i))
	}
	return strings.Join(cols, ", ")
}

// fuzzModel is a fixture model the generated predictions use.
type fuzzModel struct {
	project     string
	id          int64
	task        string
	numFeatures int
	outputs     int       // values per row of predict_joint / decompose
	classes     []float64 // classification labels
	rowSource   string    // the relation and feature columns whose rows fit the row form of predict
	rowColumns  string
}

// fuzzModelSpecs are the fixture trainings; the project names are odd on purpose.
var fuzzModelSpecs = []struct {
	project, train, task, rowSource, rowColumns string
	outputs                                     int
	classes                                     []float64
}{
	{"fuzz reg", `SELECT * FROM pgml.train('fuzz reg', 'regression', 'fuzz.reg', 'y')`, "regression", "fuzz.reg", "x1, x2, x3", 1, nil},
	{"fuzz cls", `SELECT * FROM pgml.train('fuzz cls', 'classification', 'fuzz.cls', 'y', algorithm => 'random_forest', hyperparams => '{"n_estimators": 5}')`,
		"classification", "fuzz.cls", "x1, x2, x3", 1, []float64{0, 1, 2}},
	{"Fuzz 'bin'.\"xgb\"", `SELECT * FROM pgml.train('Fuzz ''bin''."xgb"', 'classification', 'fuzz.bin', 'y', algorithm => 'xgboost', hyperparams => '{"n_estimators": 3}')`,
		"classification", "fuzz.bin", "a, b", 1, []float64{0, 1}},
	{"fuzz clu", `SELECT * FROM pgml.train('fuzz clu', 'clustering', 'fuzz.cls', algorithm => 'kmeans', hyperparams => '{"n_clusters": 3}')`,
		"clustering", "fuzz.cls", "x1, x2, x3, y", 1, nil},
	{"fuzz dec", `SELECT * FROM pgml.train('fuzz dec', 'decomposition', 'fuzz.reg', algorithm => 'pca', hyperparams => '{"n_components": 2}')`,
		"decomposition", "fuzz.reg", "x1, x2, x3, y", 2, nil},
	{"fuzz joint", `SELECT * FROM pgml.train_joint('fuzz joint', 'regression', 'fuzz.joint', ARRAY['y', 'y2'])`, "regression", "fuzz.joint", "x1, x2", 2, nil},
	{"fuzz text", `SELECT * FROM pgml.train('fuzz text', 'classification', 'fuzz.text_feature', 'y', algorithm => 'linear',
		preprocess => '{"color": {"encode": "one_hot", "impute": "mode"}, "size": {"encode": "target"}, "x1": {"scale": "standard"}}')`,
		"classification", "fuzz.text_feature", "x1, color, size", 1, []float64{0, 1, 2}},
	{"fuzz py", `SELECT * FROM pgml.train('fuzz py', 'classification', 'fuzz.cls', 'y', algorithm => 'svm', runtime => 'python', hyperparams => '{"probability": true}')`,
		"classification", "fuzz.cls", "x1, x2, x3", 1, []float64{0, 1, 2}},
}

// fuzzVocab is what the server accepts, read from its own "available options" messages, so
// the generated calls follow the extension as it changes.
type fuzzVocab struct {
	algorithms, tasks, runtimes, samplings, searches, strategies, datasets []string
	nativeByTask                                                           map[string][]string // task -> algorithms of the go runtime
	hyperparams                                                            map[string][]string // algorithm -> native hyperparameter keys
	hyperKeys                                                              []string            // every key above
	preprocessKeys, impute, encode, scale                                  []string
	searchArgs                                                             []string
}

// fuzzFixture is everything the generator draws from.
type fuzzFixture struct {
	relations []fuzzRelation
	models    []fuzzModel
	vocab     fuzzVocab
	dumpDir   string // a directory the server may write to, for dump_all / load_all
}

// createFuzzFixture recreates fuzzDB with the extension, the relations and the models.
func createFuzzFixture(ctx context.Context, conn *pgx.Conn, dumpDir string) (*fuzzFixture, error) {
	fx := &fuzzFixture{dumpDir: dumpDir}
	steps := []string{
		"CREATE EXTENSION pgml",
		"SET client_min_messages = warning",
		"CREATE SCHEMA fuzz",
		"SELECT * FROM pgml.load_dataset('iris')",
	}
	for _, r := range fuzzRelations {
		steps = append(steps, r.create)
	}
	for _, sql := range steps {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return nil, fmt.Errorf("%s: %w", sql, err)
		}
	}
	for _, r := range fuzzRelations {
		rel := fuzzRelation{name: r.name, labels: r.labels, shape: r.shape}
		err := conn.QueryRow(ctx, `SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
			WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, r.name).Scan(&rel.columns)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", r.name, err)
		}
		fx.relations = append(fx.relations, rel)
	}
	for _, m := range fuzzModelSpecs {
		if _, err := conn.Exec(ctx, m.train); err != nil {
			return nil, fmt.Errorf("%s: %w", m.train, err)
		}
		fm := fuzzModel{project: m.project, task: m.task, outputs: m.outputs, classes: m.classes, rowSource: m.rowSource, rowColumns: m.rowColumns}
		err := conn.QueryRow(ctx, `SELECT m.id, m.num_features FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
			WHERE p.name = $1 ORDER BY m.id DESC LIMIT 1`, m.project).Scan(&fm.id, &fm.numFeatures)
		if err != nil {
			return nil, fmt.Errorf("model of %q: %w", m.project, err)
		}
		fx.models = append(fx.models, fm)
	}
	vocab, err := discoverVocab(ctx, conn)
	if err != nil {
		return nil, err
	}
	fx.vocab = *vocab
	return fx, nil
}

// errorText runs sql, which must fail, and returns its message.
func errorText(ctx context.Context, conn *pgx.Conn, sql string) (string, error) {
	_, err := conn.Exec(ctx, sql)
	if err == nil {
		return "", fmt.Errorf("%s succeeded; vocabulary discovery expected an error listing the options", sql)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return "", fmt.Errorf("%s: %w", sql, err)
	}
	return pgErr.Message, nil
}

var (
	optionsList    = regexp.MustCompile(`(?:available options are:|available datasets:|available:|valid keys are|allowed are|allowed keys are|allowed values are) (.*)`)
	quotedOption   = regexp.MustCompile(`"([^"]+)"`)
	trailingRemark = regexp.MustCompile(`\s*\(.*\)|\.$`)
)

// options parses the list at the end of an "available options are: a, b, c" message.
func options(msg string) []string {
	m := optionsList.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	list := trailingRemark.ReplaceAllString(m[1], "")
	if q := quotedOption.FindAllStringSubmatch(list, -1); q != nil {
		var out []string
		for _, s := range q {
			out = append(out, s[1])
		}
		return out
	}
	var out []string
	for _, part := range regexp.MustCompile(`, | and `).Split(list, -1) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func discoverVocab(ctx context.Context, conn *pgx.Conn) (*fuzzVocab, error) {
	v := &fuzzVocab{nativeByTask: map[string][]string{}, hyperparams: map[string][]string{}}
	const base = `SELECT * FROM pgml.train('fuzz vocab', 'regression', 'fuzz.reg', 'y'`
	lists := []struct {
		dst *[]string
		sql string
	}{
		{&v.algorithms, base + `, algorithm => 'fuzz unknown')`},
		{&v.tasks, `SELECT * FROM pgml.train('fuzz vocab', 'fuzz unknown', 'fuzz.reg', 'y')`},
		{&v.runtimes, base + `, runtime => 'fuzz unknown')`},
		{&v.samplings, base + `, test_sampling => 'fuzz unknown')`},
		{&v.searches, base + `, search => 'fuzz unknown', search_params => '{"alpha": [1]}')`},
		{&v.searchArgs, base + `, search_args => '{"fuzz unknown": 1}')`},
		{&v.strategies, `SELECT * FROM pgml.deploy('fuzz reg', 'fuzz unknown')`},
		{&v.datasets, `SELECT * FROM pgml.load_dataset('fuzz unknown')`},
		{&v.preprocessKeys, base + `, preprocess => '{"x1": {"fuzz unknown": 1}}')`},
		{&v.impute, base + `, preprocess => '{"x1": {"impute": "fuzz unknown"}}')`},
		{&v.encode, base + `, preprocess => '{"x1": {"encode": "fuzz unknown"}}')`},
		{&v.scale, base + `, preprocess => '{"x1": {"scale": "fuzz unknown"}}')`},
	}
	for _, l := range lists {
		msg, err := errorText(ctx, conn, l.sql)
		if err != nil {
			return nil, err
		}
		if *l.dst = options(msg); len(*l.dst) == 0 {
			return nil, fmt.Errorf("no options found in the message of %s: %q", l.sql, msg)
		}
	}
	// Native algorithms per task: the go runtime lists them when asked for one it lacks; then
	// each native one lists its hyperparameter keys when given an unknown one.
	relations := map[string]string{"regression": "'fuzz.reg', 'y'", "classification": "'fuzz.cls', 'y'"}
	for _, task := range v.tasks {
		rel, ok := relations[task]
		if !ok {
			rel = "'fuzz.reg'"
		}
		train := func(algorithm string) (string, error) {
			return errorText(ctx, conn, fmt.Sprintf(`SELECT * FROM pgml.train('fuzz vocab %s', %s, %s, algorithm => %s, runtime => 'go', hyperparams => '{"fuzz_unknown_key": 1}')`,
				task, quoteLiteral(task), rel, quoteLiteral(algorithm)))
		}
		for _, algorithm := range v.algorithms {
			msg, err := train(algorithm)
			if err != nil {
				return nil, err
			}
			if strings.Contains(msg, "is not available in the go runtime") {
				v.nativeByTask[task] = options(msg)
				break
			}
		}
		for _, algorithm := range v.nativeByTask[task] {
			msg, err := train(algorithm)
			if err != nil {
				return nil, err
			}
			v.hyperparams[algorithm] = union(v.hyperparams[algorithm], options(msg))
		}
	}
	for _, keys := range v.hyperparams {
		v.hyperKeys = union(v.hyperKeys, keys)
	}
	return v, nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
