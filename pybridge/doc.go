// Package pybridge runs pgml's Python algorithms (scikit-learn, XGBoost: the
// python column of the algorithm table in docs/sql-reference.md, with
// PostgresML 2.x's clustering and decomposition algorithms), without linking pgml.so against libpython, in
// two places:
//
//   - Worker (worker.go, fit.go, protocol.go, worker.py): fits, in a python3
//     process per backend that a cancel kills. A fit in compiled code (libsvm,
//     tree builders, BLAS) cannot be interrupted, so it is abandoned instead;
//     its memory is bounded, and a crash or an OOM kill takes only the worker.
//     This is how the extension trains (extension/python.go), and how
//     pgml.nativize reloads a stored pickle for its native form (convert.go).
//   - Model, Train, Load (model.go, loader.go): an interpreter embedded in the
//     calling process, through the helper library. The extension loads and
//     predicts stored models without a native form there (a prediction is a
//     short call, many per statement).
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
//     only); model.go: Model, Train, Load; views.go: what Model and Fitted
//     share (description, prediction methods, AsModel's views).
//   - worker.go: Worker (the process: start, reuse, kill, reap, errors);
//     fit.go: FitRequest, Fitted; protocol.go: frames over the pipes;
//     worker.py: the worker's side (embedded like bridge.py and sent to the
//     process when it starts); threads.go: CapThreads.
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
// # Interpreter start (rule 10 in docs/architecture.md)
//
// pgml_py_start runs once per process, on the calling thread, which becomes
// Python's main thread. All signals are blocked (pthread_sigmask) from
// before Py_InitializeFromConfig until the imports of numpy, scipy, sklearn
// and the bridge are done (rule 6 there), so that threads started meanwhile
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
// With SetThreads(n > 1), the embedded interpreter's fits (Train), loads and
// predictions also run with all signals blocked, because libgomp creates its
// pool at the first parallel region. That delays query cancellation until the
// call returns: PostgreSQL's SIGINT handler cannot run on the main thread
// meanwhile. With the default of one thread no BLAS or OpenMP worker threads
// are ever created (verified in /proc/self/task), so calls run with the
// caller's mask and remain cancelable. (A Worker's threads live in its own
// process: they never delay a cancel.)
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
// Every algorithm of that table is mapped for the tasks it supports,
// including both spellings of orthogonal matching pursuit. An unsupported
// pair gives "ValueError: `lasso` does not support classification"; and
// a name without an estimator "`x` does not support <task>". Hyperparameters (a JSON
// object) become keyword arguments; if the estimator has random_state (per
// get_params()) and the user gave none, random_state=0 is added (1.0) and the
// effective hyperparameters are returned as JSON. Unknown keywords give the
// constructor's TypeError. With more than one target the estimators marked
// wrap_multioutput in bridge.py's table are wrapped in MultiOutputRegressor (keywords go to the inner estimator);
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
// # Cancellation (embedded interpreter)
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
// # Training worker
//
// A Worker starts on its first request: /usr/bin/python3 -I -c <bootstrap>
// pgml-python-worker <pid of the starter> (WorkerProgram: Debian's
// interpreter by absolute path, like the helper's PYTHON_PROGRAM; -I ignores
// PYTHON* variables and the user site, so a pyenv python3 first on PATH or a
// PYTHONPATH cannot change what loads). The environment is replaced:
// PATH=/usr/bin:/bin, LC_ALL=C.UTF-8, HOME and TMPDIR if set, and
// OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS = WorkerConfig.Threads.
// The bootstrap closes every inherited descriptor above 2 first (PostgreSQL's
// client socket and data files are not close-on-exec), then reads worker.py
// from stdin; worker.py sets its oom_score_adj to 1000 (the kernel's OOM
// killer takes it before any PostgreSQL process), enables faulthandler (a
// segfault prints the Python stack to stderr, which is the server log),
// points fd 1 at stderr (library output never enters the protocol), receives
// bridge.py, imports numpy, scipy and scikit-learn, activates
// WorkerConfig.Venvs and answers. Start costs about 1.5 s of CPU (1.1 s user,
// 0.45 s system; 4-7 s elapsed on this loaded 2-core machine); the process is
// then reused by every fit
// (a search pays it once), and replaced when Threads or Venvs change. Its RSS
// is about 110 MB idle.
//
// Life and death. The process has its own process group (PostgreSQL signals
// a backend's group on cancel, statement_timeout and reload; none of those is
// for the worker) and PR_SET_PDEATHSIG SIGKILL: Linux sends it when the
// *thread* that forked exits, so Fit must be called from a thread that lives
// as long as the process; in a backend the exported call's goroutine runs on
// the main thread. It also exits when its stdin reaches EOF (the backend
// exited or closed the pipe). While Go waits for a reply it polls ctx every
// ioPoll (10 ms) between pipe reads and writes (deadlines on the pipes; no
// goroutine); when ctx ends it sends SIGKILL to the worker's process group,
// closes the pipes and returns ErrInterrupted at once: a goroutine reaps the
// process (a process with gigabytes mapped takes a while to exit), so no
// zombie stays. The next request starts a new worker. Measured (harness,
// loaded 2-core machine): pg_cancel_backend returns 13-90 ms after the
// cancel, during the worker's start or 0.3 to 2.5 s into libsvm's SVC fit;
// statement_timeout 11-30 ms late; pg_terminate_backend ends the session in
// 48 ms and the worker with it.
//
// Protocol (protocol.go, worker.py): frames of an 8-byte head (magic "PGML",
// JSON header length), a JSON header, then binary blocks whose sizes the
// header lists; matrices are raw little-endian float64. A fit sends x, y and
// the held-out rows; the reply carries the pickle, the effective
// hyperparameters, the description and the predictions (and, for
// classifiers with at most FitRequest.ProbabilityClasses classes, the
// probabilities) of the held rows: Fitted.AsModel answers Predict and
// PredictProba for exactly those rows (the same memory, whole rows, in any
// chunks), which is what scoring needs, and errors for any other rows. Both
// pipes are enlarged to 1 MiB. Measured for 1M × 20 (160 MB),
// BenchmarkWorkerTransfer on the loaded machine: through the pipe 112-248 ms
// (206 ms with 64 KiB pipes); written to a memfd that the worker reads by
// /proc path, 735-858 ms (the shared pages are allocated on every write). The
// pipe is faster and needs nothing shared.
//
// Memory. Before reading a request's data the worker sets RLIMIT_DATA to
// WorkerConfig.MemoryLimit (0: the hard limit): allocations beyond it fail,
// numpy raises MemoryError, the reply is a *PythonError that matches
// ErrOutOfMemory, and the worker lives on (blocks not yet read are drained so
// the protocol stays in step). RLIMIT_AS is not used: it counts the address
// space OpenBLAS and glibc reserve per thread (VmSize 315 MB with 1 BLAS
// thread, 945 MB with 4, against VmData 203 and 377 MB), and with 4 threads
// under a 400 MB RLIMIT_AS the interpreter spun forever instead of failing;
// under a 400 MB RLIMIT_DATA the same fits work and a 3 GB kernel matrix
// fails with MemoryError (measured with numpy 1.24, scipy 1.10, OpenBLAS
// 0.3.21). The interpreter's start is not limited.
//
// Errors of Fit: ErrInterrupted (ctx ended; the worker was killed);
// ErrUnavailable (the program is missing, the imports failed, a venv is not
// one, or pgml.inject_fault = python_bridge); *PythonError (the fit raised:
// same "<Type>: <message>" text as the embedded interpreter gives);
// *WorkerExitError (the worker died: the signal, e.g. SIGSEGV from a C
// extension, SIGKILL from the OOM killer, or its exit status). After the
// latter two kinds of failure of the process, the next request starts a new
// one; after a *PythonError the worker is reused.
//
// Threads. CapThreads lowers the hyperparameters that start threads or
// processes (ThreadParameters: n_jobs, nthread, num_threads, thread_count, …)
// to a limit when they exceed it or ask for "all cores" (≤ 0); the extension
// uses min(pgml.python_threads, pgml.training_threads) as the limit, which is
// also WorkerConfig.Threads, and reports each change in a NOTICE.
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
