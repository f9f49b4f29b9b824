package dashboard

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testDB is dropped and recreated by every run so other users of the cluster are untouched.
const testDB = "pgml_dashboard_test"

// The fixture's projects; the names need escaping in URLs and HTML.
const (
	classificationProject = "iris <flowers> & co"
	regressionProject     = "diabetes progression"
)

// fixtureReady is set by TestMain when the test database holds the fixture.
var fixtureReady bool

func TestMain(m *testing.M) {
	if os.Getenv("PGHOST") != "" {
		if err := createFixture(context.Background()); err != nil {
			fmt.Fprintf(os.Stderr, "dashboard: PGHOST is set but setting up %s failed: %v\n", testDB, err)
			os.Exit(1)
		}
		fixtureReady = true
	}
	os.Exit(m.Run())
}

// testConnString names the test database on the cluster of the PG* variables.
func testConnString(user string) string {
	s := "dbname=" + testDB
	if user != "" {
		s += " user=" + user
	}
	return s
}

// createFixture trains, in a fresh database, a classification project and a regression
// project with three models (one a grid search) and a deploy history of three deployments.
func createFixture(ctx context.Context) error {
	admin, err := pgx.Connect(ctx, "")
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + testDB + " WITH (FORCE)", "CREATE DATABASE " + testDB} {
		if _, err := admin.Exec(ctx, sql); err != nil {
			return err
		}
	}
	conn, err := pgx.Connect(ctx, testConnString(""))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		"CREATE EXTENSION pgml",
		"SELECT * FROM pgml.load_dataset('iris')",
		"SELECT * FROM pgml.load_dataset('diabetes')",
		`SELECT * FROM pgml.train('` + classificationProject + `', 'classification', 'pgml.iris', 'target')`,
		`SELECT * FROM pgml.train('` + regressionProject + `', 'regression', 'pgml.diabetes', 'target', algorithm => 'linear')`,
		`SELECT * FROM pgml.train('` + regressionProject + `', algorithm => 'ridge', search => 'grid', search_params => '{"alpha": [0.1, 10]}')`,
		`SELECT * FROM pgml.train('` + regressionProject + `', algorithm => 'lasso', hyperparams => '{"alpha": 5}', automatic_deploy => false)`,
		`SELECT * FROM pgml.deploy('` + regressionProject + `', 'best_score')`,
		`SELECT * FROM pgml.deploy('` + regressionProject + `', 'most_recent')`,
	} {
		start := time.Now()
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
		if d := time.Since(start); d > 30*time.Second {
			fmt.Fprintf(os.Stderr, "dashboard fixture: %s took %s\n", sql, d)
		}
	}
	return nil
}

// openStore connects to the test database as user ("" for the PG* variables' user), or
// skips the test when there is no cluster.
func openStore(t testing.TB, user string) *Store {
	t.Helper()
	if !fixtureReady {
		t.Skip("no test cluster: set PGHOST etc. (eval \"$(build/cluster.sh env)\")")
	}
	s, err := Open(context.Background(), testConnString(user), 10*time.Second, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// adminConn is a writable connection to the test database, for reading expected values.
func adminConn(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), testConnString(""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
