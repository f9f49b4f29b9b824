// Package harness tests the installed pgml extension across several live sessions of a
// running PostgreSQL server: deployment visibility between sessions, cancellation of long
// training, signal masks of the Go threads, and concurrent predictions.
//
// Run from the repository root against a cluster whose libpq environment (PGHOST, PGPORT, ...)
// is set:
//
//	eval "$(build/cluster.sh env)" && go test -count=1 ./regress/...
package harness

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// harnessDB is dropped and recreated by every run so other users of the cluster are untouched.
const harnessDB = "pgml_harness"

// project has two linear regression models that predict differently (see createTwoModels).
const project = "P"

// probe is a feature vector for which model 1 and model 2 of project predict differently.
var probe = []float32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

// Filled by TestMain once the fixture exists.
var (
	model1, model2           int64   // ids of the two models of project
	model1Probe, model2Probe float32 // their predictions for probe
)

func TestMain(m *testing.M) {
	if os.Getenv("PGHOST") == "" {
		// Every test skips on its own (see connect); nothing to set up.
		os.Exit(m.Run())
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, "")
	if err != nil {
		fmt.Fprintf(os.Stderr, "harness: PGHOST is set but connecting failed: %v\n", err)
		os.Exit(1)
	}
	// A backend crash makes the postmaster reinitialise, but pg_postmaster_start_time only
	// changes on a full restart; either way the admin connection would be gone at the end.
	startTime := postmasterStartTime(ctx, admin)

	if err := createFixture(ctx, admin); err != nil {
		fmt.Fprintf(os.Stderr, "harness: setting up %s: %v\n", harnessDB, err)
		os.Exit(1)
	}

	code := m.Run()

	admin, err = pgx.Connect(ctx, "") // a fresh connection: the old one may have died with a crash
	if err != nil {
		fmt.Fprintf(os.Stderr, "harness: server unreachable after the tests: %v\n", err)
		os.Exit(1)
	}
	defer admin.Close(ctx)
	if endTime := postmasterStartTime(ctx, admin); !endTime.Equal(startTime) {
		fmt.Fprintf(os.Stderr, "harness: FAIL: the server restarted during the tests (pg_postmaster_start_time %s -> %s)\n",
			startTime.Format(time.RFC3339Nano), endTime.Format(time.RFC3339Nano))
		os.Exit(1)
	}
	os.Exit(code)
}

func postmasterStartTime(ctx context.Context, conn *pgx.Conn) time.Time {
	var t time.Time
	if err := conn.QueryRow(ctx, "SELECT pg_postmaster_start_time()").Scan(&t); err != nil {
		fmt.Fprintf(os.Stderr, "harness: reading pg_postmaster_start_time: %v\n", err)
		os.Exit(1)
	}
	return t
}

// createFixture recreates harnessDB with the diabetes dataset and project's two models,
// model 1 deployed.
func createFixture(ctx context.Context, admin *pgx.Conn) error {
	for _, sql := range []string{
		"DROP DATABASE IF EXISTS " + harnessDB + " WITH (FORCE)",
		"CREATE DATABASE " + harnessDB,
	} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			return err
		}
	}
	cfg, err := harnessConfig()
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		"CREATE EXTENSION IF NOT EXISTS pgml",
		"SELECT * FROM pgml.load_dataset('diabetes')",
		"SELECT * FROM pgml.train('" + project + "', 'regression', 'pgml.diabetes', 'target')",
		// Same data with s6 zeroed: a second model whose predictions differ from the first.
		"CREATE VIEW d2 AS SELECT age, sex, bmi, bp, s1, s2, s3, s4, s5, s6 * 0 AS s6, target FROM pgml.diabetes",
		"SELECT * FROM pgml.train('" + project + "', relation_name => 'd2', y_column_name => 'target', automatic_deploy => false)",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	err = conn.QueryRow(ctx, `SELECT min(m.id), max(m.id) FROM pgml.models m
		JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = $1`, project).Scan(&model1, &model2)
	if err != nil {
		return err
	}
	err = conn.QueryRow(ctx, "SELECT pgml.predict($1::bigint, $3::real[]), pgml.predict($2::bigint, $3::real[])",
		model1, model2, probe).Scan(&model1Probe, &model2Probe)
	if err != nil {
		return err
	}
	if model1Probe == model2Probe {
		return fmt.Errorf("models %d and %d both predict %v for %v: the tests could not tell them apart",
			model1, model2, model1Probe, probe)
	}
	return nil
}
