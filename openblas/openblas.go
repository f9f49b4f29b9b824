package openblas

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// libpgml_blas.so is dlopen'ed on the first call that needs it, not linked: loading it (25 MB,
// 11,000 relocations, OpenBLAS' constructor) is a cost every backend paid on its first pgml call,
// and predicting never uses BLAS (docs/native-inference.md, first predict). The name is
// resolved through pgml.so's RUNPATH ($ORIGIN), or LD_LIBRARY_PATH for tests.
static struct
{
	void	   *handle;
	void		(*dgemm) (int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
	void		(*dsyrk) (int, int, int, int, double, const double *, int, double, double *, int);
	void		(*dtrsm) (int, int, int, int, int, int, double, const double *, int, double *, int);
	void		(*dgemv) (int, int, int, double, const double *, int, const double *, int, double, double *, int);
	void		(*set_num_threads) (int);
	int			(*get_num_threads) (void);
	const char *(*get_config) (void);
}			blas;
static const char *blas_error = "not loaded";
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void
blas_open(void)
{
	void	   *h = dlopen("libpgml_blas.so", RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
	{
		blas_error = dlerror();
		return;
	}
	*(void **) &blas.dgemm = dlsym(h, "pgml_blas_dgemm");
	*(void **) &blas.dsyrk = dlsym(h, "pgml_blas_dsyrk");
	*(void **) &blas.dtrsm = dlsym(h, "pgml_blas_dtrsm");
	*(void **) &blas.dgemv = dlsym(h, "pgml_blas_dgemv");
	*(void **) &blas.set_num_threads = dlsym(h, "pgml_blas_set_num_threads");
	*(void **) &blas.get_num_threads = dlsym(h, "pgml_blas_get_num_threads");
	*(void **) &blas.get_config = dlsym(h, "pgml_blas_get_config");
	if (!blas.dgemm || !blas.dsyrk || !blas.dtrsm || !blas.dgemv || !blas.set_num_threads || !blas.get_num_threads || !blas.get_config)
	{
		blas_error = "libpgml_blas.so lacks a pgml_blas_* function";
		return;
	}
	blas.set_num_threads(1);	// pgml_blas.c's constructor started none; see doc.go
	blas.handle = h;
	blas_error = NULL;
}

// Loads the helper once (from any thread); 1 if it is usable.
static int
pgml_blas_ready(void)
{
	pthread_once(&blas_once, blas_open);
	return blas.handle != NULL;
}

static const char *pgml_blas_error(void) { return blas_error; }

// Called only once pgml_blas_ready() said 1.
static void pgml_blas_dgemm(int ta, int tb, int m, int n, int k, double alpha, const double *a, int lda,
							const double *b, int ldb, double beta, double *c, int ldc)
{
	blas.dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
static void pgml_blas_dsyrk(int ul, int t, int n, int k, double alpha, const double *a, int lda, double beta, double *c, int ldc)
{
	blas.dsyrk(ul, t, n, k, alpha, a, lda, beta, c, ldc);
}
static void pgml_blas_dtrsm(int s, int ul, int ta, int d, int m, int n, double alpha, const double *a, int lda, double *b, int ldb)
{
	blas.dtrsm(s, ul, ta, d, m, n, alpha, a, lda, b, ldb);
}
static void pgml_blas_dgemv(int t, int m, int n, double alpha, const double *a, int lda, const double *x, int incx,
							double beta, double *y, int incy)
{
	blas.dgemv(t, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
static void pgml_blas_set_num_threads(int n) { blas.set_num_threads(n); }
static int pgml_blas_get_num_threads(void) { return blas.get_num_threads(); }
static const char *pgml_blas_get_config(void) { return blas.get_config(); }
*/
import "C"

import (
	"fmt"
	"math"
	"sync"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// CBLAS numeric enum values taken by the helper (gonum uses ASCII letters).
const (
	cblasNoTrans = 111
	cblasTrans   = 112
	cblasUpper   = 121
	cblasLower   = 122
	cblasNonUnit = 131
	cblasUnit    = 132
	cblasLeft    = 141
	cblasRight   = 142
)

// The conversions below are only called after validation.

func cTrans(t blas.Transpose) C.int {
	if t == blas.NoTrans {
		return cblasNoTrans
	}
	return cblasTrans // Trans and ConjTrans are the same for real matrices.
}

func cUplo(ul blas.Uplo) C.int {
	if ul == blas.Upper {
		return cblasUpper
	}
	return cblasLower
}

func cDiag(d blas.Diag) C.int {
	if d == blas.Unit {
		return cblasUnit
	}
	return cblasNonUnit
}

func cSide(s blas.Side) C.int {
	if s == blas.Left {
		return cblasLeft
	}
	return cblasRight
}

// Size thresholds deciding when a call goes to OpenBLAS. Below them the
// embedded pure-Go gonum implementation is used: a cgo call costs ~100 ns and
// OpenBLAS has a per-call setup cost of a few hundred ns, which dominates for
// tiny problems. Measured with openblas_bench_test.go (-cpu 1, square
// matrices, OpenBLAS 0.3.21 Cooperlake kernels); see doc.go for figures.
// They are variables so that tests and benchmarks can move them.
var (
	// Dgemm goes to OpenBLAS if m*n*k >= DgemmMinWork (crossover n≈5).
	DgemmMinWork = 8 * 8 * 8
	// Dsyrk goes to OpenBLAS if n*n*k >= DsyrkMinWork (crossover n≈6).
	DsyrkMinWork = 8 * 8 * 8
	// Dtrsm goes to OpenBLAS if m*n*k >= DtrsmMinWork, k being the order
	// of A (crossover n≈12).
	DtrsmMinWork = 16 * 16 * 16
	// Dgemv goes to OpenBLAS if DgemvMinWork <= m*n <= DgemvMaxWork. It is
	// memory bound: OpenBLAS is 1.1-1.6x faster for 64² to 1000², break-even
	// or slower for larger matrices that do not fit in cache.
	DgemvMinWork = 64 * 64
	DgemvMaxWork = 1 << 20
)

// Implementation satisfies gonum's blas.Float64. The routines Dgemm,
// Dsyrk, Dtrsm and Dgemv go to OpenBLAS when the problem is large enough;
// everything else, and all small or invalid calls, are handled by the
// embedded pure-Go gonum.Implementation. Argument validation, including the
// panics and their messages, is gonum's: an argument set is only handed to
// OpenBLAS after checks identical to gonum's have passed, and any call that
// fails them is forwarded to gonum, which panics.
type Implementation struct {
	gonum.Implementation
}

var _ blas.Float64 = Implementation{}

// Use installs Implementation as the blas64 implementation used by gonum/mat, gonum/lapack
// etc. OpenBLAS itself is loaded (single threaded) by the first call large enough for it.
func Use() {
	blas64.Use(Implementation{})
}

// loaded reports whether libpgml_blas.so is loaded, loading it on the first call. Without it
// every routine runs in the embedded pure-Go gonum implementation: slower, same results.
var loaded = sync.OnceValue(func() bool { return C.pgml_blas_ready() != 0 })

// Loaded loads libpgml_blas.so if it is not yet, and says why it cannot be used, or nil.
func Loaded() error {
	if loaded() {
		return nil
	}
	return fmt.Errorf("openblas: libpgml_blas.so: %s", C.GoString(C.pgml_blas_error()))
}

// SetNumThreads sets the OpenBLAS thread count. pgml uses 1 (parallelism
// comes from PostgreSQL backends); larger values start worker threads.
func SetNumThreads(n int) {
	if loaded() {
		C.pgml_blas_set_num_threads(C.int(n))
	}
}

// NumThreads returns the OpenBLAS thread count (openblas_get_num_threads), 0 without OpenBLAS.
func NumThreads() int {
	if !loaded() {
		return 0
	}
	return int(C.pgml_blas_get_num_threads())
}

// Config returns the OpenBLAS build configuration string
// (openblas_get_config), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY ...",
// or why OpenBLAS is not used.
func Config() string {
	if err := Loaded(); err != nil {
		return err.Error()
	}
	return C.GoString(C.pgml_blas_get_config())
}

// fits reports whether all values fit OpenBLAS' 32-bit blasint.
func fits(v ...int) bool {
	for _, x := range v {
		if x < math.MinInt32 || x > math.MaxInt32 {
			return false
		}
	}
	return true
}

// work returns a*b*c, saturating instead of overflowing (arguments >= 0).
func work(a, b, c int) int {
	if a == 0 || b == 0 || c == 0 {
		return 0
	}
	const lim = math.MaxInt64
	if a > lim/b {
		return lim
	}
	ab := a * b
	if ab > lim/c {
		return lim
	}
	return ab * c
}

func isTrans(t blas.Transpose) bool { return t == blas.Trans || t == blas.ConjTrans }

func validTrans(t blas.Transpose) bool {
	return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
}

func ptr(s []float64) *C.double { return (*C.double)(unsafe.Pointer(&s[0])) }

// Dgemm computes
//
//	C = alpha * op(A) * op(B) + beta * C
//
// See gonum.Implementation.Dgemm.
func (impl Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !dgemmUseBLAS(tA, tB, m, n, k, alpha, a, lda, b, ldb, c, ldc) || !loaded() {
		impl.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	C.pgml_blas_dgemm(cTrans(tA), cTrans(tB), C.int(m), C.int(n), C.int(k),
		C.double(alpha), ptr(a), C.int(lda), ptr(b), C.int(ldb),
		C.double(beta), ptr(c), C.int(ldc))
}

// dgemmUseBLAS mirrors the checks of gonum's Dgemm (v0.17.0) and reports
// whether the call is valid, non-trivial and large enough for OpenBLAS.
func dgemmUseBLAS(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) bool {
	if !validTrans(tA) || !validTrans(tB) || m < 0 || n < 0 || k < 0 {
		return false
	}
	if m == 0 || n == 0 || k == 0 || alpha == 0 || work(m, n, k) < DgemmMinWork {
		return false
	}
	aTrans, bTrans := isTrans(tA), isTrans(tB)
	if aTrans {
		if lda < max(1, m) || len(a) < (k-1)*lda+m {
			return false
		}
	} else if lda < max(1, k) || len(a) < (m-1)*lda+k {
		return false
	}
	if bTrans {
		if ldb < max(1, k) || len(b) < (n-1)*ldb+k {
			return false
		}
	} else if ldb < max(1, n) || len(b) < (k-1)*ldb+n {
		return false
	}
	if ldc < max(1, n) || len(c) < (m-1)*ldc+n {
		return false
	}
	return fits(m, n, k, lda, ldb, ldc)
}

// Dsyrk performs one of the symmetric rank-k operations
//
//	C = alpha * A * Aᵀ + beta * C  if tA == blas.NoTrans
//	C = alpha * Aᵀ * A + beta * C  if tA == blas.Trans or tA == blas.ConjTrans
//
// updating only the ul triangle of C. See gonum.Implementation.Dsyrk.
func (impl Implementation) Dsyrk(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	if !dsyrkUseBLAS(ul, tA, n, k, alpha, a, lda, c, ldc) || !loaded() {
		impl.Implementation.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	C.pgml_blas_dsyrk(cUplo(ul), cTrans(tA), C.int(n), C.int(k),
		C.double(alpha), ptr(a), C.int(lda), C.double(beta), ptr(c), C.int(ldc))
}

func dsyrkUseBLAS(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int, c []float64, ldc int) bool {
	if (ul != blas.Lower && ul != blas.Upper) || !validTrans(tA) || n < 0 || k < 0 {
		return false
	}
	if n == 0 || k == 0 || alpha == 0 || work(n, n, k) < DsyrkMinWork {
		return false
	}
	row, col := k, n
	if tA == blas.NoTrans {
		row, col = n, k
	}
	if lda < max(1, col) || ldc < max(1, n) {
		return false
	}
	if len(a) < lda*(row-1)+col || len(c) < ldc*(n-1)+n {
		return false
	}
	return fits(n, k, lda, ldc)
}

// Dtrsm solves one of the matrix equations
//
//	op(A) * X = alpha * B  if side == blas.Left
//	X * op(A) = alpha * B  if side == blas.Right
//
// overwriting B with X. See gonum.Implementation.Dtrsm.
func (impl Implementation) Dtrsm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) {
	if !dtrsmUseBLAS(s, ul, tA, d, m, n, alpha, a, lda, b, ldb) || !loaded() {
		impl.Implementation.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	C.pgml_blas_dtrsm(cSide(s), cUplo(ul), cTrans(tA), cDiag(d), C.int(m), C.int(n),
		C.double(alpha), ptr(a), C.int(lda), ptr(b), C.int(ldb))
}

func dtrsmUseBLAS(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float64, a []float64, lda int, b []float64, ldb int) bool {
	if (s != blas.Left && s != blas.Right) || (ul != blas.Lower && ul != blas.Upper) ||
		!validTrans(tA) || (d != blas.NonUnit && d != blas.Unit) || m < 0 || n < 0 {
		return false
	}
	k := n
	if s == blas.Left {
		k = m
	}
	if m == 0 || n == 0 || alpha == 0 || work(m, n, k) < DtrsmMinWork {
		return false
	}
	if lda < max(1, k) || ldb < max(1, n) {
		return false
	}
	if len(a) < lda*(k-1)+k || len(b) < ldb*(m-1)+n {
		return false
	}
	return fits(m, n, lda, ldb)
}

// Dgemv computes
//
//	y = alpha * A * x + beta * y   if tA == blas.NoTrans
//	y = alpha * Aᵀ * x + beta * y  if tA == blas.Trans or blas.ConjTrans
//
// See gonum.Implementation.Dgemv.
func (impl Implementation) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	if !dgemvUseBLAS(tA, m, n, alpha, a, lda, x, incX, y, incY) || !loaded() {
		impl.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	C.pgml_blas_dgemv(cTrans(tA), C.int(m), C.int(n), C.double(alpha), ptr(a), C.int(lda),
		ptr(x), C.int(incX), C.double(beta), ptr(y), C.int(incY))
}

func dgemvUseBLAS(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, y []float64, incY int) bool {
	if !validTrans(tA) || m < 0 || n < 0 || incX == 0 || incY == 0 {
		return false
	}
	if m == 0 || n == 0 || alpha == 0 || work(m, n, 1) < DgemvMinWork || work(m, n, 1) > DgemvMaxWork || lda < max(1, n) {
		return false
	}
	lenX, lenY := m, n
	if tA == blas.NoTrans {
		lenX, lenY = n, m
	}
	if (incX > 0 && (lenX-1)*incX >= len(x)) || (incX < 0 && (1-lenX)*incX >= len(x)) {
		return false
	}
	if (incY > 0 && (lenY-1)*incY >= len(y)) || (incY < 0 && (1-lenY)*incY >= len(y)) {
		return false
	}
	if len(a) < lda*(m-1)+n {
		return false
	}
	return fits(m, n, lda, incX, incY)
}
