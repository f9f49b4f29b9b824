package harness

import (
	"context"
	"testing"
	"time"
)

// trainLongPython keeps scikit-learn's Python-level boosting loop busy for many seconds, so a
// cancel arrives while Python runs bytecode (where pgml can interrupt it).
const trainLongPython = `SELECT * FROM pgml.train('Python Cancel', 'regression', 'pgml.diabetes', 'target',
	algorithm => 'gradient_boosting_trees', runtime => 'python',
	hyperparams => '{"n_estimators": 100000, "max_depth": 6}', automatic_deploy => false)`

// TestCancelPythonTraining: pg_cancel_backend and statement_timeout stop a python fit, and
// the same backend's interpreter trains again afterwards.
func TestCancelPythonTraining(t *testing.T) {
	t.Run("pg_cancel_backend", func(t *testing.T) {
		trainer, canceller := connect(t), connect(t)
		pid := backendPID(t, trainer)
		trainErr := make(chan error, 1)
		go func() {
			_, err := trainer.Exec(context.Background(), trainLongPython)
			trainErr <- err
		}()
		waitForRunningLongerThan(t, canceller, pid, 2*time.Second, trainErr)
		cancelledAt := time.Now()
		exec(t, canceller, `SELECT pg_cancel_backend($1)`, pid)
		select {
		case err := <-trainErr:
			latency := time.Since(cancelledAt)
			t.Logf("python fit: pg_cancel_backend -> train returned in %v (error: %v)", latency, err)
			if sqlState(err) != sqlStateQueryCanceled {
				t.Fatalf("train ended with %v, want SQLSTATE %s", err, sqlStateQueryCanceled)
			}
			if latency > cancelLatencyLimit {
				t.Errorf("cancel took %v, want under %v", latency, cancelLatencyLimit)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("python training did not stop within 30 s of pg_cancel_backend")
		}
		// The interpreter survives the interrupt: the same backend trains again.
		exec(t, trainer, `SELECT * FROM pgml.train('Python After Cancel', 'regression', 'pgml.diabetes', 'target',
			algorithm => 'ridge', runtime => 'python')`)
	})

	t.Run("statement_timeout", func(t *testing.T) {
		trainer := connect(t)
		exec(t, trainer, `SET statement_timeout = '3s'`)
		start := time.Now()
		_, err := trainer.Exec(context.Background(), trainLongPython)
		elapsed := time.Since(start)
		t.Logf("python fit: statement_timeout 3s -> train returned after %v (error: %v)", elapsed, err)
		if sqlState(err) != sqlStateQueryCanceled {
			t.Fatalf("train ended with %v, want SQLSTATE %s", err, sqlStateQueryCanceled)
		}
		if elapsed > 3*time.Second+cancelLatencyLimit {
			t.Errorf("timeout took %v, want under %v", elapsed, 3*time.Second+cancelLatencyLimit)
		}
		exec(t, trainer, `RESET statement_timeout`)
		// The session still predicts with python (the diabetes model of the first subtest).
		exec(t, trainer, `SELECT pgml.predict('Python After Cancel', ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])`)
	})
}
