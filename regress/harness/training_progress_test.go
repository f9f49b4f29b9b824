package harness

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgml.training_progress is read from a second session while a training runs in the first:
// the row names the trainer's backend, project and algorithm, its units advance, and it is
// gone once the training ends, is cancelled or its backend is terminated.

// progressReading is one row of pgml.training_progress.
type progressReading struct {
	project, algorithm, runtime, phase string
	folds, candidates                  *int32
	unit                               *string
	done, total                        *int64
	remaining                          *time.Duration
	at                                 time.Time
}

func (r progressReading) String() string {
	s := fmt.Sprintf("%s %s/%s phase %s", r.project, r.algorithm, r.runtime, r.phase)
	if r.total != nil {
		s += fmt.Sprintf(", %d/%d %s", *r.done, *r.total, *r.unit)
	}
	if r.remaining != nil {
		s += fmt.Sprintf(", about %v left", r.remaining.Round(time.Second))
	}
	return s
}

// readProgress returns pid's row of pgml.training_progress, or false when it has none.
func readProgress(t *testing.T, observer *pgx.Conn, pid int) (progressReading, bool) {
	t.Helper()
	var r progressReading
	err := observer.QueryRow(context.Background(), `SELECT project, algorithm, runtime, phase, folds, candidates, unit, units_done, units_total, estimated_remaining
		FROM pgml.training_progress WHERE pid = $1`, pid).
		Scan(&r.project, &r.algorithm, &r.runtime, &r.phase, &r.folds, &r.candidates, &r.unit, &r.done, &r.total, &r.remaining)
	if err == pgx.ErrNoRows {
		return r, false
	}
	if err != nil {
		t.Fatal(err)
	}
	r.at = time.Now()
	return r, true
}

// ensureProgressTable creates progress_rows (60,000 rows × 4 features, 3 classes) once.
func ensureProgressTable(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	exec(t, conn, `SELECT setseed(0.25)`)
	exec(t, conn, `CREATE TABLE IF NOT EXISTS progress_rows AS
		SELECT a, b, c, d, (a + b + random() > 1.2)::int + (c > 0.7)::int AS y
		FROM (SELECT random() a, random() b, random() c, random() d FROM generate_series(1, 60000)) r`)
}

// startTraining runs sql in a new session, collecting its INFO messages.
func startTraining(t *testing.T, sql string) (pid int, done <-chan error, infos func() []string) {
	t.Helper()
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var messages []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		messages = append(messages, n.Message)
		mu.Unlock()
	}
	trainer := connectConfig(t, cfg)
	pid = backendPID(t, trainer)
	exec(t, trainer, "SET pgml.progress_interval = 1")
	result := make(chan error, 1)
	go func() {
		_, err := trainer.Exec(context.Background(), sql)
		result <- err
	}()
	return pid, result, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), messages...)
	}
}

// waitForPhase reads pid's progress until it is in phase with units known.
func waitForPhase(t *testing.T, observer *pgx.Conn, pid int, phase string, done <-chan error) progressReading {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the training ended (%v) before pgml.training_progress showed it in phase %s with units", err, phase)
		default:
		}
		if r, ok := readProgress(t, observer, pid); ok && r.phase == phase && r.total != nil {
			return r
		}
	}
	t.Fatalf("backend %d never showed phase %s with units in pgml.training_progress", pid, phase)
	return progressReading{}
}

func TestTrainingProgressOfASearch(t *testing.T) {
	observer := connect(t)
	ensureProgressTable(t, observer)
	exec(t, observer, `DELETE FROM pgml.projects WHERE name = 'Progress search'`)
	// The search must last longer than pgml.progress_interval (1 s here) on an idle machine too,
	// or it prints no progress line: 4 fits of 120 trees on 30,000 rows take several seconds.
	pid, done, infos := startTraining(t, `SELECT * FROM pgml.train('Progress search', 'classification', 'progress_rows', 'y',
		algorithm => 'random_forest', hyperparams => '{"n_estimators": 120}', search => 'grid',
		search_params => '{"max_depth": [6, 8]}', search_args => '{"cv": 2}', automatic_deploy => false)`)

	first := waitForPhase(t, observer, pid, "searching", done)
	t.Logf("reading 1: %s", first)
	// A new project is not committed yet: its name comes from the progress slot.
	if first.project != "Progress search" || first.algorithm != "random_forest" || first.runtime != "go" ||
		first.folds == nil || *first.folds != 2 || first.candidates == nil || *first.candidates != 2 || *first.unit != "fits" || *first.total != 4 {
		t.Fatalf("pgml.training_progress of backend %d: %s", pid, first)
	}
	// Units advance: the search's fits, then the final fit's trees.
	advanced := false
	for !advanced {
		select {
		case err := <-done:
			t.Fatalf("the training ended (%v) before its units advanced from %s", err, first)
		case <-time.After(200 * time.Millisecond):
		}
		r, ok := readProgress(t, observer, pid)
		if !ok {
			continue
		}
		if r.total != nil && (r.phase != first.phase || *r.done > *first.done) {
			t.Logf("reading 2 after %v: %s", r.at.Sub(first.at).Round(time.Millisecond), r)
			advanced = true
		}
	}
	final := waitForPhase(t, observer, pid, "fitting", done)
	if *final.unit != "trees" || *final.total != 120 {
		t.Errorf("final fit: %s, want 120 trees", final)
	}
	if err := <-done; err != nil {
		t.Fatalf("training: %v", err)
	}
	if r, ok := readProgress(t, observer, pid); ok {
		t.Fatalf("backend %d still in pgml.training_progress after its training ended: %s", pid, r)
	}
	// The trainer was told the summary, its progress and the metrics.
	all := strings.Join(infos(), "\n")
	for _, want := range []string{"label y: 3 classes: ", "searching random_forest: fold ", "test metrics of random_forest: accuracy "} {
		if !strings.Contains(all, want) {
			t.Errorf("the trainer's messages have no %q:\n%s", want, all)
		}
	}
}

func TestTrainingProgressEndsWithTheTraining(t *testing.T) {
	for _, signal := range []string{"pg_cancel_backend", "pg_terminate_backend"} {
		t.Run(signal, func(t *testing.T) {
			observer := connect(t)
			ensureProgressTable(t, observer)
			pid, done, _ := startTraining(t, `SELECT * FROM pgml.train('Progress cancelled', 'classification', 'progress_rows', 'y',
				algorithm => 'random_forest', hyperparams => '{"n_estimators": 500}', automatic_deploy => false)`)
			r := waitForPhase(t, observer, pid, "fitting", done)
			if r.algorithm != "random_forest" || *r.total != 500 || *r.unit != "trees" {
				t.Fatalf("pgml.training_progress of backend %d: %s", pid, r)
			}
			exec(t, observer, "SELECT "+signal+"($1)", pid)
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				t.Fatalf("training still running 60 s after %s", signal)
			}
			if signal == "pg_terminate_backend" {
				waitForBackendExit(t, observer, pid, time.Now())
			}
			if r, ok := readProgress(t, observer, pid); ok {
				t.Fatalf("backend %d still in pgml.training_progress after %s: %s", pid, signal, r)
			}
		})
	}
}
