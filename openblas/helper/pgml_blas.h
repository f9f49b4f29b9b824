/*
 * pgml_blas.h - the only interface exported by libpgml_blas.so.
 *
 * All matrices are row-major; the semantics are those of the corresponding
 * CBLAS routine called with CblasRowMajor. Enum-like parameters take the
 * CBLAS numeric values (gonum uses ASCII letters; the Go side converts):
 *   trans: 111 NoTrans, 112 Trans, 113 ConjTrans (== Trans for real data)
 *   uplo:  121 Upper, 122 Lower
 *   diag:  131 NonUnit, 132 Unit
 *   side:  141 Left, 142 Right
 * Integer arguments must fit in a 32-bit int (OpenBLAS is built with
 * 32-bit blasint on Debian); callers are responsible for checking that.
 * No argument validation is done here beyond what OpenBLAS does itself
 * (OpenBLAS' xerbla prints a message and returns); validate before calling.
 */
#ifndef PGML_BLAS_H
#define PGML_BLAS_H

#ifdef __cplusplus
extern "C" {
#endif

void pgml_blas_dgemm(int transA, int transB, int m, int n, int k,
                     double alpha, const double *a, int lda,
                     const double *b, int ldb,
                     double beta, double *c, int ldc);

void pgml_blas_dsyrk(int uplo, int trans, int n, int k,
                     double alpha, const double *a, int lda,
                     double beta, double *c, int ldc);

void pgml_blas_dtrsm(int side, int uplo, int transA, int diag, int m, int n,
                     double alpha, const double *a, int lda,
                     double *b, int ldb);

void pgml_blas_dgemv(int trans, int m, int n,
                     double alpha, const double *a, int lda,
                     const double *x, int incx,
                     double beta, double *y, int incy);

/* Sets the number of OpenBLAS threads (openblas_set_num_threads). pgml
 * always uses 1: parallelism comes from PostgreSQL backends. */
void pgml_blas_set_num_threads(int n);

/* Returns openblas_get_num_threads(). */
int pgml_blas_get_num_threads(void);

/* Returns openblas_get_config(): a static string, do not free. */
const char *pgml_blas_get_config(void);

#ifdef __cplusplus
}
#endif

#endif /* PGML_BLAS_H */
