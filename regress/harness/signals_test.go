package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// PostgreSQL's backend signals. Their handlers touch backend state, so they must run on the
// backend's main thread: every thread the Go runtime starts has to block them.
var postgresSignals = []syscall.Signal{
	syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGALRM,
	syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGTERM, syscall.SIGURG,
}

// The main thread must keep receiving these: cancel, die, timeouts, latch wake-ups.
var mainThreadSignals = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGALRM, syscall.SIGUSR1}

type threadStatus struct {
	tid     int
	name    string
	blocked uint64 // SigBlk: bit signo-1 is set when signo is blocked
}

func (th threadStatus) blocks(sig syscall.Signal) bool { return th.blocked&(1<<(uint(sig)-1)) != 0 }

func TestGoThreadsBlockPostgresSignals(t *testing.T) {
	conn := connect(t)
	// Load pgml (starting the Go runtime) and make Go do real work.
	exec(t, conn, "SELECT pgml.version()")
	servingModel(t, conn)
	checkThreadMasks(t, backendPID(t, conn))
}

// TestPythonThreadsBlockPostgresSignals: with two BLAS/OpenMP threads, numpy, scikit-learn
// and xgboost start threads of their own inside the backend when it predicts from python
// models (fits run in a worker process); they must block PostgreSQL's signals too (pgml
// blocks them while those libraries start their threads).
func TestPythonThreadsBlockPostgresSignals(t *testing.T) {
	conn := connect(t)
	exec(t, conn, "SET pgml.python_threads = 2")
	exec(t, conn, `SELECT * FROM pgml.train('Python Threads', 'regression', 'pgml.diabetes', 'target',
		algorithm => 'xgboost', runtime => 'python', automatic_deploy => false)`)
	exec(t, conn, `SELECT * FROM pgml.train('Python Threads', 'regression', 'pgml.diabetes', 'target',
		algorithm => 'random_forest', runtime => 'python', hyperparams => '{"n_estimators": 20, "n_jobs": 2}', automatic_deploy => false)`)
	exec(t, conn, `SELECT pgml.predict(m.id, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])
		FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id, pgml.diabetes
		WHERE p.name = 'Python Threads'`)
	checkThreadMasks(t, backendPID(t, conn))
}

// checkThreadMasks asserts that only the main thread of backend pid receives PostgreSQL's signals.
func checkThreadMasks(t *testing.T, pid int) {
	t.Helper()
	threads, err := readThreads(pid)
	if os.IsNotExist(err) || os.IsPermission(err) {
		t.Skipf("cannot read /proc/%d (server on another machine, or not running as root?): %v", pid, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range threads {
		t.Logf("pid %d thread %d (%s): SigBlk %016x", pid, th.tid, th.name, th.blocked)
	}
	if len(threads) < 2 {
		t.Fatalf("backend %d has %d thread(s) after loading pgml: the Go runtime did not start threads", pid, len(threads))
	}
	for _, th := range threads {
		if th.tid == pid {
			for _, sig := range mainThreadSignals {
				if th.blocks(sig) {
					t.Errorf("main thread %d blocks %v (%d): PostgreSQL would never see it", th.tid, sig, int(sig))
				}
			}
			continue
		}
		for _, sig := range postgresSignals {
			if !th.blocks(sig) {
				t.Errorf("thread %d (%s) does not block %v (%d): PostgreSQL's handler could run on it",
					th.tid, th.name, sig, int(sig))
			}
		}
	}
}

// readThreads reads the name and blocked-signal mask of every thread of process pid.
func readThreads(pid int) ([]threadStatus, error) {
	dirs, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil, err
	}
	var threads []threadStatus
	for _, d := range dirs {
		tid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "task", d.Name(), "status"))
		if os.IsNotExist(err) {
			continue // the thread exited meanwhile
		}
		if err != nil {
			return nil, err
		}
		th := threadStatus{tid: tid}
		for _, line := range strings.Split(string(data), "\n") {
			key, value, _ := strings.Cut(line, ":")
			value = strings.TrimSpace(value)
			switch key {
			case "Name":
				th.name = value
			case "SigBlk":
				if th.blocked, err = strconv.ParseUint(value, 16, 64); err != nil {
					return nil, fmt.Errorf("thread %d: SigBlk %q: %w", tid, value, err)
				}
			}
		}
		threads = append(threads, th)
	}
	return threads, nil
}
