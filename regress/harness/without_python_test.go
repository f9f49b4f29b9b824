package harness

import (
	"context"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hidePythonHelper makes libpgml_python.so, which pgml.so dlopens from its own directory on
// first python use, unavailable to backends that have not loaded it yet (a server without
// Python), until the test ends, however it ends. Backends that loaded it keep it.
func hidePythonHelper(t *testing.T) {
	t.Helper()
	pgConfig := os.Getenv("PG_CONFIG") // the installation `make install` used, as in the Makefile
	if pgConfig == "" {
		pgConfig = "pg_config"
	}
	out, err := osexec.Command(pgConfig, "--pkglibdir").Output()
	if err != nil {
		t.Skipf("pg_config not available: %v", err)
	}
	helper := filepath.Join(strings.TrimSpace(string(out)), "libpgml_python.so")
	hidden := helper + ".hidden-by-test"
	if err := os.Rename(helper, hidden); err != nil {
		t.Skipf("cannot hide %s (not root, or server elsewhere): %v", helper, err)
	}
	t.Cleanup(func() {
		if err := os.Rename(hidden, helper); err != nil {
			t.Errorf("restoring %s: %v", helper, err)
		}
	})
}

// TestWithoutPython hides libpgml_python.so, the only piece of pgml that needs libpython, and
// checks that a new backend still trains and predicts natively while the python runtime
// says clearly why it is unavailable. pgml.so itself never links libpython.
func TestWithoutPython(t *testing.T) {
	hidePythonHelper(t)

	conn := connect(t) // a new backend: it has not started Python
	exec(t, conn, `SELECT * FROM pgml.train('Without Python', 'regression', 'pgml.diabetes', 'target', runtime => 'go')`)
	var prediction float64
	if err := conn.QueryRow(context.Background(),
		`SELECT pgml.predict('Without Python', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])`).Scan(&prediction); err != nil {
		t.Fatalf("native predict without python: %v", err)
	}

	_, err := conn.Exec(context.Background(), `SELECT * FROM pgml.train('Without Python', 'regression', 'pgml.diabetes', 'target',
		algorithm => 'theil_sen', runtime => 'python')`)
	if err == nil || !strings.Contains(err.Error(), "python runtime unavailable") {
		t.Fatalf("python training without the helper library gave %v, want a 'python runtime unavailable' error", err)
	}
	t.Logf("python runtime without its library: %v", err)

	var ok bool
	if err := conn.QueryRow(context.Background(), `SELECT pgml.validate_python_dependencies()`).Scan(&ok); err != nil || ok {
		t.Fatalf("validate_python_dependencies() = %v, %v; want false", ok, err)
	}
	// The sklearn_* metric helpers are native; the other Python utilities say why they fail.
	var f1 float64
	if err := conn.QueryRow(context.Background(),
		`SELECT pgml.sklearn_f1_score(ARRAY[0, 1, 1, 0], ARRAY[0, 1, 0, 0])::float8`).Scan(&f1); err != nil || f1 < 0.666 || f1 > 0.667 {
		t.Fatalf("sklearn_f1_score without python = %v, %v; want 2/3", f1, err)
	}
	for _, sql := range []string{`SELECT * FROM pgml.python_pip_freeze()`, `SELECT pgml.activate_venv('/nonexistent')`} {
		if _, err := conn.Exec(context.Background(), sql); err == nil || !strings.Contains(err.Error(), "python runtime unavailable") {
			t.Fatalf("%s without the helper library gave %v, want a 'python runtime unavailable' error", sql, err)
		}
	}
	// The backend is still fine.
	exec(t, conn, `SELECT pgml.predict('Without Python', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])`)
}
