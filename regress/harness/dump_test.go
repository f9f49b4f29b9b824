package harness

import (
	"bytes"
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestDumpRestore dumps a database holding models with pg_dump, restores it into another
// database of the same cluster and checks that its models still verify and predict the same,
// that the restored snapshot and dataset tables depend on the extension again (DROP EXTENSION
// refuses), and that a dump whose model bytes were altered is refused when the model loads.
func TestDumpRestore(t *testing.T) {
	ctx := context.Background()
	const source, restored, tampered = "pgml_harness_dump", "pgml_harness_restored", "pgml_harness_tampered"
	src := scratchDatabase(t, source)
	bindir := postgresBindir(t)
	exec(t, src, `CREATE EXTENSION pgml`)
	exec(t, src, `SELECT * FROM pgml.load_dataset('diabetes')`)
	exec(t, src, `SELECT * FROM pgml.train('Dumped', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true)`)
	exec(t, src, `SELECT * FROM pgml.train('Dumped', algorithm => 'ridge', automatic_deploy => false)`)
	const predict = `SELECT array_agg(pgml.predict(m.id, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) ORDER BY m.id, d.bmi)
		FROM pgml.models m, (SELECT * FROM pgml.diabetes ORDER BY bmi LIMIT 5) d`
	want := queryString(t, src, predict)

	dir := t.TempDir()
	custom := filepath.Join(dir, "models.dump")
	run(t, filepath.Join(bindir, "pg_dump"), "-Fc", "-f", custom, "-d", source)
	dst := scratchDatabase(t, restored)
	run(t, filepath.Join(bindir, "pg_restore"), "--exit-on-error", "-d", restored, custom)

	if got := queryString(t, dst, predict); got != want {
		t.Fatalf("predictions after pg_restore into another database:\n got %s\nwant %s", got, want)
	}
	if n := queryString(t, dst, `SELECT count(*) FROM pgml.verify_models()`); n != "0" {
		t.Fatalf("%s rows of pgml.files do not verify after an intact dump and restore", n)
	}
	_, err := dst.Exec(ctx, `DROP EXTENSION pgml`)
	if sqlState(err) != "2BP01" || !strings.Contains(err.Error(), "cannot drop extension pgml") {
		t.Fatalf("DROP EXTENSION in the restored database gave %v, want a refusal naming the snapshot and dataset tables", err)
	}
	var detail string
	if err := dst.QueryRow(ctx, `SELECT string_agg(objid::regclass::text, ', ' ORDER BY objid::regclass::text) FROM pg_depend
		WHERE refclassid = 'pg_extension'::regclass AND deptype = 'n' AND classid = 'pg_class'::regclass`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, "pgml.diabetes") || !regexp.MustCompile(`pgml\.snapshot_[0-9]+`).MatchString(detail) {
		t.Fatalf("restored tables depending on the extension: %q, want pgml.diabetes and the snapshot table", detail)
	}

	// A plain dump whose estimator bytes were changed: the rows restore, the model is refused.
	plain := filepath.Join(dir, "models.sql")
	run(t, filepath.Join(bindir, "pg_dump"), "-Fp", "-f", plain, "-d", source)
	dump, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	altered, changed := alterEstimatorBytes(dump)
	if changed == 0 {
		t.Fatalf("found no estimator row to alter in the COPY data of pgml.files:\n%s", dump)
	}
	if err := os.WriteFile(plain, altered, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := scratchDatabase(t, tampered)
	run(t, filepath.Join(bindir, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", tampered, "-f", plain)
	if n := queryString(t, bad, `SELECT count(*) FILTER (WHERE problem = 'digest mismatch') FROM pgml.verify_models()`); n != "2" {
		t.Fatalf("verify_models() found %s altered rows, want the 2 estimators", n)
	}
	_, err = bad.Exec(ctx, `SELECT pgml.predict('Dumped', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])`)
	if sqlState(err) != "XX001" || !strings.Contains(err.Error(), "was not written by pgml on this cluster") {
		t.Fatalf("predict from a tampered dump gave %v, want the XX001 refusal", err)
	}
}

// alterEstimatorBytes flips one hex digit of the data of every estimator row in the COPY
// block of pgml.files of a plain-format dump, leaving the digests as they were.
func alterEstimatorBytes(dump []byte) ([]byte, int) {
	lines := bytes.Split(dump, []byte("\n"))
	inFiles, changed := false, 0
	for i, line := range lines {
		switch {
		case bytes.HasPrefix(line, []byte("COPY pgml.files ")):
			inFiles = true
		case inFiles && bytes.Equal(line, []byte(`\.`)):
			inFiles = false
		case inFiles:
			fields := bytes.Split(line, []byte("\t"))
			// id, model_id, path, part, data (\\x...), created_at, updated_at, digest
			if len(fields) < 5 || !bytes.HasPrefix(fields[2], []byte("estimator.")) || len(fields[4]) < 40 {
				continue
			}
			data := fields[4]
			if data[30] == '0' {
				data[30] = '1'
			} else {
				data[30] = '0'
			}
			lines[i] = bytes.Join(fields, []byte("\t"))
			changed++
		}
	}
	return bytes.Join(lines, []byte("\n")), changed
}

// postgresBindir is the bin directory of the installation `make install` used.
func postgresBindir(t *testing.T) string {
	t.Helper()
	pgConfig := os.Getenv("PG_CONFIG")
	if pgConfig == "" {
		pgConfig = "pg_config"
	}
	out, err := osexec.Command(pgConfig, "--bindir").Output()
	if err != nil {
		t.Skipf("pg_config not available: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := osexec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
}

// scratchDatabase creates database db afresh (dropped again when the test ends) and connects
// to it.
func scratchDatabase(t *testing.T, db string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	admin := connect(t)
	exec(t, admin, `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`)
	exec(t, admin, `CREATE DATABASE `+db)
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, ""); err == nil {
			_, _ = c.Exec(ctx, `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`)
			c.Close(ctx)
		}
	})
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = db
	return connectConfig(t, cfg)
}

func queryString(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	var s string
	if err := conn.QueryRow(context.Background(), "SELECT ("+sql+")::text").Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}
