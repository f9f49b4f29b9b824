// Package pybridge runs pgml's Python algorithms (scikit-learn, XGBoost;
// specification table 3.5, and PostgresML 2.x's clustering and
// decomposition algorithms) in an embedded CPython, without linking pgml.so
// against libpython.
//
// # Layout
//
//   - helper/pgml_python.c, .h, .map: libpgml_python.so, a small C library
//     linked with -lpython3.11 that holds every use of the CPython API and
//     exports only pgml_py_* (version script; pybridge/Makefile.inc's
//     pgml-python-check verifies it with nm -D --defined-only).
//   - bridge.py: the Python module pgml_bridge (estimator table, fit,
//     pickle, predict, versions). It is embedded into this Go package
//     (go:embed) and handed to the helper when the interpreter starts, so the
//     Python code always matches the Go code calling it; the helper compiles
//     it with Py_CompileString and PyImport_ExecCodeModule.
//   - loader.go: dlopen/dlsym of the helper and C trampolines (cgo, -ldl
//     only); model.go: Model, Train, Load.
//
// # Loading
//
// Nothing happens at pgml.so load time. The first call that needs Python
// (Available, Train, Load, PythonVersion, PackageVersion, Dependencies,
// PipFreeze, ActivateVenv) dlopen()s the helper with RTLD_NOW|RTLD_LOCAL
// from, in this order: the path given to SetLibraryPath, $PGML_PYTHON_LIBRARY,
// or libpgml_python.so in the directory of the shared object containing
// this package (found with dladdr on a function of the cgo preamble: pgml.so
// in production). If that
// fails (helper or libpython3.11.so.1.0 missing) every call returns
// "python runtime unavailable: <dlerror> (… hint about the Debian packages)"
// and errors.Is(err, ErrUnavailable) holds. A failed load is retried only
// after SetLibraryPath; a successful one is never undone.
//
// The helper then makes libpython global: dlopen(libpython, RTLD_NOLOAD|
// RTLD_GLOBAL) on the path dladdr gives for Py_InitializeFromConfig.
// Measured: without it numpy's C extension fails to import ("Importing the
// numpy C-extensions failed"), because Debian builds extension modules
// without a DT_NEEDED on libpython and they resolve Py* symbols in the
// global scope. Only libpython is promoted; the helper's own symbols stay
// local.
//
// # Interpreter start (rule 10)
//
// pgml_py_start runs once per process, on the calling thread, which becomes
// Python's main thread. All signals are blocked (pthread_sigmask) from
// before Py_InitializeFromConfig until the imports of numpy, scipy, sklearn
// and the bridge are done (rule 6), so that threads started meanwhile
// inherit a full mask. Before that, OPENBLAS_NUM_THREADS, OMP_NUM_THREADS
// and MKL_NUM_THREADS are set with setenv (overwriting) to SetThreads' value,
// default 1. setenv is not thread-safe against concurrent getenv; it is
// called once, on the backend's main thread, before any library that reads
// these variables is loaded by us. The variables are process-wide: they also
// reach anything else in the backend that initializes OpenMP later.
//
// Configuration: PyConfig_InitIsolatedConfig (use_environment=0, so
// PYTHONHOME, PYTHONPATH and friends are ignored; no user site; safe_path),
// site_import=1 (Debian's dist-packages come from site), home="/usr",
// program_name="/usr/bin/python3" (Makefile variables PYTHON_HOME and
// PYTHON_PROGRAM), install_signal_handlers=0, write_bytecode=0. Tested: with
// PYTHONHOME=/nonexistent, a PYTHONPATH holding a fake numpy and pyenv first
// on PATH, numpy still comes from /usr/lib/python3/dist-packages. If the
// interpreter was already started by someone else in the process (e.g.
// plpython3u), it is used as is.
//
// After start the GIL is released (PyEval_SaveThread); every pgml_py_*
// function takes it with PyGILState_Ensure and releases it before returning.
// Python exceptions come back as malloc'd "<Type>: <message>" strings
// (PythonError on the Go side); nothing is printed. Python warnings
// (ConvergenceWarning, FutureWarning, …) are ignored by the bridge, since
// they would otherwise go to the server log on every fit.
//
// With SetThreads(n > 1), fits, loads and predictions also run with all
// signals blocked, because libgomp creates its pool at the first parallel
// region. That delays query cancellation until the call returns: PostgreSQL's
// SIGINT handler cannot run on the main thread meanwhile. With the default of
// one thread no BLAS or OpenMP worker threads are ever created (verified in
// /proc/self/task), so fits run with the caller's mask and remain
// cancelable.
//
// # Data
//
// Train copies x and y once into numpy arrays (some estimators, e.g.
// KernelRidge, keep their training X without copying, which must not point
// into Go memory). The unsupervised tasks have no y: Go passes NULL with
// y_cols 0 (y is ignored for them whatever the caller gives), the helper
// hands None to the bridge, and the estimator is fitted on x alone. Predict is zero-copy both ways: x is a read-only numpy
// view over the Go slice (PyMemoryView_FromMemory + numpy.frombuffer) and the
// result is written straight into dst through a writable view. After each
// call the helper calls memoryview.release(), which fails if Python kept a
// reference; that is reported as an error. Load copies the pickle bytes once.
//
// MarshalBinary is pickle protocol 5 of the fitted estimator; Load unpickles
// it. pickle runs arbitrary code while loading: only bytes pgml itself wrote
// into pgml.models may be passed to Load. Load derives the algorithm name
// from the estimator's class (orthogonal_matching_pursuit for either
// spelling) and the task from the estimator: classification if
// sklearn.base.is_classifier, clustering if it is a clusterer
// (_estimator_type "clusterer", or sklearn.base.is_clusterer where it
// exists), decomposition if it has transform, components_ and n_components_
// but no predict (PCA), regression otherwise. A pickle of an object with
// neither predict nor that shape is "TypeError: the pickle does not hold a
// model (got <type>)".
//
// # Estimators
//
// Every algorithm of table 3.5 is mapped for the tasks it supports,
// including both spellings of orthogonal matching pursuit. An unsupported
// pair gives "ValueError: `lasso` does not support classification"; and
// a name without an estimator "`x` does not support <task>". Hyperparameters (a JSON
// object) become keyword arguments; if the estimator has random_state (per
// get_params()) and the user gave none, random_state=0 is added (1.0) and the
// effective hyperparameters are returned as JSON. Unknown keywords give the
// constructor's TypeError. With more than one target the (M) estimators are
// wrapped in MultiOutputRegressor (keywords go to the inner estimator);
// others get the 2-D y as is. lightgbm and catboost are mapped but raise
// "ImportError: lightgbm is not installed: No module named 'lightgbm'" when
// the package is missing (it is on Debian 12). xgboost's classifiers need
// labels 0…K-1 (its own error otherwise).
//
// The unsupervised tasks of PostgresML 2.x:
//
//	task           algorithm             estimator
//	clustering     kmeans (default)      sklearn.cluster.KMeans
//	clustering     mini_batch_kmeans     sklearn.cluster.MiniBatchKMeans
//	clustering     affinity_propagation  sklearn.cluster.AffinityPropagation
//	clustering     birch                 sklearn.cluster.Birch
//	clustering     mean_shift            sklearn.cluster.MeanShift
//	decomposition  pca (default)         sklearn.decomposition.PCA
//
// PostgresML's other clustering names (dbscan, feature_agglomeration,
// optics, spectral, spectral_bi, spectral_co, agglomerative) have no predict
// for new rows and are rejected like any unsupported pair: "ValueError:
// `dbscan` does not support clustering". Hyperparameters and random_state
// as above (KMeans, MiniBatchKMeans, AffinityPropagation and PCA get
// random_state=0). A clusterer predicts one value per row, its cluster index
// (est.predict). A decomposition "predicts" est.transform: NumOutputs is
// n_components_ values per row (pgml.predict takes the first,
// pgml.decompose all), and its explained_variance_ratio_ is
// Model.ExplainedVarianceRatio, which AsModel's value exposes only for a
// decomposition (the extension's cumulative_explained_variance).
//
// # Cancellation
//
// RequestInterrupt (pgml_py_request_interrupt) may be called from any
// thread, without the GIL, and never blocks: it sets a flag, queues one
// pending call (Py_AddPendingCall) and posts a semaphore. The pending call
// raises KeyboardInterrupt("canceling statement") in the thread running
// Python; the error matches errors.Is(err, ErrInterrupted). CPython 3.11 runs
// pending calls only in the main thread (the one that started the
// interpreter) and only after that thread recomputes its eval breaker, which
// Py_AddPendingCall from another thread does not trigger: measured, a pure
// Python loop was not interrupted after 20 s. So the helper keeps one
// "poke" thread (started with all signals blocked) that, on the semaphore,
// takes and releases the GIL: the main thread drops the GIL within the
// switch interval (5 ms), recomputes the breaker when it takes it back, and
// runs the pending call. Measured: a GradientBoosting fit stops within
// 10-400 ms, a pure Python loop within ~50 ms. Limits: C code holding the GIL
// (libsvm, some Cython loops, BLAS) is not interrupted until it returns to
// bytecode; code running on a thread other than the interpreter's main
// thread is not interrupted at all (in production every call runs on the
// backend's main thread). A request made while no call is running is
// dropped (the flag is cleared when the next call begins).
//
// # Threads
//
// Every Go entry point locks its goroutine to the OS thread for the call.
// Calls from other threads work (PyGILState creates a thread state per
// call), and the GIL serializes them; Model methods are safe for concurrent
// use. Close must be called to release the Python object (no finalizers:
// they would touch Python from the finalizer goroutine's thread).
//
// # Build and test
//
//	make -f pybridge/Makefile.inc PYTHON_OUT_DIR=/tmp/pyb pgml-python-check
//	PGML_PYTHON_LIBRARY=/tmp/pyb/libpgml_python.so go test ./pybridge/
//
// Without PGML_PYTHON_LIBRARY the tests that need Python are skipped.
// To ship it, the top-level Makefile includes pybridge/Makefile.inc with
// PYTHON_OUT_DIR := . and installs libpgml_python.so beside pgml.so (e.g.
// MODULES += libpgml_python); pgml.so's dependency list should include
// pybridge/bridge.py (embedded).
package pybridge
