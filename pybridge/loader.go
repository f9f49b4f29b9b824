package pybridge

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The helper's API (pybridge/helper/pgml_python.h), resolved with dlsym.
typedef int (*pgml_pyb_start_fn)(const char *, size_t, int, char **);
typedef int (*pgml_pyb_train_fn)(const char *, const char *, const char *, const double *,
	int64_t, int64_t, const double *, int64_t, void **, char **, char **);
typedef int (*pgml_pyb_load_fn)(const void *, size_t, void **, char **);
typedef int (*pgml_pyb_dumps_fn)(void *, void **, size_t *, char **);
typedef int (*pgml_pyb_info_fn)(void *, char **, char **);
typedef int (*pgml_pyb_predict_fn)(void *, const double *, int64_t, int64_t, double *, int64_t, int, char **);
typedef int (*pgml_pyb_call_string_fn)(const char *, const char *, char **, char **);
typedef void (*pgml_pyb_release_fn)(void *);
typedef void (*pgml_pyb_void_fn)(void);
typedef int (*pgml_pyb_started_fn)(void);
typedef void (*pgml_pyb_free_fn)(void *);

static struct {
	pgml_pyb_start_fn start;
	pgml_pyb_train_fn train;
	pgml_pyb_load_fn load;
	pgml_pyb_dumps_fn dumps;
	pgml_pyb_info_fn info;
	pgml_pyb_predict_fn predict;
	pgml_pyb_call_string_fn call_string;
	pgml_pyb_release_fn release;
	pgml_pyb_void_fn request_interrupt;
	pgml_pyb_started_fn started;
	pgml_pyb_free_fn free;
} pgml_pyb;
static volatile int pgml_pyb_loaded;

static char *pgml_pyb_strdup_dlerror(void) {
	const char *e = dlerror();
	return strdup(e ? e : "unknown dynamic loader error");
}

// Opens the helper RTLD_NOW|RTLD_LOCAL and fills the table. On failure
// returns -1 with a malloc'd dlerror text in *err.
static int pgml_pyb_open(const char *path, char **err) {
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		*err = pgml_pyb_strdup_dlerror();
		return -1;
	}
#define PGML_PYB_SYM(field, name) \
	do { \
		*(void **) &pgml_pyb.field = dlsym(h, name); \
		if (pgml_pyb.field == NULL) { *err = pgml_pyb_strdup_dlerror(); return -1; } \
	} while (0)
	PGML_PYB_SYM(start, "pgml_py_start");
	PGML_PYB_SYM(train, "pgml_py_train");
	PGML_PYB_SYM(load, "pgml_py_load");
	PGML_PYB_SYM(dumps, "pgml_py_dumps");
	PGML_PYB_SYM(info, "pgml_py_info");
	PGML_PYB_SYM(predict, "pgml_py_predict");
	PGML_PYB_SYM(call_string, "pgml_py_call_string");
	PGML_PYB_SYM(release, "pgml_py_release");
	PGML_PYB_SYM(request_interrupt, "pgml_py_request_interrupt");
	PGML_PYB_SYM(started, "pgml_py_started");
	PGML_PYB_SYM(free, "pgml_py_free");
#undef PGML_PYB_SYM
	__atomic_store_n(&pgml_pyb_loaded, 1, __ATOMIC_RELEASE);
	return 0;
}

// The file this code was loaded from (pgml.so in production, the test
// executable in tests), or NULL.
static const char *pgml_pyb_self_path(void) {
	Dl_info info;
	if (dladdr((void *) &pgml_pyb_self_path, &info) == 0 || info.dli_fname == NULL)
		return NULL;
	return info.dli_fname;
}

// Trampolines.
static int pgml_pyb_call_start(const char *src, size_t len, int threads, char **err) {
	return pgml_pyb.start(src, len, threads, err);
}
static int pgml_pyb_call_train(const char *alg, const char *task, const char *hp, const double *x,
		int64_t rows, int64_t cols, const double *y, int64_t ycols, void **model, char **eff, char **err) {
	return pgml_pyb.train(alg, task, hp, x, rows, cols, y, ycols, model, eff, err);
}
static int pgml_pyb_call_load(const void *data, size_t len, void **model, char **err) {
	return pgml_pyb.load(data, len, model, err);
}
static int pgml_pyb_call_dumps(void *model, void **data, size_t *len, char **err) {
	return pgml_pyb.dumps(model, data, len, err);
}
static int pgml_pyb_call_info(void *model, char **json, char **err) {
	return pgml_pyb.info(model, json, err);
}
static int pgml_pyb_call_predict(void *model, const double *x, int64_t rows, int64_t cols,
		double *dst, int64_t dstlen, int proba, char **err) {
	return pgml_pyb.predict(model, x, rows, cols, dst, dstlen, proba, err);
}
static int pgml_pyb_call_string(const char *func, const char *arg, char **out, char **err) {
	return pgml_pyb.call_string(func, arg, out, err);
}
static void pgml_pyb_call_release(void *model) { pgml_pyb.release(model); }
static void pgml_pyb_call_request_interrupt(void) {
	if (__atomic_load_n(&pgml_pyb_loaded, __ATOMIC_ACQUIRE))
		pgml_pyb.request_interrupt();
}
static void pgml_pyb_call_free(void *p) { pgml_pyb.free(p); }
*/
import "C"

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms/faults"
)

//go:embed bridge.py
var bridgeSource string

// LibraryName is the helper's file name; by default it is looked up beside
// the shared object containing this package (pgml.so).
const LibraryName = "libpgml_python.so"

// EnvLibrary overrides the helper's path (tests; SetLibraryPath wins).
const EnvLibrary = "PGML_PYTHON_LIBRARY"

// ErrUnavailable is wrapped by every error caused by the helper library (or
// libpython) failing to load.
var ErrUnavailable = errors.New("python runtime unavailable")

// ErrInterrupted matches (errors.Is) the error of a call stopped by
// RequestInterrupt.
var ErrInterrupted = errors.New("interrupted")

// PythonError is an exception raised in Python, "<Type>: <message>".
type PythonError struct {
	Type    string // e.g. "TypeError", "KeyboardInterrupt"
	Message string
}

func (e *PythonError) Error() string {
	if e.Message == "" {
		return e.Type
	}
	return e.Type + ": " + e.Message
}

// ErrOutOfMemory matches (errors.Is) a MemoryError: in a worker, an allocation beyond
// WorkerConfig.MemoryLimit.
var ErrOutOfMemory = errors.New("out of memory")

// Is makes errors.Is(err, ErrInterrupted) true for KeyboardInterrupt, and
// errors.Is(err, ErrOutOfMemory) for MemoryError.
func (e *PythonError) Is(target error) bool {
	return (target == ErrInterrupted && e.Type == "KeyboardInterrupt") ||
		(target == ErrOutOfMemory && e.Type == "MemoryError")
}

var (
	mu         sync.Mutex
	libPath    string // SetLibraryPath
	threads    = 1
	opened     bool  // dlopen succeeded (never undone)
	startDone  bool  // pgml_py_start returned
	startError error // its result
	// activatedVenvs are ActivateVenv's successful calls, in order.
	activatedVenvs []string
)

// SetLibraryPath sets the helper library's path. It only has an effect
// before the library has been loaded; a failed load is forgotten so that the
// next call tries the new path.
func SetLibraryPath(path string) {
	mu.Lock()
	defer mu.Unlock()
	libPath = path
	if !opened {
		startDone, startError = false, nil
	}
}

// SetThreads sets the number of BLAS/OpenMP threads Python libraries may use
// (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS). It only has an
// effect before the interpreter starts. Default 1: parallelism comes from
// backends (rule 12 in docs/architecture.md). With more than one thread,
// fits run with all signals blocked (rule 6), which delays query
// cancellation until the fit ends.
func SetThreads(n int) {
	mu.Lock()
	defer mu.Unlock()
	if n < 1 {
		n = 1
	}
	threads = n
}

func defaultLibraryPath() string {
	if p := os.Getenv(EnvLibrary); p != "" {
		return p
	}
	if self := C.pgml_pyb_self_path(); self != nil {
		if p := C.GoString(self); p != "" {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			return filepath.Join(filepath.Dir(p), LibraryName)
		}
	}
	return LibraryName
}

func unavailable(detail string) error {
	return fmt.Errorf("%w: %s (pgml's Python algorithms need the Debian packages libpython3.11, python3-numpy, python3-scipy and python3-sklearn, and %s installed beside pgml.so)",
		ErrUnavailable, detail, LibraryName)
}

// openLibrary dlopens the helper at path; no state is changed on failure.
func openLibrary(path string) error {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	var cerr *C.char
	if C.pgml_pyb_open(cpath, &cerr) != 0 {
		msg := C.GoString(cerr)
		C.free(unsafe.Pointer(cerr))
		return unavailable(msg)
	}
	return nil
}

// pyError converts a malloc'd "<Type>: <message>" from the helper.
func pyError(cerr *C.char) error {
	if cerr == nil {
		return &PythonError{Type: "SystemError", Message: "Python call failed without a message"}
	}
	s := C.GoString(cerr)
	C.pgml_pyb_call_free(unsafe.Pointer(cerr))
	typ, msg, ok := strings.Cut(s, ": ")
	if !ok || strings.ContainsAny(typ, " \n") {
		if !strings.ContainsAny(s, " \n") {
			return &PythonError{Type: s}
		}
		return &PythonError{Type: "Error", Message: s}
	}
	return &PythonError{Type: typ, Message: msg}
}

// open loads the helper library, once; a failure is remembered like a failed start.
// Called with mu held.
func open() error {
	if opened {
		return nil
	}
	if startDone {
		return startError
	}
	path := libPath
	if path == "" {
		path = defaultLibraryPath()
	}
	if err := openLibrary(path); err != nil {
		startDone, startError = true, err
		return err
	}
	opened = true
	return nil
}

// start loads the helper and starts the interpreter, once. Called with the
// OS thread locked; the first caller's thread becomes Python's main thread
// (the only one where RequestInterrupt takes effect).
func start() error {
	mu.Lock()
	defer mu.Unlock()
	if startDone {
		return startError
	}
	if err := open(); err != nil {
		return err
	}
	src := C.CString(bridgeSource)
	defer C.free(unsafe.Pointer(src))
	var cerr *C.char
	if C.pgml_pyb_call_start(src, C.size_t(len(bridgeSource)), C.int(threads), &cerr) != 0 {
		startError = pyError(cerr)
	}
	startDone = true
	return startError
}

// Loadable reports whether the helper library (and libpython) loads, without starting
// the interpreter: what a model trained by a Worker needs to be loaded and predicted later.
func Loadable() (err error) {
	defer recoverPanic(&err)
	if faults.Active(faults.PythonBridge) {
		return fmt.Errorf("%w: %v", ErrUnavailable, faults.Error(faults.PythonBridge))
	}
	mu.Lock()
	defer mu.Unlock()
	return open()
}

// Available starts the interpreter if needed and reports whether the
// Python runtime works (library loaded, numpy, scipy and sklearn imported).
func Available() (err error) {
	defer recoverPanic(&err)
	if faults.Active(faults.PythonBridge) {
		return fmt.Errorf("%w: %v", ErrUnavailable, faults.Error(faults.PythonBridge))
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return start()
}

// RequestInterrupt asks running Python code to raise KeyboardInterrupt at
// its next bytecode boundary; the interrupted call returns an error matching
// ErrInterrupted. Safe from any thread or goroutine, never blocks; a no-op
// when Python is not running. Only code running on the thread that started
// the interpreter (the backend's main thread) is interrupted, and loops in C
// (libsvm, tree builders, BLAS) only when they return to Python.
func RequestInterrupt() {
	C.pgml_pyb_call_request_interrupt()
}

func callString(fn string, arg *string) (out string, err error) {
	defer recoverPanic(&err)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := start(); err != nil {
		return "", err
	}
	cfn := C.CString(fn)
	defer C.free(unsafe.Pointer(cfn))
	var carg *C.char
	if arg != nil {
		carg = C.CString(*arg)
		defer C.free(unsafe.Pointer(carg))
	}
	var cout, cerr *C.char
	if C.pgml_pyb_call_string(cfn, carg, &cout, &cerr) != 0 {
		return "", pyError(cerr)
	}
	out = C.GoString(cout)
	C.pgml_pyb_call_free(unsafe.Pointer(cout))
	return out, nil
}

// PythonVersion is the embedded interpreter's sys.version, e.g. "3.11.2 (main, ...) [GCC 12.2.0]".
func PythonVersion() (string, error) { return callString("python_version", nil) }

// PackageVersion imports a package and returns its __version__.
func PackageVersion(name string) (string, error) { return callString("package_version", &name) }

// PipFreeze lists the installed Python distributions as "name==version",
// sorted by name (importlib.metadata over the interpreter's sys.path).
func PipFreeze() ([]string, error) {
	out, err := callString("pip_freeze", nil)
	if err != nil {
		return nil, err
	}
	var packages []string
	if err := json.Unmarshal([]byte(out), &packages); err != nil {
		return nil, fmt.Errorf("pybridge: pip_freeze returned %q: %w", out, err)
	}
	return packages, nil
}

// ActivateVenv adds the site-packages of the virtualenv at venv to the
// interpreter's sys.path, ahead of the system's. It returns false, changing
// nothing, when venv/bin/activate_this.py does not exist, and an error when
// the virtualenv has no site-packages for the embedded Python's version.
// Modules already imported are not reloaded. An activated venv is recorded
// (ActivatedVenvs) so that training workers activate it too.
func ActivateVenv(venv string) (bool, error) {
	out, err := callString("activate_venv", &venv)
	if err != nil {
		return false, err
	}
	if out != "true" {
		return false, nil
	}
	mu.Lock()
	defer mu.Unlock()
	activatedVenvs = append(activatedVenvs, venv)
	return true, nil
}

// ActivatedVenvs lists the virtualenvs ActivateVenv activated, in order: a WorkerConfig's
// Venvs, so that fits see the packages predictions will see.
func ActivatedVenvs() []string {
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(activatedVenvs)
}

// DependencyNames are the packages Dependencies reports.
var DependencyNames = []string{"numpy", "scipy", "sklearn", "xgboost", "lightgbm", "catboost"}

// Dependencies maps each of DependencyNames to its version or to
// "missing: <error>". When the runtime itself is unavailable every entry
// holds that error.
func Dependencies() map[string]string {
	out := make(map[string]string, len(DependencyNames))
	for _, name := range DependencyNames {
		v, err := PackageVersion(name)
		if err != nil {
			v = "missing: " + err.Error()
		}
		out[name] = v
	}
	return out
}

func recoverPanic(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("pybridge: internal panic: %v", r)
	}
}

// The wrappers below are the only Go code calling the model functions of
// the helper. Callers hold the OS thread locked and have called start().

func cTrain(algorithm, task, hyperparams string, x, y []float64, rows, cols, ycols int) (unsafe.Pointer, string, error) {
	calg, ctask, chp := C.CString(algorithm), C.CString(task), C.CString(hyperparams)
	defer C.free(unsafe.Pointer(calg))
	defer C.free(unsafe.Pointer(ctask))
	defer C.free(unsafe.Pointer(chp))
	var model unsafe.Pointer
	var ceff, cerr *C.char
	var cy *C.double // NULL without labels (ycols 0: clustering, decomposition)
	if ycols > 0 {
		cy = (*C.double)(&y[0])
	}
	if C.pgml_pyb_call_train(calg, ctask, chp, (*C.double)(&x[0]), C.int64_t(rows), C.int64_t(cols),
		cy, C.int64_t(ycols), &model, &ceff, &cerr) != 0 {
		return nil, "", pyError(cerr)
	}
	eff := C.GoString(ceff)
	C.pgml_pyb_call_free(unsafe.Pointer(ceff))
	return model, eff, nil
}

func cLoad(data []byte) (unsafe.Pointer, error) {
	var model unsafe.Pointer
	var cerr *C.char
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	if C.pgml_pyb_call_load(p, C.size_t(len(data)), &model, &cerr) != 0 {
		return nil, pyError(cerr)
	}
	return model, nil
}

func cDumps(model unsafe.Pointer) ([]byte, error) {
	var data unsafe.Pointer
	var n C.size_t
	var cerr *C.char
	if C.pgml_pyb_call_dumps(model, &data, &n, &cerr) != 0 {
		return nil, pyError(cerr)
	}
	b := C.GoBytes(data, C.int(n))
	C.pgml_pyb_call_free(data)
	return b, nil
}

func cInfo(model unsafe.Pointer) (string, error) {
	var cjson, cerr *C.char
	if C.pgml_pyb_call_info(model, &cjson, &cerr) != 0 {
		return "", pyError(cerr)
	}
	s := C.GoString(cjson)
	C.pgml_pyb_call_free(unsafe.Pointer(cjson))
	return s, nil
}

func cPredict(model unsafe.Pointer, dst, x []float64, rows, cols int, proba bool) error {
	p := C.int(0)
	if proba {
		p = 1
	}
	var cerr *C.char
	if C.pgml_pyb_call_predict(model, (*C.double)(&x[0]), C.int64_t(rows), C.int64_t(cols),
		(*C.double)(&dst[0]), C.int64_t(len(dst)), p, &cerr) != 0 {
		return pyError(cerr)
	}
	return nil
}

func cRelease(model unsafe.Pointer) { C.pgml_pyb_call_release(model) }
