package pybridge

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// Some tests need a fresh process (the interpreter starts once per process):
// they re-run the test binary with helperEnv set, and TestMain calls
// runHelper on the main thread instead of running tests.
const helperEnv = "PYBRIDGE_TEST_HELPER"

func runSelf(t *testing.T, mode string, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+mode), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper %s: %v\n%s", mode, err, out)
	}
	return string(out)
}

func runHelper() int {
	mode := os.Getenv(helperEnv)
	fail := func(format string, a ...any) int {
		fmt.Printf("FAIL: "+format+"\n", a...)
		return 1
	}
	switch {
	case mode == "missing":
		SetLibraryPath("/nonexistent/dir/libpgml_python.so")
		RequestInterrupt() // must be a harmless no-op
		err := Available()
		if err == nil || !strings.Contains(err.Error(), "python runtime unavailable: /nonexistent/dir/libpgml_python.so: cannot open shared object file") {
			return fail("Available: %v", err)
		}
		x := algorithms.Matrix{Rows: 1, Cols: 1, Data: []float64{1}}
		if _, _, err := Train("linear", algorithms.Regression, x, x, ""); err == nil || !strings.Contains(err.Error(), "python runtime unavailable") {
			return fail("Train: %v", err)
		}
		if _, err := Load([]byte("x")); err == nil || !strings.Contains(err.Error(), "python runtime unavailable") {
			return fail("Load: %v", err)
		}
		if d := Dependencies(); !strings.Contains(d["sklearn"], "python runtime unavailable") {
			return fail("Dependencies: %v", d)
		}
		fmt.Println("error:", err)
	case mode == "isolation":
		if err := Available(); err != nil {
			return fail("Available: %v", err)
		}
		for _, name := range []string{"numpy", "sklearn", "json"} {
			f, err := callString("module_file", &name)
			if err != nil {
				return fail("%s: %v", name, err)
			}
			fmt.Printf("%s: %s\n", name, f)
		}
		v, _ := PythonVersion()
		fmt.Println("python:", v)
	case strings.HasPrefix(mode, "sigmask:"):
		var n int
		fmt.Sscanf(mode, "sigmask:%d", &n)
		SetThreads(n)
		if err := Available(); err != nil {
			return fail("Available: %v", err)
		}
		x, y := synthetic(2000, 10)
		for _, alg := range []string{"xgboost", "hist_gradient_boosting", "ridge"} {
			hp := `{"n_estimators": 10}`
			switch alg {
			case "hist_gradient_boosting":
				hp = `{"max_iter": 10}`
			case "ridge":
				hp = ""
			}
			m, _, err := Train(alg, algorithms.Regression, x, y, hp)
			if err != nil {
				return fail("%s: %v", alg, err)
			}
			m.Close()
		}
		masks := map[string]int{}
		tasks, _ := filepath.Glob("/proc/self/task/*/status")
		for _, f := range tasks {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "SigBlk:"); ok {
					masks[strings.TrimSpace(v)]++
				}
			}
		}
		var keys []string
		for k, c := range masks {
			keys = append(keys, fmt.Sprintf("%s=%d", k, c))
		}
		sort.Strings(keys)
		fmt.Println("masks:", strings.Join(keys, " "))
	case strings.HasPrefix(mode, "venv:"):
		dir := strings.TrimPrefix(mode, "venv:")
		if ok, err := ActivateVenv(filepath.Join(dir, "missing")); ok || err != nil {
			return fail("missing venv: %v, %v", ok, err)
		}
		if ok, err := ActivateVenv(filepath.Join(dir, "other")); ok || err == nil || !strings.Contains(err.Error(), "has no lib/python3.11/site-packages") {
			return fail("venv of another python: %v, %v", ok, err)
		}
		if _, err := PackageVersion("pgml_venv_probe"); err == nil {
			return fail("probe importable before activation")
		}
		if ok, err := ActivateVenv(filepath.Join(dir, "venv")); !ok || err != nil {
			return fail("venv: %v, %v", ok, err)
		}
		v, err := PackageVersion("pgml_venv_probe")
		if err != nil || v != "9.9.9" {
			return fail("probe after activation: %q, %v", v, err)
		}
		packages, err := PipFreeze()
		if err != nil {
			return fail("PipFreeze: %v", err)
		}
		found := false
		for _, p := range packages {
			found = found || p == "pgml-venv-probe==9.9.9"
		}
		if !found {
			return fail("PipFreeze lacks the venv's distribution: %v", packages)
		}
		f, _ := callString("module_file", ptr("pgml_venv_probe"))
		fmt.Println("probe:", f)
	case mode == "measure":
		return measure()
	case mode == "worker-orphan":
		return workerOrphan()
	default:
		return fail("unknown mode %q", mode)
	}
	return 0
}

func TestHelperMissingLibrary(t *testing.T) {
	out := runSelf(t, "missing", EnvLibrary+"=")
	t.Log(strings.TrimSpace(out))
}

// TestHelperIsolation: PYTHONHOME, PYTHONPATH (with a fake numpy) and a
// pyenv python3 first on PATH do not change what the interpreter loads.
func TestHelperIsolation(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "numpy"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "numpy", "__init__.py"), []byte("raise ImportError('fake numpy from PYTHONPATH')\n"), 0o644)
	out := runSelf(t, "isolation", "PYTHONHOME=/nonexistent", "PYTHONPATH="+dir, "PYTHONNOUSERSITE=", "PATH=/root/.pyenv/shims:"+os.Getenv("PATH"))
	t.Log(strings.TrimSpace(out))
	if !strings.Contains(out, "numpy: /usr/lib/python3/dist-packages/numpy/") || !strings.Contains(out, "json: /usr/lib/python3.11/json/") {
		t.Fatalf("unexpected module locations:\n%s", out)
	}
}

// TestHelperVenv: ActivateVenv puts a virtualenv's site-packages on sys.path
// (fresh process: it changes the interpreter for good).
func TestHelperVenv(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	site := filepath.Join(dir, "venv", "lib", "python3.11", "site-packages")
	for _, d := range []string{
		filepath.Join(dir, "venv", "bin"), filepath.Join(site, "pgml_venv_probe-9.9.9.dist-info"),
		filepath.Join(dir, "other", "bin"), filepath.Join(dir, "other", "lib", "python3.99", "site-packages"),
		filepath.Join(dir, "missing", "lib", "python3.11", "site-packages"),
	} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range map[string]string{
		filepath.Join(dir, "venv", "bin", "activate_this.py"):              "",
		filepath.Join(dir, "other", "bin", "activate_this.py"):             "",
		filepath.Join(site, "pgml_venv_probe.py"):                          "__version__ = '9.9.9'\n",
		filepath.Join(site, "pgml_venv_probe-9.9.9.dist-info", "METADATA"): "Metadata-Version: 2.1\nName: pgml-venv-probe\nVersion: 9.9.9\n",
	} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := runSelf(t, "venv:"+dir)
	t.Log(strings.TrimSpace(out))
	if !strings.Contains(out, "probe: "+filepath.Join(site, "pgml_venv_probe.py")) {
		t.Fatalf("probe not imported from the venv:\n%s", out)
	}
}

// TestHelperSignalMask: threads started by OpenBLAS / OpenMP inherit a full
// signal mask (rule 6 in docs/architecture.md). Go's own threads have an
// empty mask in a test binary, so every thread must have either an empty or
// a full mask; the fully masked ones are the helper's poke thread and, with
// two threads configured, the BLAS/OpenMP workers started by the import and
// the fits.
func TestHelperSignalMask(t *testing.T) {
	needPython(t)
	const full = "fffffffe7ffbfeff" // everything glibc and the kernel let us block
	for _, n := range []int{1, 2} {
		out := runSelf(t, fmt.Sprintf("sigmask:%d", n))
		t.Logf("threads=%d: %s", n, strings.TrimSpace(out))
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(out), "masks:"))
		fullCount := 0
		for _, f := range fields {
			mask, count, _ := strings.Cut(f, "=")
			switch mask {
			case "0000000000000000":
			case full:
				fmt.Sscan(count, &fullCount)
			default:
				t.Errorf("threads=%d: a thread has mask %s", n, mask)
			}
		}
		// threads=1: only the helper's interrupt "poke" thread; threads=2:
		// also OpenBLAS's and libgomp's workers.
		if n == 1 && fullCount != 1 {
			t.Errorf("threads=1: %d fully masked threads, want 1 (the poke thread)", fullCount)
		}
		if n == 2 && fullCount < 2 {
			t.Errorf("threads=2: %d fully masked threads, want at least 2 (%s)", fullCount, out)
		}
	}
}
