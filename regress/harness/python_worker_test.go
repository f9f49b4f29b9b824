package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Python fits run in a worker process of the backend (pybridge/worker.go). These tests stop
// fits stuck in compiled code (libsvm's SVC, OpenMP loops) in every way a user can, and kill
// or starve the worker, and check what the user sees: the statement returns within
// cancelLatencyLimit, the backend lives on, no worker process is left behind.

// workerMarker is pybridge.WorkerMarker: a worker's command line ends in it and the pid of
// its backend.
const workerMarker = "pgml-python-worker"

// svmRows makes SVC run for minutes: noisy labels that no margin separates, and a tolerance
// it never reaches.
const svmRows = 40000

const trainSVM = `SELECT * FROM pgml.train('Python Worker SVM', 'classification', 'svm_noise', 'y',
	algorithm => 'svm', runtime => 'python', hyperparams => '{"tol": 1e-12}', automatic_deploy => false)`

// warmUp starts the session's worker with a small fit, so that a cancel a few hundred
// milliseconds into the next fit lands in libsvm rather than in the interpreter's start.
const warmUp = `SELECT * FROM pgml.train('Python Worker Warm Up', 'regression', 'pgml.diabetes', 'target',
	algorithm => 'ridge', runtime => 'python', automatic_deploy => false)`

const (
	sqlStateAdminShutdown = "57P01"
	sqlStateOutOfMemory   = "53200"
	sqlStateSystemError   = "58000"
)

// trainer is a session that trains, with its backend pid and its notices.
type trainer struct {
	conn    *pgx.Conn
	pid     int
	notices chan string
}

func newTrainer(t *testing.T) *trainer {
	t.Helper()
	cfg, err := harnessConfig()
	if err != nil {
		t.Fatal(err)
	}
	notices := make(chan string, 64)
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		select {
		case notices <- n.Message:
		default:
		}
	}
	conn := connectConfig(t, cfg)
	return &trainer{conn: conn, pid: backendPID(t, conn), notices: notices}
}

// start runs sql in the background; the channel gets its error.
func (tr *trainer) start(sql string) <-chan error {
	for len(tr.notices) > 0 {
		<-tr.notices // earlier statements' notices
	}
	done := make(chan error, 1)
	go func() {
		_, err := tr.conn.Exec(context.Background(), sql)
		done <- err
	}()
	return done
}

// workerPIDs lists the python workers of backend pid (running, or zombies not yet reaped).
func workerPIDs(t *testing.T, backend int) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("cannot read /proc: %v", err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		if i := slices.Index(args, workerMarker); i >= 0 && i+1 < len(args) && args[i+1] == strconv.Itoa(backend) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// expectNoWorker fails if backend still has a worker process a few seconds on (the kill is
// immediate; a worker with much memory mapped takes a moment to exit and be reaped).
func expectNoWorker(t *testing.T, backend int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		pids := workerPIDs(t, backend)
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("backend %d still has python worker(s) %v", backend, pids)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// oneWorker waits for backend's single python worker and returns its pid.
func oneWorker(t *testing.T, backend int) int {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if pids := workerPIDs(t, backend); len(pids) == 1 {
			return pids[0]
		} else if len(pids) > 1 {
			t.Fatalf("backend %d has %d python workers: %v", backend, len(pids), pids)
		}
	}
	t.Fatalf("backend %d started no python worker within 60 s", backend)
	return 0
}

// awaitError waits for a statement that is to be stopped, and returns its error and how long
// after since it returned.
func awaitError(t *testing.T, done <-chan error, since time.Time) (error, time.Duration) {
	t.Helper()
	select {
	case err := <-done:
		return err, time.Since(since)
	case <-time.After(60 * time.Second):
		t.Fatal("statement still running 60 s after it was stopped")
	}
	return nil, 0
}

func createSVMTable(t *testing.T) {
	setup := connect(t)
	exec(t, setup, `SELECT setseed(0.25)`)
	exec(t, setup, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS svm_noise AS
		SELECT random() a, random() b, random() c, random() d, random() e, random() f, random() g, random() h,
		       (random() > 0.5)::int y
		FROM generate_series(1, %d)`, svmRows))
}

// TestPythonWorkerCancel: pg_cancel_backend at several instants of a python fit -- while the
// worker starts, and 0.3, 1 and 2.5 s into libsvm -- returns within cancelLatencyLimit and
// leaves no worker; the session trains again afterwards.
func TestPythonWorkerCancel(t *testing.T) {
	createSVMTable(t)
	tr, canceller := newTrainer(t), connect(t)
	for _, c := range []struct {
		name  string
		warm  bool
		after time.Duration
	}{
		{"during the worker's start", false, 100 * time.Millisecond},
		{"0.3 s into the fit", true, 300 * time.Millisecond},
		{"1 s into the fit", true, time.Second},
		{"2.5 s into the fit", true, 2500 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.warm {
				exec(t, tr.conn, warmUp)
			}
			done := tr.start(trainSVM)
			waitForNotice(t, tr.notices, done, "Training")
			if c.warm {
				oneWorker(t, tr.pid)
			}
			time.Sleep(c.after)
			cancelled := time.Now()
			exec(t, canceller, `SELECT pg_cancel_backend($1)`, tr.pid)
			err, latency := awaitError(t, done, cancelled)
			t.Logf("python fit, %s: pg_cancel_backend -> train returned in %v (%v)", c.name, latency, err)
			if sqlState(err) != sqlStateQueryCanceled {
				t.Fatalf("train ended with %v, want SQLSTATE %s", err, sqlStateQueryCanceled)
			}
			if latency > cancelLatencyLimit {
				t.Errorf("cancel took %v, want under %v", latency, cancelLatencyLimit)
			}
			expectNoWorker(t, tr.pid)
			expectSessionUsable(t, tr.conn, tr.pid)
		})
	}
	exec(t, tr.conn, warmUp)
	if pids := workerPIDs(t, tr.pid); len(pids) != 1 {
		t.Fatalf("after the cancels, a python fit left workers %v, want one", pids)
	}
}

// TestPythonWorkerStatementTimeout: statement_timeout ends a fit stuck in libsvm on time.
func TestPythonWorkerStatementTimeout(t *testing.T) {
	createSVMTable(t)
	tr := newTrainer(t)
	for _, timeout := range []time.Duration{2 * time.Second, 4 * time.Second} {
		t.Run(timeout.String(), func(t *testing.T) {
			exec(t, tr.conn, warmUp)
			exec(t, tr.conn, fmt.Sprintf(`SET statement_timeout = '%dms'`, timeout.Milliseconds()))
			started := time.Now()
			err, elapsed := awaitError(t, tr.start(trainSVM), started)
			exec(t, tr.conn, `RESET statement_timeout`)
			t.Logf("python fit: statement_timeout %v -> train returned after %v, %v late (%v)", timeout, elapsed, elapsed-timeout, err)
			if sqlState(err) != sqlStateQueryCanceled {
				t.Fatalf("train ended with %v, want SQLSTATE %s", err, sqlStateQueryCanceled)
			}
			if elapsed > timeout+cancelLatencyLimit {
				t.Errorf("train returned %v after it started, want under %v", elapsed, timeout+cancelLatencyLimit)
			}
			expectNoWorker(t, tr.pid)
		})
	}
}

// TestPythonWorkerTerminate: pg_terminate_backend ends a backend whose fit is in libsvm
// within cancelLatencyLimit, and its worker with it.
func TestPythonWorkerTerminate(t *testing.T) {
	createSVMTable(t)
	tr, killer := newTrainer(t), connect(t)
	exec(t, tr.conn, warmUp)
	done := tr.start(trainSVM)
	waitForNotice(t, tr.notices, done, "Training")
	worker := oneWorker(t, tr.pid)
	time.Sleep(time.Second)
	terminated := time.Now()
	exec(t, killer, `SELECT pg_terminate_backend($1)`, tr.pid)
	err, latency := awaitError(t, done, terminated)
	t.Logf("python fit: pg_terminate_backend -> connection ended in %v (%v)", latency, err)
	if state := sqlState(err); state != sqlStateAdminShutdown && state != "" {
		t.Fatalf("train ended with %v, want SQLSTATE %s or a closed connection", err, sqlStateAdminShutdown)
	}
	if latency > cancelLatencyLimit {
		t.Errorf("terminate took %v, want under %v", latency, cancelLatencyLimit)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, errBackend := os.Stat(fmt.Sprintf("/proc/%d", tr.pid))
		_, errWorker := os.Stat(fmt.Sprintf("/proc/%d", worker))
		if os.IsNotExist(errBackend) && os.IsNotExist(errWorker) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after pg_terminate_backend: backend %d exists: %v, worker %d exists: %v", tr.pid, errBackend == nil, worker, errWorker == nil)
		}
	}
}

// TestPythonWorkerThreads: with pgml.python_threads = 2 the worker runs two OpenMP/BLAS
// threads (fits used to run with every signal blocked in the backend then), and a cancel
// during an OpenMP fit still returns within cancelLatencyLimit. Thread hyperparameters above
// the cap are lowered, with a NOTICE.
func TestPythonWorkerThreads(t *testing.T) {
	createSVMTable(t)
	tr, canceller := newTrainer(t), connect(t)
	exec(t, tr.conn, `SET pgml.python_threads = 2`)
	exec(t, tr.conn, `SET pgml.training_threads = 2`)
	exec(t, tr.conn, warmUp)
	worker := oneWorker(t, tr.pid)
	environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", worker))
	if err != nil {
		t.Skipf("reading the worker's environment: %v", err)
	}
	if env := strings.Split(string(environ), "\x00"); !slices.Contains(env, "OMP_NUM_THREADS=2") || !slices.Contains(env, "OPENBLAS_NUM_THREADS=2") {
		t.Errorf("worker environment %q lacks the thread counts", env)
	}
	done := tr.start(`SELECT * FROM pgml.train('Python Worker Threads', 'classification', 'svm_noise', 'y',
		algorithm => 'hist_gradient_boosting', runtime => 'python',
		hyperparams => '{"max_iter": 100000, "early_stopping": false, "max_leaf_nodes": 255}', automatic_deploy => false)`)
	waitForNotice(t, tr.notices, done, "Training")
	time.Sleep(1500 * time.Millisecond)
	cancelled := time.Now()
	exec(t, canceller, `SELECT pg_cancel_backend($1)`, tr.pid)
	err, latency := awaitError(t, done, cancelled)
	t.Logf("python fit with 2 threads: pg_cancel_backend -> train returned in %v (%v)", latency, err)
	if sqlState(err) != sqlStateQueryCanceled {
		t.Fatalf("train ended with %v, want SQLSTATE %s", err, sqlStateQueryCanceled)
	}
	if latency > cancelLatencyLimit {
		t.Errorf("cancel took %v, want under %v", latency, cancelLatencyLimit)
	}
	expectNoWorker(t, tr.pid)

	done = tr.start(`SELECT * FROM pgml.train('Python Worker Threads', 'regression', 'pgml.diabetes', 'target',
		algorithm => 'random_forest', runtime => 'python', hyperparams => '{"n_estimators": 5, "n_jobs": 64}', automatic_deploy => false)`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitForNotice(t, tr.notices, done, "n_jobs = 64")
	var used string
	if err := tr.conn.QueryRow(context.Background(), `SELECT m.hyperparams->>'n_jobs' FROM pgml.models m
		JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Python Worker Threads' ORDER BY m.id DESC LIMIT 1`).Scan(&used); err != nil || used != "2" {
		t.Fatalf("stored n_jobs %q (%v), want the cap 2", used, err)
	}
}

// TestPythonWorkerMemory: a python fit that needs more memory than the worker may allocate
// ends in SQLSTATE 53200 naming the limit; the worker runs under that RLIMIT_DATA; the
// backend lives on and the server did not restart.
func TestPythonWorkerMemory(t *testing.T) {
	tr, observer := newTrainer(t), connect(t)
	var started time.Time
	if err := observer.QueryRow(context.Background(), `SELECT pg_postmaster_start_time()`).Scan(&started); err != nil {
		t.Fatal(err)
	}
	exec(t, tr.conn, `SELECT setseed(0.5)`)
	// KernelRidge allocates a rows × rows kernel: 225,000 training rows need 405 GB, beyond
	// any worker's limit (and any machine's memory, so nothing is touched if the limit broke).
	exec(t, tr.conn, `CREATE TABLE IF NOT EXISTS kernel_rows AS SELECT random() a, random() b, random() y FROM generate_series(1, 300000)`)
	_, err := tr.conn.Exec(context.Background(), `SELECT * FROM pgml.train('Python Worker Memory', 'regression', 'kernel_rows', 'y',
		algorithm => 'kernel_ridge', runtime => 'python', automatic_deploy => false)`)
	t.Logf("kernel_ridge on 300,000 rows: %v", err)
	if sqlState(err) != sqlStateOutOfMemory || !strings.Contains(err.Error(), "Unable to allocate") {
		t.Fatalf("got %v, want SQLSTATE %s with numpy's MemoryError", err, sqlStateOutOfMemory)
	}
	if !strings.Contains(err.Error(), "the worker's limit: ") {
		t.Errorf("the error does not name the worker's limit: %v", err)
	}
	worker := oneWorker(t, tr.pid)
	limits, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", worker))
	if err != nil {
		t.Skipf("reading the worker's limits: %v", err)
	}
	for _, line := range strings.Split(string(limits), "\n") {
		if strings.HasPrefix(line, "Max data size") && strings.Fields(line)[3] == "unlimited" {
			t.Errorf("the worker's data size is unlimited: %s", line)
		}
	}
	expectSessionUsable(t, tr.conn, tr.pid)
	exec(t, tr.conn, warmUp)
	var now time.Time
	if err := observer.QueryRow(context.Background(), `SELECT pg_postmaster_start_time()`).Scan(&now); err != nil || !now.Equal(started) {
		t.Fatalf("the server restarted (%v -> %v, %v)", started, now, err)
	}
}

// TestPythonWorkerKilled: a worker killed by a segfault or by SIGKILL (what the kernel's OOM
// killer sends) mid-fit, or while it starts, is a clean SQLSTATE 58000 naming the signal;
// the backend lives on and the next python fit starts a new worker.
func TestPythonWorkerKilled(t *testing.T) {
	createSVMTable(t)
	tr := newTrainer(t)
	for _, c := range []struct {
		sig     syscall.Signal
		inStart bool // killed as soon as it exists: while Go writes its code or waits for it
	}{{syscall.SIGSEGV, false}, {syscall.SIGKILL, false}, {syscall.SIGKILL, true}} {
		sig := c.sig
		t.Run(fmt.Sprintf("%v, in start %v", sig, c.inStart), func(t *testing.T) {
			if !c.inStart {
				exec(t, tr.conn, warmUp)
			}
			done := tr.start(trainSVM)
			waitForNotice(t, tr.notices, done, "Training")
			worker := oneWorker(t, tr.pid)
			if !c.inStart {
				time.Sleep(500 * time.Millisecond)
			}
			if err := syscall.Kill(worker, sig); err != nil {
				t.Skipf("cannot signal the worker (not root?): %v", err)
			}
			err, latency := awaitError(t, done, time.Now())
			t.Logf("worker killed by %v: train returned in %v: %v", sig, latency, err)
			name := map[syscall.Signal]string{syscall.SIGSEGV: "SIGSEGV", syscall.SIGKILL: "SIGKILL"}[sig]
			if sqlState(err) != sqlStateSystemError || !strings.Contains(err.Error(), "killed by "+name) {
				t.Fatalf("got %v, want SQLSTATE %s naming %s", err, sqlStateSystemError, name)
			}
			expectNoWorker(t, tr.pid)
			expectSessionUsable(t, tr.conn, tr.pid)
		})
	}
	exec(t, tr.conn, warmUp)
}

// TestPythonWorkerReuse: a session's python fits share one worker; pgml.activate_venv
// replaces it (so that fits see the venv's packages, as predictions do);
// pgml.inject_fault = python_bridge makes python training fail cleanly.
func TestPythonWorkerReuse(t *testing.T) {
	tr := newTrainer(t)
	exec(t, tr.conn, warmUp)
	first := oneWorker(t, tr.pid)
	exec(t, tr.conn, `SELECT * FROM pgml.train('Python Worker Reuse', 'regression', 'pgml.diabetes', 'target',
		algorithm => 'ridge', runtime => 'python', search_params => '{"alpha": [0.1, 1, 10]}', search_args => '{"cv": 3}',
		automatic_deploy => false)`)
	if again := oneWorker(t, tr.pid); again != first {
		t.Errorf("the next fits ran in worker %d, not %d", again, first)
	}

	venv, err := os.MkdirTemp("", "pgml-venv-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(venv)
	for _, d := range []string{filepath.Join(venv, "bin"), filepath.Join(venv, "lib", "python3.11", "site-packages")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(venv, "bin", "activate_this.py"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(venv, 0o755)
	var activated bool
	if err := tr.conn.QueryRow(context.Background(), `SELECT pgml.activate_venv($1)`, venv).Scan(&activated); err != nil || !activated {
		t.Fatalf("activate_venv(%s) = %v, %v", venv, activated, err)
	}
	exec(t, tr.conn, warmUp)
	if after := oneWorker(t, tr.pid); after == first {
		t.Errorf("worker %d kept after activate_venv", first)
	}

	exec(t, tr.conn, `SET pgml.inject_fault = 'python_bridge'`)
	_, err = tr.conn.Exec(context.Background(), warmUp)
	exec(t, tr.conn, `RESET pgml.inject_fault`)
	if sqlState(err) != "0A000" || !strings.Contains(err.Error(), "python_bridge") {
		t.Fatalf("python training with the python_bridge fault: %v", err)
	}
	expectSessionUsable(t, tr.conn, tr.pid)
	exec(t, tr.conn, warmUp)
}
