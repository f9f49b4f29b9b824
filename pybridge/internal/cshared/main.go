// Command cshared is a test fixture: built with -buildmode=c-shared like
// pgml.so, it checks that pybridge finds libpgml_python.so beside the shared
// object it is linked into (dladdr), without PGML_PYTHON_LIBRARY, when
// loaded by a C program with RTLD_NOW|RTLD_GLOBAL as PostgreSQL does.
// See TestCShared in pybridge.
package main

import "C"

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/pybridge"
)

//export pgml_cshared_run
func pgml_cshared_run() *C.char {
	return C.CString(run())
}

func run() (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = fmt.Sprint("panic: ", r)
		}
	}()
	if err := pybridge.Available(); err != nil {
		return "error: " + err.Error()
	}
	x := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{1, 2, 3, 4}}
	y := algorithms.Matrix{Rows: 4, Cols: 1, Data: []float64{3, 5, 7, 9}}
	m, _, err := pybridge.Train("linear", algorithms.Regression, x, y, "")
	if err != nil {
		return "error: " + err.Error()
	}
	defer m.Close()
	dst := make([]float64, 1)
	if err := m.PredictChecked(dst, []float64{10}); err != nil {
		return "error: " + err.Error()
	}
	v, _ := pybridge.PackageVersion("sklearn")
	return fmt.Sprintf("ok %.3f sklearn %s", dst[0], v)
}

func main() {}
