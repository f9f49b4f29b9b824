package harness

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// harnessConfig is the libpq environment (PGHOST, PGPORT, ...) pointed at harnessDB.
func harnessConfig() (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig("")
	if err != nil {
		return nil, err
	}
	cfg.Database = harnessDB
	return cfg, nil
}

// connect opens a session on harnessDB, closed when the test ends. Without PGHOST the test is
// skipped; with PGHOST set, an unreachable server is a failure, not a skip.
func connect(t testing.TB) *pgx.Conn {
	t.Helper()
	if os.Getenv("PGHOST") == "" {
		t.Skip("PGHOST is not set: run with a cluster's environment, e.g. eval \"$(build/cluster.sh env)\"")
	}
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatalf("parsing the libpq environment: %v", err)
	}
	return connectConfig(t, cfg)
}

func connectConfig(t testing.TB, cfg *pgx.ConnConfig) *pgx.Conn {
	t.Helper()
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("connecting to %s: %v", harnessDB, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func exec(t testing.TB, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func deploy(t testing.TB, conn *pgx.Conn, modelID int64) {
	t.Helper()
	exec(t, conn, "SELECT * FROM pgml.deploy($1::bigint)", modelID)
}

// servingModel predicts probe through the project's deployment and says which model answered.
func servingModel(t testing.TB, conn *pgx.Conn) int64 {
	t.Helper()
	var got float32
	err := conn.QueryRow(context.Background(), "SELECT pgml.predict($1::text, $2::real[])", project, probe).Scan(&got)
	if err != nil {
		t.Fatalf("predict(%q): %v", project, err)
	}
	switch got {
	case model1Probe:
		return model1
	case model2Probe:
		return model2
	}
	t.Fatalf("predict(%q) = %v: neither model %d (%v) nor model %d (%v)",
		project, got, model1, model1Probe, model2, model2Probe)
	return 0
}

// expectServing fails unless conn's next predict on project is answered by model want.
func expectServing(t testing.TB, conn *pgx.Conn, who string, want int64) {
	t.Helper()
	if got := servingModel(t, conn); got != want {
		t.Errorf("%s: predict(%q) used model %d, want model %d", who, project, got, want)
	}
}

func backendPID(t testing.TB, conn *pgx.Conn) int {
	t.Helper()
	var pid int
	if err := conn.QueryRow(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	return pid
}

// sqlState is the SQLSTATE of a server error, or "" for any other error.
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
