package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestTrainingOverMemoryLimit: a training whose data does not fit pgml.training_memory_limit
// is refused with 53200, naming the need and the limit, once the rows read so far pass the
// budget — not after reading everything.
func TestTrainingOverMemoryLimit(t *testing.T) {
	conn := connect(t)
	ensureBigC(t, conn)
	pid := backendPID(t, conn)
	exec(t, conn, "SET pgml.training_memory_limit = '32MB'")
	start := time.Now()
	_, err := conn.Exec(context.Background(), `SELECT * FROM pgml.train('Memory', 'classification', 'bigc', 'y',
		algorithm => 'random_forest', automatic_deploy => false)`)
	elapsed := time.Since(start)
	t.Logf("train over a 32MB limit: %v after %v", err, elapsed)
	var pgErr *pgconn.PgError
	if sqlState(err) != sqlStateOutOfMemory || !errorsAs(err, &pgErr) {
		t.Fatalf("train over the limit: %v, want SQLSTATE %s", err, sqlStateOutOfMemory)
	}
	for _, want := range []string{"needs about", "more than the 32MB", "random_forest classification"} {
		if !strings.Contains(pgErr.Message, want) {
			t.Errorf("message %q does not say %q", pgErr.Message, want)
		}
	}
	if !strings.Contains(pgErr.Detail, "pgml.training_memory_limit = 32MB") || pgErr.Hint == "" {
		t.Errorf("detail %q / hint %q: want the limit's origin and advice", pgErr.Detail, pgErr.Hint)
	}
	var models int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
		WHERE p.name = 'Memory'`).Scan(&models); err != nil || models != 0 {
		t.Errorf("a refused training left %d models (%v)", models, err)
	}
	exec(t, conn, "RESET pgml.training_memory_limit")
	expectSessionUsable(t, conn, pid)
}

// TestTrainingInMemoryCgroup runs the server's new backends in a cgroup v1 memory limit of
// 1.5 GiB and trains, with no pgml setting, on 8M rows × 20 features (1.3 GB as float64):
// without admission the kernel's OOM killer ends the backend and the postmaster restarts
// every session; with it the training ends in 53200 and the session lives on.
func TestTrainingInMemoryCgroup(t *testing.T) {
	const limit = 1536 << 20
	conn := connect(t)
	postmaster := parentPID(t, backendPID(t, conn))
	group, restore := memoryCgroup(t, limit)
	defer restore()
	if err := os.WriteFile(filepath.Join(group, "cgroup.procs"), []byte(strconv.Itoa(postmaster)), 0); err != nil {
		t.Skipf("cannot move the postmaster into %s: %v", group, err)
	}
	// A backend forked from now on is inside the limit.
	limited := connect(t)
	pid := backendPID(t, limited)
	if cg := procCgroup(t, pid); !strings.HasSuffix(cg, filepath.Base(group)) {
		t.Fatalf("backend %d is in memory cgroup %q, not in %s", pid, cg, group)
	}
	exec(t, limited, `CREATE TEMP VIEW wide8m AS SELECT i % 2 AS y,
		random() f1, random() f2, random() f3, random() f4, random() f5, random() f6, random() f7, random() f8,
		random() f9, random() f10, random() f11, random() f12, random() f13, random() f14, random() f15, random() f16,
		random() f17, random() f18, random() f19, random() f20
		FROM generate_series(1, 8000000) i`)
	_, err := limited.Exec(context.Background(), `SELECT * FROM pgml.train('Cgroup', 'regression', 'wide8m', 'y',
		algorithm => 'linear', automatic_deploy => false)`)
	t.Logf("linear on 8M×20 in a 1.5 GiB cgroup: %v", err)
	if sqlState(err) != sqlStateOutOfMemory {
		t.Fatalf("train in the cgroup: %v, want SQLSTATE %s", err, sqlStateOutOfMemory)
	}
	expectSessionUsable(t, limited, pid)
	if failcnt := readInt(t, filepath.Join(group, "memory.failcnt")); failcnt > 0 {
		t.Logf("the cgroup hit its limit %d times (reclaim), but nothing was killed", failcnt)
	}
}

// memoryCgroup creates a cgroup v1 memory group with the given limit under this process's
// memory cgroup, and returns its path and a function that moves the postmaster back and
// removes it. The test is skipped where cgroup v1's memory controller is not writable.
func memoryCgroup(t *testing.T, limit int64) (string, func()) {
	t.Helper()
	parent := filepath.Join("/sys/fs/cgroup/memory", procCgroup(t, os.Getpid()))
	group := filepath.Join(parent, fmt.Sprintf("pgml-harness-%d", os.Getpid()))
	if err := os.Mkdir(group, 0o755); err != nil {
		t.Skipf("cgroup v1 memory controller not writable here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(group, "memory.limit_in_bytes"), []byte(strconv.FormatInt(limit, 10)), 0); err != nil {
		_ = os.Remove(group)
		t.Skipf("cannot set a memory limit: %v", err)
	}
	return group, func() {
		procs, _ := os.ReadFile(filepath.Join(group, "cgroup.procs"))
		for _, p := range strings.Fields(string(procs)) {
			_ = os.WriteFile(filepath.Join(parent, "cgroup.procs"), []byte(p), 0)
		}
		// Backends started inside keep the group busy until they exit.
		for i := 0; i < 100; i++ {
			if os.Remove(group) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
			procs, _ := os.ReadFile(filepath.Join(group, "cgroup.procs"))
			for _, p := range strings.Fields(string(procs)) {
				_ = os.WriteFile(filepath.Join(parent, "cgroup.procs"), []byte(p), 0)
			}
		}
		t.Logf("could not remove %s", group)
	}
}

// procCgroup is the cgroup v1 memory path of process pid ("" at the root).
func procCgroup(t *testing.T, pid int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/cgroup", pid))
	if err != nil {
		t.Skipf("cannot read the cgroups of %d: %v", pid, err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) == 3 && parts[1] == "memory" {
			return parts[2]
		}
	}
	t.Skipf("process %d has no cgroup v1 memory controller", pid)
	return ""
}

func parentPID(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("the server is not on this machine (%v)", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "PPid:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil {
				return n
			}
		}
	}
	t.Fatalf("no PPid in /proc/%d/status", pid)
	return 0
}

func readInt(t *testing.T, path string) int64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	return n
}
