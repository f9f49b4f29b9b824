package openblas

import (
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// mappedAtStart is whether libpgml_blas.so was mapped before any test ran.
var mappedAtStart bool

// TestMain records whether the helper was loaded before anything needed it, then requires it:
// without it every routine silently runs in pure Go, and these tests would test gonum.
func TestMain(m *testing.M) {
	mappedAtStart = helperMapped()
	if err := Loaded(); err != nil {
		os.Stderr.WriteString(err.Error() + " (set LD_LIBRARY_PATH, see doc.go)\n")
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func helperMapped() bool {
	maps, err := os.ReadFile("/proc/self/maps")
	return err == nil && strings.Contains(string(maps), "/libpgml_blas.so")
}

// A process that only predicts never maps the helper: it is loaded by the first call that needs
// BLAS (see Loaded), and small calls stay in pure Go without loading it.
func TestHelperIsLoadedOnlyWhenNeeded(t *testing.T) {
	if mappedAtStart {
		t.Fatal("libpgml_blas.so was mapped before any BLAS routine ran: it must be loaded lazily, not linked")
	}
	if !helperMapped() {
		t.Fatal("libpgml_blas.so is not mapped after Loaded()")
	}
	c := make([]float64, 4)
	Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, []float64{1, 2, 3, 4}, 2, []float64{1, 0, 0, 1}, 2, 0, c, 2)
	if c[0] != 1 || c[1] != 2 || c[2] != 3 || c[3] != 4 {
		t.Fatalf("small Dgemm in pure Go: %v", c)
	}
}
