/*
 * pgml_blas.c - tiny shared-library wrapper around the static OpenBLAS
 * archive. See ../doc.go for why this library exists. Build with
 * ../Makefile.inc: the archive is linked with -Wl,--exclude-libs,ALL and the
 * version script pgml_blas.map so that only pgml_blas_* is exported.
 */
#include <cblas.h>

#include "pgml_blas.h"

/* The pgml API passes CBLAS enum values as plain ints. */
_Static_assert(CblasNoTrans == 111 && CblasTrans == 112 && CblasConjTrans == 113, "CBLAS_TRANSPOSE values");
_Static_assert(CblasUpper == 121 && CblasLower == 122, "CBLAS_UPLO values");
_Static_assert(CblasNonUnit == 131 && CblasUnit == 132, "CBLAS_DIAG values");
_Static_assert(CblasLeft == 141 && CblasRight == 142, "CBLAS_SIDE values");

/*
 * Keep OpenBLAS single threaded from the very start.
 *
 * OpenBLAS' library constructor gotoblas_init() (memory.o, an unprioritised
 * constructor) determines the thread count (from OPENBLAS_NUM_THREADS etc.,
 * default: number of CPUs) only if blas_cpu_number is still 0, and then
 * blas_thread_init() starts blas_num_threads-1 worker threads. Worker
 * threads inside a PostgreSQL backend are unwanted (parallelism comes from
 * backends, and they would also receive process-directed signals), so we
 * preset both counters to 1 in a *prioritised* constructor, which the
 * dynamic loader runs before all unprioritised ones of this object, i.e.
 * before gotoblas_init(). This does not touch the process environment, so a
 * numpy loaded later in the same process is unaffected.
 *
 * These are internal OpenBLAS globals (visible to us because we link the
 * static archive; hidden from everybody else by --exclude-libs). Verified
 * for the Debian 12 archive (OpenBLAS 0.3.21): no extra thread exists after
 * load nor after a large dgemm (see TestThreads in ../openblas_test.go).
 */
extern int blas_cpu_number;
extern int blas_num_threads;

__attribute__((constructor(101))) static void pgml_blas_preinit(void)
{
	if (blas_cpu_number == 0)
		blas_cpu_number = 1;
	if (blas_num_threads == 0)
		blas_num_threads = 1;
}

static enum CBLAS_TRANSPOSE trans_of(int t)
{
	/* ConjTrans is Trans for real matrices. */
	return t == CblasNoTrans ? CblasNoTrans : CblasTrans;
}

void pgml_blas_dgemm(int transA, int transB, int m, int n, int k,
                     double alpha, const double *a, int lda,
                     const double *b, int ldb,
                     double beta, double *c, int ldc)
{
	cblas_dgemm(CblasRowMajor, trans_of(transA), trans_of(transB),
	            m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void pgml_blas_dsyrk(int uplo, int trans, int n, int k,
                     double alpha, const double *a, int lda,
                     double beta, double *c, int ldc)
{
	cblas_dsyrk(CblasRowMajor, (enum CBLAS_UPLO)uplo, trans_of(trans),
	            n, k, alpha, a, lda, beta, c, ldc);
}

void pgml_blas_dtrsm(int side, int uplo, int transA, int diag, int m, int n,
                     double alpha, const double *a, int lda,
                     double *b, int ldb)
{
	cblas_dtrsm(CblasRowMajor, (enum CBLAS_SIDE)side, (enum CBLAS_UPLO)uplo,
	            trans_of(transA), (enum CBLAS_DIAG)diag,
	            m, n, alpha, a, lda, b, ldb);
}

void pgml_blas_dgemv(int trans, int m, int n,
                     double alpha, const double *a, int lda,
                     const double *x, int incx,
                     double beta, double *y, int incy)
{
	cblas_dgemv(CblasRowMajor, trans_of(trans), m, n, alpha, a, lda,
	            x, incx, beta, y, incy);
}

void pgml_blas_set_num_threads(int n)
{
	openblas_set_num_threads(n);
}

int pgml_blas_get_num_threads(void)
{
	return openblas_get_num_threads();
}

const char *pgml_blas_get_config(void)
{
	return openblas_get_config();
}
