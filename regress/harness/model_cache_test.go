package harness

import (
	"context"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestCacheDoesNotOutliveItsCatalog: after DROP EXTENSION pgml CASCADE and CREATE EXTENSION
// pgml, model ids restart at 1. No session — neither the one that dropped and re-created the
// extension nor another one, both having cached model 1 by id and its project by name —
// predicts with the dropped model 1.
func TestCacheDoesNotOutliveItsCatalog(t *testing.T) {
	a := connectNewDatabase(t, "pgml_harness_reinstall")
	b := connectTo(t, "pgml_harness_reinstall")
	ctx := context.Background()
	iris := []float32{5.1, 3.5, 1.4, 0.2}
	const both = `SELECT pgml.predict(1::bigint, $1::real[]), pgml.predict('Reinstalled', $1::real[])`

	exec(t, a, `CREATE EXTENSION pgml`)
	exec(t, a, `SELECT * FROM pgml.load_dataset('iris')`)
	exec(t, a, `SELECT * FROM pgml.train('Reinstalled', 'classification', 'pgml.iris', 'target')`)
	for name, conn := range map[string]*pgx.Conn{"dropping session": a, "other session": b} {
		var byID, byName float32
		if err := conn.QueryRow(ctx, both, iris).Scan(&byID, &byName); err != nil {
			t.Fatalf("%s, first extension: %v", name, err)
		}
		if byID != 0 || byName != 0 {
			t.Fatalf("%s, first extension: iris classifier predicts %v by id and %v by name for a setosa, want class 0", name, byID, byName)
		}
	}

	exec(t, a, `DROP EXTENSION pgml CASCADE`)
	exec(t, a, `CREATE EXTENSION pgml`)
	// Same project name, same width, and a model that answers 42 whatever the features.
	exec(t, a, `CREATE TABLE answer AS SELECT random()::real a, random()::real b, random()::real c, random()::real d,
		42::real y FROM generate_series(1, 100)`)
	exec(t, a, `SELECT * FROM pgml.train('Reinstalled', 'regression', 'answer', 'y', algorithm => 'linear')`)
	var id int64
	if err := a.QueryRow(ctx, `SELECT max(id) FROM pgml.models`).Scan(&id); err != nil || id != 1 {
		t.Fatalf("the new extension's model has id %d (%v), want 1: the test would not reuse an id", id, err)
	}
	c := connectTo(t, "pgml_harness_reinstall")
	for name, conn := range map[string]*pgx.Conn{"dropping session": a, "other session": b, "new session": c} {
		var byID, byName float32
		if err := conn.QueryRow(ctx, both, iris).Scan(&byID, &byName); err != nil {
			t.Fatalf("%s, new extension: %v", name, err)
		}
		if math.Abs(float64(byID)-42) > 0.01 || math.Abs(float64(byName)-42) > 0.01 {
			t.Errorf("%s after DROP/CREATE EXTENSION: predict(1) = %v, predict('Reinstalled') = %v, want the new model's 42", name, byID, byName)
		}
		var cached int
		var algorithm string
		if err := conn.QueryRow(ctx, `SELECT count(*), min(algorithm) FROM pgml.model_cache()`).Scan(&cached, &algorithm); err != nil {
			t.Fatal(err)
		}
		if cached != 1 || algorithm != "linear" {
			t.Errorf("%s: pgml.model_cache() holds %d models (first: %s), want only the new linear model", name, cached, algorithm)
		}
	}
}

// connectNewDatabase creates db afresh (dropped again when the test ends) and connects to it.
func connectNewDatabase(t *testing.T, db string) *pgx.Conn {
	t.Helper()
	admin := connect(t)
	exec(t, admin, `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`)
	exec(t, admin, `CREATE DATABASE `+db)
	t.Cleanup(func() {
		ctx := context.Background()
		if c, err := pgx.Connect(ctx, ""); err == nil {
			_, _ = c.Exec(ctx, `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`)
			c.Close(ctx)
		}
	})
	return connectTo(t, db)
}

func connectTo(t *testing.T, db string) *pgx.Conn {
	t.Helper()
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = db
	return connectConfig(t, cfg)
}

// TestModelCacheBound: with pgml.model_cache_size set, a backend keeps at most that much between
// statements, least recently used models leave first, a model larger than the bound serves its
// statement and is gone afterwards, and the memory of dropped models goes back to the OS.
func TestModelCacheBound(t *testing.T) {
	ctx := context.Background()
	setup := connect(t)
	exec(t, setup, `SELECT setseed(0.125)`)
	exec(t, setup, `CREATE TABLE IF NOT EXISTS cache_data AS
		SELECT random()::real a, random()::real b, random()::real c, random()::real d, (random() * 10)::real y
		FROM generate_series(1, 1000000)`)
	exec(t, setup, `CREATE OR REPLACE VIEW cache_small AS SELECT * FROM cache_data LIMIT 1000`)
	for _, p := range []string{"Cache A", "Cache B", "Cache C"} {
		exec(t, setup, `SELECT * FROM pgml.train($1, 'regression', 'cache_small', 'y', algorithm => 'ridge')`, p)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		_, _ = setup.Exec(ctx, `DELETE FROM pgml.projects WHERE name LIKE 'Cache %'`)
		_, _ = setup.Exec(ctx, `DROP TABLE cache_data CASCADE`)
	})
	// knn keeps its training rows: 1,000,000 × 4 values, about 32 MB.
	exec(t, setup, `SELECT * FROM pgml.train('Cache Big', 'regression', 'cache_data', 'y', algorithm => 'knn',
		test_size => 0.0001, test_sampling => 'last')`)

	conn := connect(t)
	predict := func(project string) {
		t.Helper()
		exec(t, conn, `SELECT pgml.predict($1::text, ARRAY[0.5, 0.5, 0.5, 0.5]::real[])`, project)
	}
	cached := func() (projects []string, total int64) {
		t.Helper()
		rows, err := conn.Query(ctx, `SELECT project, bytes FROM pgml.model_cache()`)
		if err != nil {
			t.Fatal(err)
		}
		var project string
		var bytes int64
		_, err = pgx.ForEachRow(rows, []any{&project, &bytes}, func() error {
			projects, total = append(projects, project), total+bytes
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return projects, total
	}

	predict("Cache A")
	_, small := cached()
	// Room for two small models, not three.
	bound := small * 5 / 2
	exec(t, conn, `SET pgml.model_cache_size = `+strconv.FormatInt((bound+1023)/1024, 10))
	predict("Cache A")
	predict("Cache B")
	predict("Cache C")
	if projects, total := cached(); len(projects) != 2 || projects[0] != "Cache C" || projects[1] != "Cache B" || total > bound {
		t.Errorf("after A, B, C with room for two: cache holds %v (%d bytes), want [Cache C Cache B] within %d bytes", projects, total, bound)
	}

	// The knn model alone is far larger than the bound: it serves its statement, it is dropped
	// when the transaction ends, and its memory leaves the backend.
	pid := backendPID(t, conn)
	exec(t, conn, `BEGIN`)
	predict("Cache Big")
	var big int64
	if err := conn.QueryRow(ctx, `SELECT coalesce(sum(bytes), 0) FROM pgml.model_cache() WHERE project = 'Cache Big'`).Scan(&big); err != nil {
		t.Fatal(err)
	}
	loaded := residentKB(t, pid)
	exec(t, conn, `COMMIT`)
	dropped := residentKB(t, pid)
	t.Logf("large model: %d bytes estimated; backend private memory %d kB while cached, %d kB after it was dropped", big, loaded, dropped)
	if big < 30<<20 {
		t.Errorf("the knn model of 1,000,000 × 4 values is estimated at %d bytes, want at least 30 MB", big)
	}
	if projects, _ := cached(); slices.Contains(projects, "Cache Big") {
		t.Errorf("the model larger than pgml.model_cache_size stayed cached after its transaction: %v", projects)
	}
	if (loaded-dropped)*1024 < big/2 {
		t.Errorf("dropping a model of %d bytes lowered the backend's private memory by only %d kB", big, loaded-dropped)
	}
	// Dropped models are loaded again when needed.
	predict("Cache A")
	predict("Cache Big")
}

var rssAnon = regexp.MustCompile(`RssAnon:\s+(\d+) kB`)

// residentKB reads a backend's private resident memory (the server runs on this machine):
// RssAnon, which leaves out the pages of shared buffers the backend touched.
func residentKB(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("reading the backend's memory: %v", err)
	}
	m := rssAnon.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no RssAnon in /proc/%d/status", pid)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb
}
