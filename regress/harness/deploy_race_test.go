package harness

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// latestDeployment is the deployment of project that the enclosing statement's snapshot sees.
const latestDeployment = `(SELECT d.id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
	WHERE p.name = 'P' ORDER BY d.id DESC LIMIT 1)`

// predictWithDeployment predicts probe by project name and reads, in the same statement, the
// deployment row and its model: both under one snapshot.
const predictWithDeployment = `SELECT pgml.predict('P', $1::real[]), d.id, d.model_id
	FROM pgml.deployments d WHERE d.id = ` + latestDeployment

// raceStatements is how many statements each kind of predicting session runs.
const raceStatements = 1500

// Predict by name uses exactly the deployment its statement's snapshot sees: while two sessions
// deploy model 1 and model 2 back and forth, every statement of the predicting sessions, in
// autocommit, in read-committed and repeatable-read transactions and in a PL/pgSQL loop (whose
// statements take new snapshots within one top-level statement), predicts with the model of
// the deployment row the same statement reads. (Before the deployment was read with the
// statement's snapshot, invalidations that arrive after a commit is visible made a few
// statements in a thousand predict with another model.)
func TestPredictByNameUsesTheStatementsDeployment(t *testing.T) {
	ctx := context.Background()
	setup := connect(t)
	exec(t, setup, `CREATE OR REPLACE FUNCTION race_loop(n int, probe real[])
		RETURNS TABLE (before bigint, predicted real, after bigint) LANGUAGE plpgsql AS $$
		BEGIN
			FOR i IN 1..n LOOP
				before := `+latestDeployment+`;
				predicted := pgml.predict('P', probe); -- a simple expression: its call site lives on
				after := `+latestDeployment+`;
				RETURN NEXT;
			END LOOP;
		END $$`)
	probes := map[int64]float32{model1: model1Probe, model2: model2Probe}

	var (
		stop        = make(chan struct{})
		deploys     atomic.Int64
		failures    = make(chan string, 100)
		deployersWG sync.WaitGroup
	)
	fail := func(format string, args ...any) {
		select {
		case failures <- fmt.Sprintf(format, args...):
		default:
		}
	}
	for d := 0; d < 2; d++ {
		deployer := connect(t)
		deployersWG.Add(1)
		go func(d int) {
			defer deployersWG.Done()
			for i := d; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := []int64{model1, model2}[i%2]
				if _, err := deployer.Exec(ctx, "SELECT * FROM pgml.deploy($1::bigint)", id); err != nil {
					fail("deploy(%d): %v", id, err)
					return
				}
				deploys.Add(1)
			}
		}(d)
	}

	var statements, mismatches, skipped atomic.Int64
	check := func(who string, predicted float32, deployment, model int64) {
		statements.Add(1)
		if predicted != probes[model] {
			mismatches.Add(1)
			fail("%s: predict('P') = %v under deployment %d of model %d, which predicts %v", who, predicted, deployment, model, probes[model])
		}
	}
	// single runs statements alone or in transaction blocks of isolation (empty: autocommit).
	single := func(conn *pgx.Conn, isolation string) error {
		for n := 0; n < raceStatements; {
			if isolation != "" {
				if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL "+isolation); err != nil {
					return err
				}
			}
			for k := 0; k < 5 && n < raceStatements; k, n = k+1, n+1 {
				var predicted float32
				var deployment, model int64
				if err := conn.QueryRow(ctx, predictWithDeployment, probe).Scan(&predicted, &deployment, &model); err != nil {
					return err
				}
				check(sessionKind(isolation), predicted, deployment, model)
			}
			if isolation != "" {
				if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
					return err
				}
			}
		}
		return nil
	}
	loop := func(conn *pgx.Conn) error {
		for n := 0; n < raceStatements; n += 100 {
			rows, err := conn.Query(ctx, "SELECT before, predicted, after FROM race_loop(100, $1::real[])", probe)
			if err != nil {
				return err
			}
			var before, after int64
			var predicted float32
			_, err = pgx.ForEachRow(rows, []any{&before, &predicted, &after}, func() error {
				if before != after {
					skipped.Add(1) // a deploy committed between the reads: nothing to compare
					return nil
				}
				var model int64
				if err := setup.QueryRow(ctx, "SELECT model_id FROM pgml.deployments WHERE id = $1", before).Scan(&model); err != nil {
					return err
				}
				check("PL/pgSQL loop", predicted, before, model)
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	}

	var predictorsWG sync.WaitGroup
	for _, run := range []func(*pgx.Conn) error{
		func(c *pgx.Conn) error { return single(c, "") },
		func(c *pgx.Conn) error { return single(c, "READ COMMITTED") },
		func(c *pgx.Conn) error { return single(c, "REPEATABLE READ") },
		loop,
	} {
		conn := connect(t)
		predictorsWG.Add(1)
		go func() {
			defer predictorsWG.Done()
			if err := run(conn); err != nil {
				fail("predicting session: %v", err)
			}
		}()
	}
	predictorsWG.Wait()
	close(stop)
	deployersWG.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	t.Logf("%d statements compared (%d loop iterations straddled a deploy), %d deploys meanwhile, %d mismatches",
		statements.Load(), skipped.Load(), deploys.Load(), mismatches.Load())
	if deploys.Load() < 100 {
		t.Errorf("only %d deploys ran during the predictions: the race was not exercised", deploys.Load())
	}
}

func sessionKind(isolation string) string {
	if isolation == "" {
		return "autocommit"
	}
	return strings.ToLower(isolation)
}

// A project renamed or deleted by another session is seen by this session's next statement,
// also inside an open read-committed transaction whose earlier statements predicted by name.
func TestProjectRenameSeenByNextStatement(t *testing.T) {
	a, b := connect(t), connect(t)
	exec(t, b, `SELECT * FROM pgml.train('Rename Me', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge')`)
	const predict = `SELECT pgml.predict($1::text, ARRAY[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]::real[])`
	exec(t, a, "BEGIN ISOLATION LEVEL READ COMMITTED")
	defer exec(t, a, "ROLLBACK")
	exec(t, a, predict, "Rename Me")
	exec(t, b, `UPDATE pgml.projects SET name = 'Renamed' WHERE name = 'Rename Me'`)
	if _, err := a.Exec(context.Background(), predict, "Rename Me"); sqlState(err) != "42704" {
		t.Fatalf("predict by the old name after the rename: %v, want SQLSTATE 42704 (project does not exist)", err)
	}
	exec(t, a, "ROLLBACK")
	exec(t, a, "BEGIN ISOLATION LEVEL READ COMMITTED")
	exec(t, a, predict, "Renamed")
	exec(t, b, `DELETE FROM pgml.projects WHERE name = 'Renamed'`)
	if _, err := a.Exec(context.Background(), predict, "Renamed"); sqlState(err) != "42704" {
		t.Fatalf("predict by name after the project was deleted: %v, want SQLSTATE 42704", err)
	}
}
