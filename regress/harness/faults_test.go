package harness

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgml-go/pgml/algorithms/faults"
)

// faultCases make each fault point of algorithms/faults fire (pgml.inject_fault) through
// a statement that reaches it, with the SQLSTATE the user must see.
var faultCases = map[string]struct {
	sql   string
	state string
}{
	faults.WorkerPanic: {`SELECT * FROM pgml.train('Faults', 'classification', 'pgml.iris', 'target',
		algorithm => 'random_forest', automatic_deploy => false)`, "XX000"},
	faults.ExportPanic:  {`SELECT * FROM pgml.deploy('Faults', 'most_recent')`, "XX000"},
	faults.CHelperError: {`SELECT * FROM pgml.train('Faults', 'classification', 'pgml.iris', 'target', automatic_deploy => false)`, "XX000"},
	faults.XGBoostLoad: {`SELECT * FROM pgml.train('Faults', 'classification', 'pgml.iris', 'target',
		algorithm => 'xgboost', automatic_deploy => false)`, "0A000"},
	faults.PythonBridge: {`SELECT * FROM pgml.train('Faults', 'classification', 'pgml.iris', 'target',
		algorithm => 'ridge', runtime => 'python', automatic_deploy => false)`, "0A000"},
}

// TestInjectedFaults: every fault point ends in a clean ERROR naming the fault, the session
// runs its next statement, and nothing of the failed statement is left (the harness checks
// at the end that the server did not restart).
func TestInjectedFaults(t *testing.T) {
	for _, name := range faults.Names {
		t.Run(name, func(t *testing.T) {
			c, ok := faultCases[name]
			if !ok {
				t.Fatalf("fault %q has no case in faultCases", name)
			}
			conn := connect(t)
			pid := backendPID(t, conn)
			exec(t, conn, "SELECT * FROM pgml.load_dataset('iris')")
			exec(t, conn, `SELECT * FROM pgml.train('Faults', 'classification', 'pgml.iris', 'target')`)
			models := countModels(t, conn)
			exec(t, conn, "SET pgml.inject_fault = '"+name+"'")
			_, err := conn.Exec(context.Background(), c.sql)
			exec(t, conn, "RESET pgml.inject_fault")
			var pgErr *pgconn.PgError
			if !errorsAs(err, &pgErr) {
				t.Fatalf("with %s: %v, want an ERROR", name, err)
			}
			t.Logf("%s: %s %s", name, pgErr.Code, pgErr.Message)
			if pgErr.Code != c.state || !strings.Contains(pgErr.Message, "injected fault "+name) {
				t.Errorf("with %s: SQLSTATE %s %q, want %s naming the fault", name, pgErr.Code, pgErr.Message, c.state)
			}
			if pgErr.Code == "XX000" && pgErr.Hint == "" && name != faults.CHelperError {
				t.Errorf("an internal error without a hint: %q", pgErr.Message)
			}
			expectSessionUsable(t, conn, pid)
			if got := countModels(t, conn); got != models {
				t.Errorf("the failed statement left %d models, had %d", got, models)
			}
			// The same session works normally once the fault is off.
			if _, err := conn.Exec(context.Background(), c.sql); err != nil && name != faults.PythonBridge {
				t.Errorf("after RESET pgml.inject_fault: %v", err)
			}
		})
	}
}

func countModels(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pgml.models").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
