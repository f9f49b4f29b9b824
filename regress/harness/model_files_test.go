package harness

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// The first predict of a connection reads the model's rows of pgml.files through the tables'
// indexes in C (extension/shim_model_files.c) rather than with SQL. These tests load, in new
// connections, models whose files take the paths that reader must get right: a file stored
// in several parts, values stored compressed (as rows written before 0.3.0 are), a model id
// that does not exist, and rows changed behind pgml's back.

// firstPredictions predicts every row of pgml.diabetes with model in a new connection, whose
// first statement it is.
func firstPredictions(t *testing.T, model int64) []float64 {
	t.Helper()
	conn := connect(t)
	defer conn.Close(context.Background())
	var got []float64
	if err := conn.QueryRow(context.Background(), `SELECT array_agg(pgml.predict($1::bigint, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) ORDER BY id)
		FROM (SELECT row_number() OVER () AS id, * FROM pgml.diabetes) d`, model).Scan(&got); err != nil {
		t.Fatalf("first predict of model %d in a new connection: %v", model, err)
	}
	return got
}

func sameFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%s: %d predictions, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: prediction %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

func newestModel(t *testing.T, project string) int64 {
	t.Helper()
	conn := connect(t)
	defer conn.Close(context.Background())
	var id int64
	if err := conn.QueryRow(context.Background(), `SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
		WHERE p.name = $1 ORDER BY m.id DESC LIMIT 1`, project).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestFirstPredictReadsMultipartAndCompressedFiles(t *testing.T) {
	ctx := context.Background()
	conn := connect(t)
	exec(t, conn, `SELECT * FROM pgml.load_dataset('diabetes')`)
	// knn keeps its training rows: 400,000 rows of 10 features make a file of more than
	// 16 MB, which pgml stores in parts (lifecycle/integrity.go, filePartBytes).
	exec(t, conn, `DROP TABLE IF EXISTS harness_knn_rows`)
	exec(t, conn, `CREATE TABLE harness_knn_rows AS SELECT (age + i * 1e-7)::real AS age, sex, bmi, bp, s1, s2, s3, s4, s5, s6, target
		FROM pgml.diabetes, generate_series(1, 905) AS i`)
	exec(t, conn, `SELECT * FROM pgml.train('Harness multipart', 'regression', 'harness_knn_rows', 'target', algorithm => 'knn',
		test_size => 0.001, automatic_deploy => false)`)
	multipart := newestModel(t, "Harness multipart")
	var parts int
	if err := conn.QueryRow(ctx, `SELECT max(part) + 1 FROM pgml.files WHERE model_id = $1`, multipart).Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if parts < 2 {
		t.Fatalf("the knn model's largest file has %d part(s): the test needs one stored in several", parts)
	}
	var want []float64
	if err := conn.QueryRow(ctx, `SELECT array_agg(pgml.predict($1::bigint, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) ORDER BY id)
		FROM (SELECT row_number() OVER () AS id, * FROM pgml.diabetes) d`, multipart).Scan(&want); err != nil {
		t.Fatal(err)
	}
	sameFloats(t, "multi-part knn in a new connection", firstPredictions(t, multipart), want)

	// Compressed values: the bytes (and so their digests) stay the same, stored with pglz as
	// 0.1.0 stored them; such a value is read whole rather than in slices.
	exec(t, conn, `SELECT * FROM pgml.train('Harness compressed', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', automatic_deploy => false)`)
	compressed := newestModel(t, "Harness compressed")
	before := firstPredictions(t, compressed)
	exec(t, conn, `ALTER TABLE pgml.files ALTER COLUMN data SET STORAGE EXTENDED`)
	defer exec(t, conn, `ALTER TABLE pgml.files ALTER COLUMN data SET STORAGE EXTERNAL`)
	exec(t, conn, `UPDATE pgml.files SET data = '\x'::bytea || data WHERE model_id = $1`, compressed)
	var pipelineCompressed bool
	if err := conn.QueryRow(ctx, `SELECT pg_column_compression(data) IS NOT NULL FROM pgml.files
		WHERE model_id = $1 AND path = 'preprocess.pgml'`, compressed).Scan(&pipelineCompressed); err != nil || !pipelineCompressed {
		t.Fatalf("the rewritten preprocessing file of model %d is not stored compressed (%v)", compressed, err)
	}
	sameFloats(t, "compressed files in a new connection", firstPredictions(t, compressed), before)

	// A model that does not exist, as the first statement of a connection.
	fresh := connect(t)
	defer fresh.Close(ctx)
	_, err := fresh.Exec(ctx, `SELECT pgml.predict(-1::bigint, ARRAY[1, 2, 3]::real[])`)
	if sqlState(err) != "42704" {
		t.Fatalf("first predict from a missing model: %v (SQLSTATE %s), want 42704", err, sqlState(err))
	}

	// Rows changed outside pgml are refused by the first load of a connection too.
	exec(t, conn, `UPDATE pgml.files SET data = data || '\x00'::bytea WHERE model_id = $1 AND path = 'estimator.pgml'`, compressed)
	tampered := connect(t)
	defer tampered.Close(ctx)
	_, err = tampered.Exec(ctx, fmt.Sprintf(`SELECT pgml.predict(%d::bigint, ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]::real[])`, compressed))
	if sqlState(err) != "XX001" {
		t.Fatalf("first predict from a tampered model: %v (SQLSTATE %s), want XX001 (data corrupted)", err, sqlState(err))
	}
	exec(t, conn, `DROP TABLE harness_knn_rows`)
}

// goStartNotice is the DEBUG1 line of pgml_start_go (extension/shim_boundary.c).
const goStartNotice = "pgml: first call into Go in this backend"

// TestLoadDoesNotWaitForGo: LOAD 'pgml' returns without calling into Go, so a backend's first
// statement does PostgreSQL's part while Go's runtime starts (docs/native-inference.md, "The
// first predict of a connection"); the first pgml function that needs Go starts it, once.
func TestLoadDoesNotWaitForGo(t *testing.T) {
	if os.Getenv("PGHOST") == "" {
		t.Skip("PGHOST is not set")
	}
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	started := 0
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if n.Message == goStartNotice {
			mu.Lock()
			started++
			mu.Unlock()
		}
	}
	trainer := connect(t)
	exec(t, trainer, `SELECT * FROM pgml.load_dataset('diabetes')`)
	exec(t, trainer, `SELECT * FROM pgml.train('Harness load', 'regression', 'pgml.diabetes', 'target', algorithm => 'linear')`)
	model := newestModel(t, "Harness load")

	conn := connectConfig(t, cfg)
	count := func() int { mu.Lock(); defer mu.Unlock(); return started }
	exec(t, conn, `SET client_min_messages = debug1`)
	exec(t, conn, `LOAD 'pgml'`)
	exec(t, conn, `SET pgml.model_cache_size = '64MB'`)
	if n := count(); n != 0 {
		t.Fatalf("LOAD 'pgml' (or setting pgml.model_cache_size) called into Go: %d notice(s) %q", n, goStartNotice)
	}
	exec(t, conn, fmt.Sprintf(`SELECT pgml.predict(%d::bigint, ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]::real[])`, model))
	exec(t, conn, `SELECT pgml.version()`)
	if n := count(); n != 1 {
		t.Fatalf("after a predict and pgml.version(), %d notice(s) %q, want exactly 1", n, goStartNotice)
	}
	// The cache size set before Go ran reached Go when it started: the model stays cached
	// after its statement (Go's own limit before it is told is 0, which drops it).
	var cached int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pgml.model_cache() WHERE model_id = $1`, model).Scan(&cached); err != nil || cached != 1 {
		t.Fatalf("model %d cached %d time(s) after its predict (%v): pgml.model_cache_size did not reach Go", model, cached, err)
	}
}
