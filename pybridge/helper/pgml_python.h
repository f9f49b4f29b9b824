/*
 * pgml_python.h - the C API of libpgml_python.so, pgml's private helper that
 * holds every use of the CPython API.
 *
 * pgml.so never links libpython: the Go package pybridge dlopen()s this
 * library on first use, so a server without Python still loads pgml and runs
 * the native algorithms.
 *
 * Conventions:
 *  - Every function is one complete unit: it takes the GIL
 *    (PyGILState_Ensure) and releases it before returning.
 *  - Functions returning int return 0 on success and -1 on failure, in which
 *    case *err is a malloc'd "<ExceptionType>: <message>" string (free it
 *    with pgml_py_free). Nothing is printed, nothing aborts.
 *  - Models are opaque handles (a strong reference to a Python object owned
 *    by the caller); release them with pgml_py_release.
 *  - Buffers passed in (x, y, dst) are only used during the call.
 *  - pgml_py_start must have succeeded before any other call except
 *    pgml_py_request_interrupt and pgml_py_free.
 */
#ifndef PGML_PYTHON_H
#define PGML_PYTHON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Starts the interpreter (once; later calls return the first result) on the
 * calling thread, which becomes Python's main thread: pending calls, hence
 * pgml_py_request_interrupt, are only run there. Sets OPENBLAS_NUM_THREADS,
 * OMP_NUM_THREADS and MKL_NUM_THREADS to `threads` (setenv, before numpy is
 * imported), blocks all signals while the interpreter starts and numpy,
 * scipy, sklearn and the bridge module (source `src`, `len` bytes) are
 * imported, then releases the GIL. */
int pgml_py_start(const char *src, size_t len, int threads, char **err);

/* Builds and fits an estimator on x (rows × cols, row-major float64) and
 * y (rows × y_cols). y_cols is 0 for the unsupervised tasks (clustering,
 * decomposition): y is then ignored (may be NULL) and the bridge gets None.
 * x and y are copied once. On success *model is the
 * fitted estimator and *hyperparams the effective hyperparameters (JSON,
 * malloc'd). */
int pgml_py_train(const char *algorithm, const char *task, const char *hyperparams,
                  const double *x, int64_t rows, int64_t cols,
                  const double *y, int64_t y_cols,
                  void **model, char **hyperparams_out, char **err);

/* Unpickles a model written by pgml_py_dumps (copied first). */
int pgml_py_load(const void *data, size_t len, void **model, char **err);

/* Pickles a model; *data is malloc'd, *len bytes. */
int pgml_py_dumps(void *model, void **data, size_t *len, char **err);

/* JSON description: algorithm, task, n_features, n_outputs, classes,
 * predict_proba. */
int pgml_py_info(void *model, char **json, char **err);

/* Predicts rows × cols inputs into dst (dst_len values): predictions
 * (proba == 0) or class probabilities (proba != 0). Zero-copy both ways. */
int pgml_py_predict(void *model, const double *x, int64_t rows, int64_t cols,
                    double *dst, int64_t dst_len, int proba, char **err);

/* Calls pgml_bridge.<func>(arg) (or with no argument when arg is NULL); the
 * function must return a str, copied into *out. */
int pgml_py_call_string(const char *func, const char *arg, char **out, char **err);

/* Drops the model's reference (takes the GIL). NULL is ignored. */
void pgml_py_release(void *model);

/* Asks the Python code running in the interpreter's main thread to raise
 * KeyboardInterrupt("canceling statement") at its next bytecode boundary.
 * Callable from any thread, without the GIL. Has no effect when no pgml_py_*
 * call is running. C loops (libsvm, Cython trees, BLAS) are not interrupted:
 * the exception is raised when control returns to Python bytecode. */
void pgml_py_request_interrupt(void);

/* 1 after a successful pgml_py_start. */
int pgml_py_started(void);

/* Frees memory returned by this library. */
void pgml_py_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
