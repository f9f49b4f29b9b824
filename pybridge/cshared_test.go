package pybridge

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const csharedLoader = `#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
	if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
	char *(*run)(void) = (char *(*)(void)) dlsym(h, "pgml_cshared_run");
	if (!run) { printf("dlsym: %s\n", dlerror()); return 1; }
	printf("%s\n", run());
	return 0;
}
`

// TestCShared builds internal/cshared as a c-shared library (like pgml.so),
// checks that it does not link libpython, and loads it from a C program with
// libpgml_python.so copied beside it and PGML_PYTHON_LIBRARY unset; then
// again without the helper to get the "python runtime unavailable" error.
func TestCShared(t *testing.T) {
	needPython(t)
	if testing.Short() {
		t.Skip("short")
	}
	dir := t.TempDir()
	so := filepath.Join(dir, "libcshared.so")
	build := exec.Command("go", "build", "-buildmode=c-shared", "-o", so, "./internal/cshared")
	build.Env = os.Environ()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command("readelf", "-d", so).CombinedOutput(); err != nil {
		t.Fatalf("readelf: %v", err)
	} else if strings.Contains(string(out), "libpython") {
		t.Fatalf("the c-shared library links libpython:\n%s", out)
	}
	loader := filepath.Join(dir, "loader")
	if err := os.WriteFile(loader+".c", []byte(csharedLoader), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gcc", "-o", loader, loader+".c", "-ldl").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	env := []string{}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, EnvLibrary+"=") {
			env = append(env, e)
		}
	}
	run := func() string {
		cmd := exec.Command(loader, so)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("loader: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}

	// Without the helper beside it.
	out := run()
	t.Log("without helper: " + out)
	if !strings.Contains(out, "python runtime unavailable: "+filepath.Join(dir, LibraryName)) {
		t.Fatalf("got %q", out)
	}
	// With the helper beside it.
	lib, err := os.ReadFile(os.Getenv(EnvLibrary))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, LibraryName), lib, 0o755); err != nil {
		t.Fatal(err)
	}
	out = run()
	t.Log("with helper: " + out)
	if !strings.HasPrefix(out, "ok 21.000 sklearn 1.2.1") {
		t.Fatalf("got %q", out)
	}
}
