package pybridge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/faults"
)

// The worker tests need Debian's python3 with numpy and scikit-learn; the comparisons with
// the embedded interpreter need the helper library too (needPython).

// hangLimit fails a test whose worker request neither finished nor stopped: a hang, not a
// latency measurement (the harness measures cancel latency on what users see).
const hangLimit = 30 * time.Second

func needWorker(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(WorkerProgram); err != nil {
		t.Skipf("%s: %v", WorkerProgram, err)
	}
}

// request sends a request other than a fit (the test_* ones of worker.py).
func (w *Worker) request(ctx context.Context, cfg WorkerConfig, header map[string]any, blocks ...[]byte) (map[string]any, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	body, _, err := w.call(ctx, cfg, header, blocks...)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	return out, json.Unmarshal(body, &out)
}

// split returns the first n rows as training rows and the rest as held rows.
func split(x, y algorithms.Matrix, n int) (fx, fy, held, heldY algorithms.Matrix) {
	rest := func(m algorithms.Matrix) algorithms.Matrix {
		return algorithms.Matrix{Rows: m.Rows - n, Cols: m.Cols, Data: m.Data[n*m.Cols:]}
	}
	return head(x, n), head(y, n), rest(x), rest(y)
}

// processState is the state letter of /proc/<pid>/stat ("" once the process is gone).
func processState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2 : i+3]
	}
	return "?"
}

// waitGone fails unless process pid disappears (exits and is reaped: no zombie) in time.
func waitGone(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for processState(pid) != "" {
		if time.Now().After(deadline) {
			t.Fatalf("worker %d still exists (state %s) %v later", pid, processState(pid), within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestWorkerFit: fits in the worker give the predictions the stored pickle gives in the
// embedded interpreter, for each task; the held rows are answered in chunks; one process
// serves every fit.
func TestWorkerFit(t *testing.T) {
	needWorker(t)
	needPython(t)
	var w Worker
	defer w.Close()
	cfg := WorkerConfig{Threads: 1}
	iris, irisY := loadCSV(t, "iris", "target")
	regX, regY := synthetic(600, 6)
	binaryY := algorithms.Matrix{Rows: regY.Rows, Cols: 1, Data: make([]float64, regY.Rows)}
	for i, v := range regY.Data {
		if v > 0 {
			binaryY.Data[i] = 1
		}
	}
	// iris is sorted by class: interleave so every class is trained on.
	perm := algorithms.Matrix{Rows: iris.Rows, Cols: iris.Cols}
	permY := algorithms.Matrix{Rows: iris.Rows, Cols: 1}
	for i := 0; i < iris.Rows; i++ {
		r := (i * 7) % iris.Rows
		perm.Data = append(perm.Data, iris.Row(r)...)
		permY.Data = append(permY.Data, irisY.Data[r])
	}
	cases := []struct {
		alg   string
		task  algorithms.Task
		x, y  algorithms.Matrix
		hp    string
		proba bool // probabilities expected (binary classifier with predict_proba)
	}{
		{"ridge", algorithms.Regression, regX, regY, "", false},
		{"random_forest", algorithms.Classification, regX, binaryY, `{"n_estimators": 10}`, true},
		{"svm", algorithms.Classification, perm, permY, "", false},                           // three classes, no predict_proba
		{"linear", algorithms.Classification, perm, permY, "", false},                        // three classes: not asked
		{"stochastic_gradient_descent", algorithms.Classification, regX, binaryY, "", false}, // hinge: none
		{"kmeans", algorithms.Clustering, regX, algorithms.Matrix{}, `{"n_clusters": 3, "n_init": 2}`, false},
		{"pca", algorithms.Decomposition, regX, algorithms.Matrix{}, `{"n_components": 2}`, false},
	}
	pid := 0
	for _, c := range cases {
		t.Run(c.alg+"/"+c.task.String(), func(t *testing.T) {
			n := c.x.Rows * 3 / 4
			fx, fy, held, _ := split(c.x, c.y, n)
			if !c.task.Supervised() {
				fy = algorithms.Matrix{}
			}
			f, err := w.Fit(context.Background(), cfg, FitRequest{Algorithm: c.alg, Task: c.task, X: fx, Y: fy, Held: held,
				Hyperparams: c.hp, ProbabilityClasses: 2})
			if err != nil {
				t.Fatal(err)
			}
			if pid == 0 {
				pid = w.Pid()
			} else if w.Pid() != pid {
				t.Errorf("worker pid changed from %d to %d between fits", pid, w.Pid())
			}
			if f.Task() != c.task || f.NumFeatures() != c.x.Cols {
				t.Fatalf("fitted %v with %d features, want %v with %d", f.Task(), f.NumFeatures(), c.task, c.x.Cols)
			}
			stored, err := Load(f.pickle)
			if err != nil {
				t.Fatal(err)
			}
			defer stored.Close()
			model := f.AsModel()
			// Trees report scikit-learn's feature_importances_ (summing to 1); the others none.
			method, importance, ok := model.(interface {
				FeatureImportance() (string, []float64, bool)
			}).FeatureImportance()
			sum := 0.0
			for _, v := range importance {
				sum += v
			}
			if ok != (c.alg == "random_forest") || (ok && (method != "impurity" || math.Abs(sum-1) > 1e-9)) {
				t.Errorf("feature importances %q %v (sum %v), ok %v", method, importance, sum, ok)
			}
			checked := model.(interface {
				PredictChecked(dst, x []float64) error
			})
			got := make([]float64, held.Rows*f.NumOutputs())
			// In chunks of 7 rows, as scoring does.
			for lo := 0; lo < held.Rows; lo += 7 {
				hi := min(lo+7, held.Rows)
				k := f.NumOutputs()
				if err := checked.PredictChecked(got[lo*k:hi*k], held.Data[lo*held.Cols:hi*held.Cols]); err != nil {
					t.Fatal(err)
				}
			}
			want := predictAll(t, stored, held)
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
					t.Fatalf("held prediction %d: worker %v, stored pickle %v", i, got[i], want[i])
				}
			}
			copied := slices.Clone(held.Data)
			if err := checked.PredictChecked(make([]float64, f.NumOutputs()), copied[:held.Cols]); err == nil || !strings.Contains(err.Error(), "predicts only the held-out rows") {
				t.Errorf("predicting rows outside the held matrix: %v", err)
			}
			_, isClassifier := model.(algorithms.Classifier)
			_, isDecomposition := model.(interface{ ExplainedVarianceRatio() []float64 })
			if isClassifier != (c.task == algorithms.Classification) || isDecomposition != (c.task == algorithms.Decomposition) {
				t.Errorf("AsModel: classifier %v, decomposition %v for %v", isClassifier, isDecomposition, c.task)
			}
			probs := make([]float64, held.Rows*len(f.Classes()))
			err = f.PredictProbaChecked(probs, held.Data)
			if c.proba != (err == nil) {
				t.Fatalf("probabilities: %v (want some: %v)", err, c.proba)
			}
			if c.proba {
				wantP := make([]float64, len(probs))
				if err := stored.PredictProbaChecked(wantP, held.Data); err != nil {
					t.Fatal(err)
				}
				for i := range wantP {
					if math.Abs(probs[i]-wantP[i]) > 1e-9 {
						t.Fatalf("probability %d: worker %v, stored pickle %v", i, probs[i], wantP[i])
					}
				}
			}
			var hp map[string]any
			if err := json.Unmarshal([]byte(f.Hyperparams()), &hp); err != nil {
				t.Fatalf("hyperparams %q: %v", f.Hyperparams(), err)
			}
		})
	}
	t.Run("python error", func(t *testing.T) {
		_, err := w.Fit(context.Background(), cfg, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: regX, Y: regY,
			Hyperparams: `{"no_such_parameter": 1}`})
		var pyErr *PythonError
		if !errors.As(err, &pyErr) || pyErr.Type != "TypeError" || !strings.Contains(err.Error(), "no_such_parameter") {
			t.Fatalf("got %v", err)
		}
		if w.Pid() != pid {
			t.Errorf("a Python exception replaced the worker (%d -> %d)", pid, w.Pid())
		}
	})
}

// TestWorkerCancel: a fit stuck in compiled code (libsvm) is abandoned when its context
// ends, at several instants (worker start, data transfer, the fit itself); the process is
// killed and reaped, and the next fit starts a new one.
func TestWorkerCancel(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	x, y := synthetic(30000, 8)
	labels := algorithms.Matrix{Rows: y.Rows, Cols: 1, Data: make([]float64, y.Rows)}
	for i, v := range y.Data {
		labels.Data[i] = float64(int(v*10) % 2) // noisy classes keep SVC busy for minutes
	}
	svc := FitRequest{Algorithm: "svm", Task: algorithms.Classification, X: x, Y: labels, Hyperparams: `{"tol": 1e-12}`}
	for _, after := range []time.Duration{0, 50 * time.Millisecond, 400 * time.Millisecond, 1500 * time.Millisecond} {
		t.Run(after.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			started := time.Now()
			go func() {
				_, err := w.Fit(ctx, WorkerConfig{Threads: 1}, svc)
				done <- err
			}()
			time.Sleep(after)
			pid := 0
			for pid == 0 && time.Since(started) < hangLimit && after > 0 {
				pid = w.Pid()
				time.Sleep(time.Millisecond)
			}
			cancelled := time.Now()
			cancel()
			var err error
			select {
			case err = <-done:
			case <-time.After(hangLimit):
				t.Fatalf("Fit still running %v after cancel", hangLimit)
			}
			t.Logf("cancelled %v after the request (worker %d): Fit returned %v later: %v", after, pid, time.Since(cancelled), err)
			if !errors.Is(err, ErrInterrupted) {
				t.Fatalf("got %v, want ErrInterrupted", err)
			}
			if w.Pid() != 0 {
				t.Fatalf("a worker (%d) is still attached after cancel", w.Pid())
			}
			if pid != 0 {
				waitGone(t, pid, 10*time.Second)
			}
		})
	}
	small, smallY := synthetic(200, 3)
	if _, err := w.Fit(context.Background(), WorkerConfig{Threads: 1}, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: small, Y: smallY}); err != nil {
		t.Fatalf("fit after cancels: %v", err)
	}
}

// TestWorkerEOF: a worker whose stdin closes exits by itself, with status 0, and is reaped.
func TestWorkerEOF(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	x, y := synthetic(100, 2)
	if _, err := w.Fit(context.Background(), WorkerConfig{}, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: x, Y: y}); err != nil {
		t.Fatal(err)
	}
	p := w.proc
	p.requests.Close()
	select {
	case <-p.reaped:
		if code := p.cmd.ProcessState.ExitCode(); code != 0 {
			t.Fatalf("worker ended with %v after EOF, want exit status 0", p.cmd.ProcessState)
		}
	case <-time.After(hangLimit):
		t.Fatal("worker did not exit on EOF")
	}
	waitGone(t, p.cmd.Process.Pid, 10*time.Second)
}

// TestWorkerIdleExit: an idle worker exits by itself (and is reaped at once); the next
// request starts a new one without an error.
func TestWorkerIdleExit(t *testing.T) {
	needWorker(t)
	saved := workerIdleExit
	workerIdleExit = time.Second
	defer func() { workerIdleExit = saved }()
	var w Worker
	defer w.Close()
	x, y := synthetic(100, 2)
	req := FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: x, Y: y}
	if _, err := w.Fit(context.Background(), WorkerConfig{}, req); err != nil {
		t.Fatal(err)
	}
	pid := w.Pid()
	if _, err := w.Fit(context.Background(), WorkerConfig{}, req); err != nil || w.Pid() != pid {
		t.Fatalf("a fit within the idle time: %v, worker %d -> %d", err, pid, w.Pid())
	}
	waitGone(t, pid, hangLimit)
	if _, err := w.Fit(context.Background(), WorkerConfig{}, req); err != nil {
		t.Fatalf("a fit after the worker left: %v", err)
	}
	if w.Pid() == pid || w.Pid() == 0 {
		t.Fatalf("worker %d after %d left", w.Pid(), pid)
	}
}

// TestWorkerCrash: a segfault in the worker is a *WorkerExitError naming SIGSEGV; the next
// request starts a new worker.
func TestWorkerCrash(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	_, err := w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "start_probe"})
	if err == nil || !strings.Contains(err.Error(), "unknown request 'start_probe'") {
		t.Fatalf("unknown request: %v", err)
	}
	pid := w.Pid()
	_, err = w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_crash"})
	var exit *WorkerExitError
	if !errors.As(err, &exit) || exit.Signal != syscall.SIGSEGV || exit.Pid != pid {
		t.Fatalf("got %v, want a SIGSEGV of worker %d", err, pid)
	}
	t.Log(err)
	waitGone(t, pid, 10*time.Second)
	x, y := synthetic(100, 2)
	if _, err := w.Fit(context.Background(), WorkerConfig{}, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: x, Y: y}); err != nil {
		t.Fatal(err)
	}
	if w.Pid() == pid || w.Pid() == 0 {
		t.Fatalf("worker %d after a crash of %d", w.Pid(), pid)
	}
}

// TestWorkerMemoryLimit: an allocation beyond MemoryLimit is a MemoryError (ErrOutOfMemory)
// and the worker lives on; data larger than the limit is refused without losing the
// protocol's step; a limit of 0 lifts it.
func TestWorkerMemoryLimit(t *testing.T) {
	needWorker(t)
	var w Worker
	defer w.Close()
	const gb = 1 << 30
	limited := WorkerConfig{MemoryLimit: gb}
	// KernelRidge allocates a rows × rows kernel: 3.2 GB for 20000 rows.
	x, y := synthetic(20000, 2)
	_, err := w.Fit(context.Background(), limited, FitRequest{Algorithm: "kernel_ridge", Task: algorithms.Regression, X: x, Y: y})
	if !errors.Is(err, ErrOutOfMemory) || !strings.Contains(err.Error(), "MemoryError: Unable to allocate") {
		t.Fatalf("kernel_ridge on 20000 rows under 1 GB: %v", err)
	}
	t.Log(err)
	pid := w.Pid()
	if pid == 0 {
		t.Fatal("a MemoryError killed the worker")
	}
	// 400 MB of training data under a 300 MB limit: refused while reading, then in step.
	big, bigY := synthetic(2_500_000, 20)
	_, err = w.Fit(context.Background(), WorkerConfig{MemoryLimit: 300 << 20}, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: big, Y: bigY})
	if !errors.Is(err, ErrOutOfMemory) {
		t.Fatalf("400 MB of data under a 300 MB limit: %v", err)
	}
	small, smallY := synthetic(300, 2)
	if _, err := w.Fit(context.Background(), limited, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: small, Y: smallY}); err != nil {
		t.Fatalf("small fit after MemoryErrors: %v", err)
	}
	if _, err := w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_allocate", "bytes": 2 * gb}); err != nil {
		t.Fatalf("2 GB without a limit: %v", err)
	}
	if _, err := w.request(context.Background(), limited, map[string]any{"op": "test_allocate", "bytes": 2 * gb}); !errors.Is(err, ErrOutOfMemory) {
		t.Fatalf("2 GB under 1 GB: %v", err)
	}
	if w.Pid() != pid {
		t.Fatalf("worker replaced (%d -> %d)", pid, w.Pid())
	}
}

// TestWorkerProcess: what the worker process inherits and how it runs: only descriptors
// 0-2 (not the parent's other ones, close-on-exec or not), its own process group, the
// OOM killer's first choice, a clean environment with the thread counts, Debian's numpy,
// and a new process when the thread count changes.
func TestWorkerProcess(t *testing.T) {
	needWorker(t)
	fd, err := syscall.Open(os.Args[0], syscall.O_RDONLY, 0) // not close-on-exec
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	var w Worker
	defer w.Close()
	out, err := w.request(context.Background(), WorkerConfig{Threads: 2}, map[string]any{"op": "test_module_file", "name": "numpy"})
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := out["file"].(string); !strings.HasPrefix(f, "/usr/lib/python3/dist-packages/numpy/") {
		t.Errorf("numpy from %q", f)
	}
	pid := w.Pid()
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	var fds []string
	for _, e := range entries {
		fds = append(fds, e.Name())
	}
	if !slices.Equal(fds, []string{"0", "1", "2", "3"}) && !slices.Equal(fds, []string{"0", "1", "2"}) {
		t.Errorf("worker descriptors %v, want 0-2 and the duplicate of stdout", fds)
	}
	for _, name := range fds {
		if target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, name)); target == os.Args[0] {
			t.Errorf("the worker inherited descriptor %s (%s)", name, target)
		}
	}
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
		t.Errorf("worker process group %d (%v), want its own (%d)", pgid, err, pid)
	}
	if b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/oom_score_adj", pid)); strings.TrimSpace(string(b)) != "1000" {
		t.Errorf("oom_score_adj %q, want 1000", b)
	}
	environ, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	env := strings.Split(strings.TrimRight(string(environ), "\x00"), "\x00")
	for _, want := range []string{"OPENBLAS_NUM_THREADS=2", "OMP_NUM_THREADS=2", "PATH=/usr/bin:/bin"} {
		if !slices.Contains(env, want) {
			t.Errorf("worker environment %v lacks %s", env, want)
		}
	}
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if len(args) < 6 || args[0] != WorkerProgram || args[1] != "-I" || args[4] != WorkerMarker || args[5] != strconv.Itoa(os.Getpid()) {
		t.Errorf("worker command line %q", args)
	}
	if _, err := w.request(context.Background(), WorkerConfig{Threads: 1}, map[string]any{"op": "test_sleep", "seconds": 0}); err != nil {
		t.Fatal(err)
	}
	if w.Pid() == pid {
		t.Error("changing Threads kept the worker")
	}
	waitGone(t, pid, 10*time.Second)
}

// TestWorkerVenv: a WorkerConfig's venvs are on the worker's sys.path; a path that is not a
// virtualenv fails the start with ErrUnavailable.
func TestWorkerVenv(t *testing.T) {
	needWorker(t)
	dir := t.TempDir()
	site := filepath.Join(dir, "venv", "lib", "python3.11", "site-packages")
	for _, d := range []string{filepath.Join(dir, "venv", "bin"), site} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "venv", "bin", "activate_this.py"), nil, 0o644)
	os.WriteFile(filepath.Join(site, "pgml_venv_probe.py"), []byte("__version__ = '9.9.9'\n"), 0o644)
	var w Worker
	defer w.Close()
	out, err := w.request(context.Background(), WorkerConfig{Venvs: []string{filepath.Join(dir, "venv")}},
		map[string]any{"op": "test_module_file", "name": "pgml_venv_probe"})
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := out["file"].(string); f != filepath.Join(site, "pgml_venv_probe.py") {
		t.Errorf("probe from %q", f)
	}
	_, err = w.request(context.Background(), WorkerConfig{Venvs: []string{filepath.Join(dir, "nothing")}}, map[string]any{"op": "test_sleep", "seconds": 0})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "is not a virtualenv") {
		t.Fatalf("a missing venv: %v", err)
	}
	if w.Pid() != 0 {
		t.Error("a worker that failed to start is attached")
	}
}

// TestWorkerDiesWithOwner: a worker busy in a request is killed when the process that
// started it exits (PR_SET_PDEATHSIG), even though it does not read its stdin meanwhile.
func TestWorkerDiesWithOwner(t *testing.T) {
	needWorker(t)
	out := runSelf(t, "worker-orphan")
	var pid int
	if _, err := fmt.Sscanf(strings.TrimSpace(out), "worker %d", &pid); err != nil || pid <= 0 {
		t.Fatalf("helper said %q", out)
	}
	waitGone(t, pid, 10*time.Second)
}

// workerOrphan (a runSelf mode) starts a worker on the main thread, keeps it sleeping in a
// request and exits.
func workerOrphan() int {
	var w Worker
	if _, err := w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_sleep", "seconds": 0}); err != nil {
		fmt.Println("FAIL:", err)
		return 1
	}
	pid := w.Pid()
	go w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_sleep", "seconds": 600})
	time.Sleep(300 * time.Millisecond)
	if processState(pid) == "" {
		fmt.Println("FAIL: the worker is gone before its owner exits")
		return 1
	}
	fmt.Printf("worker %d\n", pid)
	return 0
}

// TestWorkerFault: pgml.inject_fault = python_bridge makes fits fail as unavailable,
// without starting a worker.
func TestWorkerFault(t *testing.T) {
	if err := faults.Set(faults.PythonBridge); err != nil {
		t.Fatal(err)
	}
	defer faults.Set("")
	var w Worker
	x, y := synthetic(10, 2)
	_, err := w.Fit(context.Background(), WorkerConfig{}, FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: x, Y: y})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "python_bridge") || w.Pid() != 0 {
		t.Fatalf("got %v (worker %d)", err, w.Pid())
	}
}

// TestWorkerExitError names the signal or the status.
func TestWorkerExitError(t *testing.T) {
	for _, c := range []struct {
		err  *WorkerExitError
		want string
	}{
		{&WorkerExitError{Pid: 7, During: "fit", Signal: syscall.SIGSEGV}, "the python worker (pid 7) was killed by SIGSEGV (segmentation fault) during fit"},
		{&WorkerExitError{Pid: 7, During: "fit", Signal: syscall.SIGKILL}, "the python worker (pid 7) was killed by SIGKILL (killed) during fit"},
		{&WorkerExitError{Pid: 7, During: "start", Status: 1}, "the python worker (pid 7) exited with status 1 during start"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

// TestWorkerStartFailure: a missing interpreter is ErrUnavailable; so is one that exits.
func TestWorkerStartFailure(t *testing.T) {
	x, y := synthetic(10, 2)
	req := FitRequest{Algorithm: "ridge", Task: algorithms.Regression, X: x, Y: y}
	w := Worker{Program: "/nonexistent/python3"}
	if _, err := w.Fit(context.Background(), WorkerConfig{}, req); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "/nonexistent/python3") {
		t.Fatalf("missing program: %v", err)
	}
	falsePath, err := exec.LookPath("false")
	if err != nil {
		t.Skip(err)
	}
	w = Worker{Program: falsePath}
	_, err = w.Fit(context.Background(), WorkerConfig{}, req)
	var exit *WorkerExitError
	if !errors.As(err, &exit) || exit.Status != 1 || exit.During != "start" {
		t.Fatalf("a program that exits: %v", err)
	}
}

// BenchmarkWorkerTransfer sends a 1M × 20 float64 matrix (160 MB) to the worker through its
// stdin pipe (what Fit does), and, for comparison, through a memfd the worker reads by path.
//
//	go test -run '^$' -bench WorkerTransfer -benchtime 5x ./pybridge/
func BenchmarkWorkerTransfer(b *testing.B) {
	needWorker(b)
	const rows, cols = 1_000_000, 20
	x, _ := synthetic(rows, cols)
	var w Worker
	defer w.Close()
	if _, err := w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_sleep", "seconds": 0}); err != nil {
		b.Fatal(err)
	}
	check := func(out map[string]any, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if s, _ := out["sum"].(float64); math.Abs(s) > float64(rows*cols) {
			b.Fatalf("sum %v", s)
		}
	}
	b.Run("pipe", func(b *testing.B) {
		b.SetBytes(rows * cols * 8)
		for range b.N {
			check(w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_receive", "shape": []int{rows, cols}}, float64Bytes(x.Data)))
		}
	})
	b.Run("memfd", func(b *testing.B) {
		b.SetBytes(rows * cols * 8)
		for range b.N {
			name := []byte("pgml-matrix\x00")
			fd, _, errno := syscall.Syscall(319 /* memfd_create on amd64 */, uintptr(unsafe.Pointer(&name[0])), 1 /* MFD_CLOEXEC */, 0)
			if errno != 0 {
				b.Skipf("memfd_create: %v", errno)
			}
			f := os.NewFile(fd, "memfd")
			if _, err := f.Write(float64Bytes(x.Data)); err != nil {
				b.Fatal(err)
			}
			path := fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), fd)
			check(w.request(context.Background(), WorkerConfig{}, map[string]any{"op": "test_receive", "shape": []int{rows, cols}, "path": path}))
			f.Close()
		}
	})
}
