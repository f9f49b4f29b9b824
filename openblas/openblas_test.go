package openblas

// Running these tests needs libpgml_blas.so (see doc.go):
//
//	make -f openblas/Makefile.inc BLAS_OUT_DIR=/tmp/blas
//	CGO_LDFLAGS=-L/tmp/blas LD_LIBRARY_PATH=/tmp/blas go test ./openblas/

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
	"gonum.org/v1/gonum/mat"
)

const tol = 1e-10

var (
	transposes = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}
	uplos      = []blas.Uplo{blas.Upper, blas.Lower}
	sides      = []blas.Side{blas.Left, blas.Right}
	diags      = []blas.Diag{blas.NonUnit, blas.Unit}
)

// forceBLAS sends every valid non-trivial call to OpenBLAS for the rest of
// the test, so that small shapes exercise the cgo path too.
func forceBLAS(t testing.TB) {
	saved := [...]int{DgemmMinWork, DsyrkMinWork, DtrsmMinWork, DgemvMinWork, DgemvMaxWork}
	DgemmMinWork, DsyrkMinWork, DtrsmMinWork, DgemvMinWork, DgemvMaxWork = 0, 0, 0, 0, math.MaxInt
	t.Cleanup(func() {
		DgemmMinWork, DsyrkMinWork, DtrsmMinWork, DgemvMinWork, DgemvMaxWork = saved[0], saved[1], saved[2], saved[3], saved[4]
	})
}

// modes runs f once with the default thresholds and once with every call
// forced to OpenBLAS.
func modes(t *testing.T, f func(t *testing.T, forced bool)) {
	t.Run("default", func(t *testing.T) { f(t, false) })
	t.Run("forced", func(t *testing.T) { forceBLAS(t); f(t, true) })
}

// randMat returns a rows×cols row-major matrix with stride ld (padding is
// filled with random values too, which must be left untouched).
func randMat(rnd *rand.Rand, rows, cols, ld int) []float64 {
	if rows == 0 {
		return nil
	}
	s := make([]float64, (rows-1)*ld+cols)
	for i := range s {
		s[i] = rnd.Float64()*2 - 1
	}
	return s
}

// relDiff is max|got-want| / max(1, max|want|) over the whole slices,
// padding included.
func relDiff(got, want []float64) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	var d, w float64
	for i := range got {
		d = math.Max(d, math.Abs(got[i]-want[i]))
		w = math.Max(w, math.Abs(want[i]))
		if math.IsNaN(got[i]) != math.IsNaN(want[i]) {
			return math.Inf(1)
		}
	}
	return d / math.Max(1, w)
}

func clone(s []float64) []float64 { return append([]float64(nil), s...) }

var pads = []int{0, 3} // lda = cols + pad

func TestDgemm(t *testing.T) {
	modes(t, func(t *testing.T, forced bool) {
		rnd := rand.New(rand.NewPCG(1, 2))
		shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {64, 64, 64}, {100, 37, 129}, {1, 200, 300}, {257, 3, 65}, {0, 4, 5}, {4, 0, 5}, {4, 5, 0}}
		for _, sh := range shapes {
			m, n, k := sh[0], sh[1], sh[2]
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, pad := range pads {
						for _, ab := range [][2]float64{{1, 0}, {-0.7, 1.3}, {2.5, 1}, {0, 0.5}} {
							alpha, beta := ab[0], ab[1]
							ar, ac := m, k
							if tA != blas.NoTrans {
								ar, ac = k, m
							}
							br, bc := k, n
							if tB != blas.NoTrans {
								br, bc = n, k
							}
							lda, ldb, ldc := max(1, ac+pad), max(1, bc+pad), max(1, n+pad)
							a := randMat(rnd, ar, ac, lda)
							b := randMat(rnd, br, bc, ldb)
							c := randMat(rnd, m, n, ldc)
							want := clone(c)
							gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc)
							got := clone(c)
							Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc)
							if d := relDiff(got, want); d > tol {
								t.Errorf("Dgemm(%c,%c,m=%d,n=%d,k=%d,alpha=%v,beta=%v,pad=%d): rel diff %g", tA, tB, m, n, k, alpha, beta, pad, d)
							}
							use := dgemmUseBLAS(tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
							if forced && use != (m > 0 && n > 0 && k > 0 && alpha != 0) {
								t.Errorf("Dgemm(%c,%c,%d,%d,%d,alpha=%v): useBLAS=%v", tA, tB, m, n, k, alpha, use)
							}
						}
					}
				}
			}
		}
	})
}

func TestDsyrk(t *testing.T) {
	modes(t, func(t *testing.T, forced bool) {
		rnd := rand.New(rand.NewPCG(3, 4))
		shapes := [][2]int{{1, 1}, {5, 3}, {17, 40}, {64, 64}, {129, 33}, {40, 1}, {300, 70}, {0, 3}, {3, 0}}
		for _, sh := range shapes {
			n, k := sh[0], sh[1]
			for _, ul := range uplos {
				for _, tA := range transposes {
					for _, pad := range pads {
						for _, ab := range [][2]float64{{1, 0}, {-0.7, 1.3}, {0, 2}} {
							alpha, beta := ab[0], ab[1]
							ar, ac := n, k
							if tA != blas.NoTrans {
								ar, ac = k, n
							}
							lda, ldc := max(1, ac+pad), max(1, n+pad)
							a := randMat(rnd, ar, ac, lda)
							c := randMat(rnd, n, n, ldc)
							want := clone(c)
							gonum.Implementation{}.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, want, ldc)
							got := clone(c)
							Implementation{}.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, got, ldc)
							// The whole slice is compared: the other triangle and
							// the padding must be untouched.
							if d := relDiff(got, want); d > tol {
								t.Errorf("Dsyrk(%c,%c,n=%d,k=%d,alpha=%v,beta=%v,pad=%d): rel diff %g", ul, tA, n, k, alpha, beta, pad, d)
							}
							use := dsyrkUseBLAS(ul, tA, n, k, alpha, a, lda, c, ldc)
							if forced && use != (n > 0 && k > 0 && alpha != 0) {
								t.Errorf("Dsyrk(%c,%c,%d,%d,alpha=%v): useBLAS=%v", ul, tA, n, k, alpha, use)
							}
						}
					}
				}
			}
		}
	})
}

// triMat returns a well-conditioned k×k matrix with stride ld: diagonal in
// [1,2], off-diagonal entries in [-1,1]/k. Both triangles are filled (the
// solver must only read one of them).
func triMat(rnd *rand.Rand, k, ld int) []float64 {
	a := randMat(rnd, k, k, ld)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			if i == j {
				a[i*ld+j] = 1 + rnd.Float64()
			} else {
				a[i*ld+j] /= float64(k)
			}
		}
	}
	return a
}

func TestDtrsm(t *testing.T) {
	modes(t, func(t *testing.T, forced bool) {
		rnd := rand.New(rand.NewPCG(5, 6))
		shapes := [][2]int{{1, 1}, {4, 7}, {33, 17}, {64, 64}, {150, 40}, {20, 200}, {0, 3}, {3, 0}}
		for _, sh := range shapes {
			m, n := sh[0], sh[1]
			for _, s := range sides {
				for _, ul := range uplos {
					for _, tA := range transposes {
						for _, d := range diags {
							for _, pad := range pads {
								for _, alpha := range []float64{1, -1.7, 0} {
									k := n
									if s == blas.Left {
										k = m
									}
									lda, ldb := max(1, k+pad), max(1, n+pad)
									a := triMat(rnd, k, lda)
									b := randMat(rnd, m, n, ldb)
									want := clone(b)
									gonum.Implementation{}.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, want, ldb)
									got := clone(b)
									Implementation{}.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, got, ldb)
									if dd := relDiff(got, want); dd > tol {
										t.Errorf("Dtrsm(%c,%c,%c,%c,m=%d,n=%d,alpha=%v,pad=%d): rel diff %g", s, ul, tA, d, m, n, alpha, pad, dd)
									}
									use := dtrsmUseBLAS(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
									if forced && use != (m > 0 && n > 0 && alpha != 0) {
										t.Errorf("Dtrsm(%c,%c,%c,%c,%d,%d,alpha=%v): useBLAS=%v", s, ul, tA, d, m, n, alpha, use)
									}
								}
							}
						}
					}
				}
			}
		}
	})
}

// randVec returns a vector of n elements with increment inc (BLAS layout:
// for inc < 0 element 0 is at the end of the slice).
func randVec(rnd *rand.Rand, n, inc int) []float64 {
	if n == 0 {
		return nil
	}
	if inc < 0 {
		inc = -inc
	}
	return randMat(rnd, n, 1, inc)
}

func TestDgemv(t *testing.T) {
	modes(t, func(t *testing.T, forced bool) {
		rnd := rand.New(rand.NewPCG(7, 8))
		shapes := [][2]int{{1, 1}, {3, 8}, {37, 19}, {256, 256}, {1000, 3}, {2, 700}, {0, 3}, {3, 0}}
		for _, sh := range shapes {
			m, n := sh[0], sh[1]
			for _, tA := range transposes {
				for _, pad := range pads {
					for _, inc := range [][2]int{{1, 1}, {2, 3}, {-1, 2}, {3, -2}} {
						for _, ab := range [][2]float64{{1, 0}, {-0.7, 1.3}} {
							alpha, beta := ab[0], ab[1]
							lenX, lenY := n, m
							if tA != blas.NoTrans {
								lenX, lenY = m, n
							}
							lda := max(1, n+pad)
							a := randMat(rnd, m, n, lda)
							x := randVec(rnd, lenX, inc[0])
							y := randVec(rnd, lenY, inc[1])
							want := clone(y)
							gonum.Implementation{}.Dgemv(tA, m, n, alpha, a, lda, x, inc[0], beta, want, inc[1])
							got := clone(y)
							Implementation{}.Dgemv(tA, m, n, alpha, a, lda, x, inc[0], beta, got, inc[1])
							if d := relDiff(got, want); d > tol {
								t.Errorf("Dgemv(%c,m=%d,n=%d,inc=%v,alpha=%v,beta=%v,pad=%d): rel diff %g", tA, m, n, inc, alpha, beta, pad, d)
							}
							use := dgemvUseBLAS(tA, m, n, alpha, a, lda, x, inc[0], y, inc[1])
							if forced && use != (m > 0 && n > 0) {
								t.Errorf("Dgemv(%c,%d,%d): useBLAS=%v", tA, m, n, use)
							}
						}
					}
				}
			}
		}
	})
}

// TestConcurrent calls OpenBLAS from several goroutines (OS threads) at once.
func TestConcurrent(t *testing.T) {
	const n, workers = 200, 4
	rnd := rand.New(rand.NewPCG(11, 12))
	a, b := randMat(rnd, n, n, n), randMat(rnd, n, n, n)
	want := make([]float64, n*n)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.Trans, n, n, n, 1, a, n, b, n, 0, want, n)
	errs := make(chan float64, workers)
	for w := 0; w < workers; w++ {
		go func() {
			worst := 0.0
			for i := 0; i < 20; i++ {
				got := make([]float64, n*n)
				Implementation{}.Dgemm(blas.NoTrans, blas.Trans, n, n, n, 1, a, n, b, n, 0, got, n)
				worst = math.Max(worst, relDiff(got, want))
			}
			errs <- worst
		}()
	}
	for w := 0; w < workers; w++ {
		if d := <-errs; d > tol {
			t.Errorf("concurrent Dgemm: rel diff %g", d)
		}
	}
}

// TestGonumSuites runs gonum's own BLAS conformance tests against
// Implementation with every call forced to OpenBLAS.
func TestGonumSuites(t *testing.T) {
	forceBLAS(t)
	impl := Implementation{}
	t.Run("Dgemm", func(t *testing.T) { testblas.TestDgemm(t, impl) })
	t.Run("Dsyrk", func(t *testing.T) { testblas.DsyrkTest(t, impl) })
	t.Run("Dtrsm", func(t *testing.T) { testblas.DtrsmTest(t, impl) })
	t.Run("Dgemv", func(t *testing.T) { testblas.DgemvTest(t, impl) })
}

// panicMsg runs f and returns the recovered panic value as a string ("" if
// f did not panic).
func panicMsg(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// TestPanics checks that invalid arguments panic exactly as gonum does,
// with and without forcing OpenBLAS.
func TestPanics(t *testing.T) {
	modes(t, func(t *testing.T, _ bool) {
		big := make([]float64, 100*100)
		short := make([]float64, 10)
		type call struct {
			name string
			f    func(blas.Float64)
		}
		N, T := blas.NoTrans, blas.Trans
		calls := []call{
			{"gemm bad tA", func(b blas.Float64) { b.Dgemm('X', N, 50, 50, 50, 1, big, 50, big, 50, 0, big, 50) }},
			{"gemm bad tB", func(b blas.Float64) { b.Dgemm(N, 'X', 50, 50, 50, 1, big, 50, big, 50, 0, big, 50) }},
			{"gemm m<0", func(b blas.Float64) { b.Dgemm(N, N, -1, 50, 50, 1, big, 50, big, 50, 0, big, 50) }},
			{"gemm k<0", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, -1, 1, big, 50, big, 50, 0, big, 50) }},
			{"gemm lda", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 1, big, 49, big, 50, 0, big, 50) }},
			{"gemm ldaT", func(b blas.Float64) { b.Dgemm(T, N, 60, 50, 50, 1, big, 50, big, 50, 0, big, 50) }},
			{"gemm ldb", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 1, big, 50, big, 49, 0, big, 50) }},
			{"gemm ldc", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 1, big, 50, big, 50, 0, big, 40) }},
			{"gemm shortA", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 1, short, 50, big, 50, 0, big, 50) }},
			{"gemm shortB", func(b blas.Float64) { b.Dgemm(N, T, 50, 50, 50, 1, big, 50, short, 50, 0, big, 50) }},
			{"gemm shortC", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 1, big, 50, big, 50, 0, short, 50) }},
			{"gemm shortC alpha0", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 0, big, 50, big, 50, 1, short, 50) }},
			{"gemm ok", func(b blas.Float64) { b.Dgemm(N, N, 50, 50, 50, 1, big, 50, big, 50, 0, big[:50*50], 50) }},
			{"syrk bad uplo", func(b blas.Float64) { b.Dsyrk('X', N, 50, 50, 1, big, 50, 0, big, 50) }},
			{"syrk bad trans", func(b blas.Float64) { b.Dsyrk(blas.Upper, 'X', 50, 50, 1, big, 50, 0, big, 50) }},
			{"syrk n<0", func(b blas.Float64) { b.Dsyrk(blas.Upper, N, -1, 50, 1, big, 50, 0, big, 50) }},
			{"syrk lda", func(b blas.Float64) { b.Dsyrk(blas.Upper, N, 50, 60, 1, big, 50, 0, big, 50) }},
			{"syrk ldc", func(b blas.Float64) { b.Dsyrk(blas.Upper, T, 50, 60, 1, big, 50, 0, big, 49) }},
			{"syrk shortA", func(b blas.Float64) { b.Dsyrk(blas.Lower, N, 50, 50, 1, short, 50, 0, big, 50) }},
			{"syrk shortC", func(b blas.Float64) { b.Dsyrk(blas.Lower, N, 50, 50, 1, big, 50, 0, short, 50) }},
			{"trsm bad side", func(b blas.Float64) { b.Dtrsm('X', blas.Upper, N, blas.Unit, 50, 50, 1, big, 50, big, 50) }},
			{"trsm bad diag", func(b blas.Float64) { b.Dtrsm(blas.Left, blas.Upper, N, 'X', 50, 50, 1, big, 50, big, 50) }},
			{"trsm lda", func(b blas.Float64) { b.Dtrsm(blas.Left, blas.Upper, N, blas.Unit, 60, 50, 1, big, 50, big, 50) }},
			{"trsm ldb", func(b blas.Float64) { b.Dtrsm(blas.Right, blas.Upper, N, blas.Unit, 50, 60, 1, big, 60, big, 50) }},
			{"trsm shortA", func(b blas.Float64) { b.Dtrsm(blas.Left, blas.Lower, T, blas.NonUnit, 50, 50, 1, short, 50, big, 50) }},
			{"trsm shortB", func(b blas.Float64) { b.Dtrsm(blas.Left, blas.Lower, T, blas.NonUnit, 50, 50, 1, big, 50, short, 50) }},
			{"gemv incX0", func(b blas.Float64) { b.Dgemv(N, 50, 50, 1, big, 50, big, 0, 0, big, 1) }},
			{"gemv lda", func(b blas.Float64) { b.Dgemv(N, 50, 50, 1, big, 49, big, 1, 0, big, 1) }},
			{"gemv shortX", func(b blas.Float64) { b.Dgemv(N, 50, 50, 1, big, 50, short, 1, 0, big, 1) }},
			{"gemv shortY", func(b blas.Float64) { b.Dgemv(T, 50, 50, 1, big, 50, big, 1, 0, short, -1) }},
			{"gemv shortA", func(b blas.Float64) { b.Dgemv(T, 50, 50, 1, short, 50, big, 1, 0, big, 1) }},
		}
		for _, c := range calls {
			want := panicMsg(func() { c.f(gonum.Implementation{}) })
			got := panicMsg(func() { c.f(Implementation{}) })
			if got != want {
				t.Errorf("%s: panic %q, gonum panics %q", c.name, got, want)
			}
			if c.name != "gemm ok" && want == "" {
				t.Errorf("%s: test case does not panic in gonum", c.name)
			}
		}
	})
}

// TestUse checks Use, Config and that gonum/mat goes through Implementation.
func TestUse(t *testing.T) {
	old := blas64.Implementation()
	defer blas64.Use(old)
	Use()
	if _, ok := blas64.Implementation().(Implementation); !ok {
		t.Fatalf("blas64.Implementation() = %T", blas64.Implementation())
	}
	if n := NumThreads(); n != 1 {
		t.Errorf("NumThreads() = %d after Use, want 1", n)
	}
	cfg := Config()
	t.Logf("Config() = %q", cfg)
	if !strings.Contains(cfg, "OpenBLAS") {
		t.Errorf("Config() = %q, want it to mention OpenBLAS", cfg)
	}
	rnd := rand.New(rand.NewPCG(9, 10))
	a := mat.NewDense(200, 150, randMat(rnd, 200, 150, 150))
	b := mat.NewDense(150, 120, randMat(rnd, 150, 120, 120))
	var got mat.Dense
	got.Mul(a, b)
	want := make([]float64, 200*120)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 200, 120, 150, 1, a.RawMatrix().Data, 150, b.RawMatrix().Data, 120, 0, want, 120)
	if d := relDiff(got.RawMatrix().Data, want); d > tol {
		t.Errorf("mat.Dense.Mul via OpenBLAS: rel diff %g", d)
	}
}

// helperPath returns the path of the libpgml_blas.so mapped into this
// process.
func helperPath(t *testing.T) string {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if p := fields[len(fields)-1]; strings.HasSuffix(p, "/libpgml_blas.so") {
			return p
		}
	}
	t.Fatal("libpgml_blas.so not found in /proc/self/maps")
	return ""
}

// TestExports checks that the helper exports only pgml_blas_* symbols.
func TestExports(t *testing.T) {
	nm, err := exec.LookPath("nm")
	if err != nil {
		t.Skip("nm not found")
	}
	lib := helperPath(t)
	out, err := exec.Command(nm, "-D", "--defined-only", lib).CombinedOutput()
	if err != nil {
		t.Fatalf("nm -D --defined-only %s: %v\n%s", lib, err, out)
	}
	t.Logf("nm -D --defined-only %s:\n%s", lib, out)
	var n int
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		sym := f[len(f)-1]
		if i := strings.IndexByte(sym, '@'); i >= 0 {
			sym = sym[:i]
		}
		switch {
		case strings.HasPrefix(sym, "pgml_blas_"):
			n++
		case len(f) == 3 && f[1] == "A" && sym == "PGML_BLAS_1": // version node
		default:
			t.Errorf("unexpected exported symbol: %q", line)
		}
	}
	if n != 7 {
		t.Errorf("%d pgml_blas_* symbols exported, want 7", n)
	}
}

func countTasks(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skipf("no /proc/self/task: %v", err)
	}
	return len(ents)
}

// TestThreads is an in-process sanity check: after a large dgemm this
// process must not have more OS threads than the Go runtime created (Go
// threads may exit, so this can hide a foreign thread; TestThreadsDlopen is
// the exact check).
func TestThreads(t *testing.T) {
	n := 1000
	a, b, c := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	for i := range a {
		a[i], b[i] = float64(i%7), float64(i%5)
	}
	forceBLAS(t)
	Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, b, n, 0, c, n)
	var tasks, goThreads int
	for try := 0; try < 20; try++ { // the Go runtime may add a thread meanwhile
		goThreads = pprof.Lookup("threadcreate").Count()
		tasks = countTasks(t)
		if tasks <= goThreads {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("after 1000x1000 dgemm: %d OS threads, %d created by the Go runtime, openblas_get_num_threads()=%d", tasks, goThreads, NumThreads())
	if tasks > goThreads {
		t.Errorf("%d OS threads but the Go runtime created only %d: OpenBLAS started threads", tasks, goThreads)
	}
}

const threadProbe = `#include <dlfcn.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
static int tasks(void) {
	int n = 0; DIR *d = opendir("/proc/self/task"); struct dirent *e;
	while ((e = readdir(d)) != NULL) if (e->d_name[0] != '.') n++;
	closedir(d); return n;
}
int main(int argc, char **argv) {
	int before = tasks();
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL);
	if (!h) { printf("dlopen: %s\n", dlerror()); return 1; }
	int loaded = tasks();
	int n = 1000; double *a = calloc(n*n, 8), *b = calloc(n*n, 8), *c = calloc(n*n, 8);
	void *f = dlsym(h, argv[2]);
	if (!f) { printf("dlsym: %s\n", dlerror()); return 1; }
	if (argv[2][0] == 'c') { /* cblas_dgemm has a leading order argument */
		void (*g)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int) = f;
		g(101, 111, 111, n, n, n, 1, a, n, b, n, 0, c, n);
	} else {
		void (*g)(int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int) = f;
		g(111, 111, n, n, n, 1, a, n, b, n, 0, c, n);
	}
	printf("%d %d %d\n", before, loaded, tasks());
	return 0;
}
`

// TestThreadsDlopen dlopens the helper (RTLD_GLOBAL, as PostgreSQL does)
// from a plain C program and counts /proc/self/task before the load, after
// it and after a 1000x1000 dgemm, with and without OPENBLAS_NUM_THREADS in
// the environment. As a control it does the same with the system's shared
// pthread OpenBLAS, which does start threads.
func TestThreadsDlopen(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	lib := helperPath(t)
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "probe.c"), filepath.Join(dir, "probe")
	if err := os.WriteFile(src, []byte(threadProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gcc, "-O1", "-o", bin, src, "-ldl").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	run := func(lib, sym string, env ...string) (before, loaded, after int) {
		cmd := exec.Command(bin, lib, "dgemm")
		cmd.Args[2] = sym
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "OPENBLAS_NUM_THREADS=") && !strings.HasPrefix(e, "OMP_NUM_THREADS=") && !strings.HasPrefix(e, "GOTO_NUM_THREADS=") {
				cmd.Env = append(cmd.Env, e)
			}
		}
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", bin, lib, err, out)
		}
		if _, err := fmt.Sscan(string(out), &before, &loaded, &after); err != nil {
			t.Fatalf("probe output %q: %v", out, err)
		}
		return
	}
	for _, env := range [][]string{nil, {"OPENBLAS_NUM_THREADS=4"}} {
		b, l, a := run(lib, "pgml_blas_dgemm", env...)
		t.Logf("helper, %v: threads before dlopen %d, after dlopen %d, after dgemm %d", env, b, l, a)
		if b != 1 || l != 1 || a != 1 {
			t.Errorf("helper, %v: threads %d/%d/%d, want 1/1/1", env, b, l, a)
		}
	}
	const sys = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"
	if _, err := os.Stat(sys); err == nil && runtime.NumCPU() > 1 {
		b, l, a := run(sys, "cblas_dgemm")
		t.Logf("control %s: threads before dlopen %d, after dlopen %d, after dgemm %d", sys, b, l, a)
		if l <= 1 {
			t.Logf("control did not start threads: the probe may not detect them")
		}
	}
}
