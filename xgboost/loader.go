package xgboost

/*
#cgo CFLAGS: -I/usr/include
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Only the types come from the header: every function is resolved with
// dlsym, so pgml.so has no DT_NEEDED entry for libxgboost.
#include <xgboost/c_api.h>

typedef const char *(*pgml_xgb_last_error_fn)(void);
typedef int (*pgml_xgb_set_global_config_fn)(const char *);
typedef int (*pgml_xgb_dm_create_fn)(const float *, bst_ulong, bst_ulong, float, DMatrixHandle *, int);
typedef int (*pgml_xgb_dm_set_float_info_fn)(DMatrixHandle, const char *, const float *, bst_ulong);
typedef int (*pgml_xgb_dm_free_fn)(DMatrixHandle);
typedef int (*pgml_xgb_create_fn)(const DMatrixHandle[], bst_ulong, BoosterHandle *);
typedef int (*pgml_xgb_free_fn)(BoosterHandle);
typedef int (*pgml_xgb_set_param_fn)(BoosterHandle, const char *, const char *);
typedef int (*pgml_xgb_update_fn)(BoosterHandle, int, DMatrixHandle);
typedef int (*pgml_xgb_predict_dm_fn)(BoosterHandle, DMatrixHandle, const char *, bst_ulong const **,
	bst_ulong *, float const **);
typedef int (*pgml_xgb_predict_dense_fn)(BoosterHandle, const char *, const char *, DMatrixHandle,
	bst_ulong const **, bst_ulong *, const float **);
typedef int (*pgml_xgb_save_fn)(BoosterHandle, const char *, bst_ulong *, const char **);
typedef int (*pgml_xgb_load_fn)(BoosterHandle, const void *, bst_ulong);
typedef int (*pgml_xgb_proxy_create_fn)(DMatrixHandle *);
typedef void (*pgml_xgb_version_fn)(int *, int *, int *);

typedef struct {
	pgml_xgb_last_error_fn last_error;
	pgml_xgb_set_global_config_fn set_global_config;
	pgml_xgb_dm_create_fn dm_create;
	pgml_xgb_dm_set_float_info_fn dm_set_float_info;
	pgml_xgb_dm_free_fn dm_free;
	pgml_xgb_create_fn create;
	pgml_xgb_free_fn free;
	pgml_xgb_set_param_fn set_param;
	pgml_xgb_update_fn update;
	pgml_xgb_predict_dm_fn predict_dm;
	pgml_xgb_predict_dense_fn predict_dense;
	pgml_xgb_save_fn save;
	pgml_xgb_load_fn load;
	pgml_xgb_proxy_create_fn proxy_create;
	pgml_xgb_version_fn version;
} pgml_xgb_table;

static pgml_xgb_table pgml_xgb;

static char *pgml_xgb_dlerror(void) {
	const char *e = dlerror();
	return strdup(e ? e : "unknown dynamic loader error");
}

// Opens the library RTLD_NOW|RTLD_LOCAL and fills the table; the table is
// only written once every symbol resolved. On failure returns -1 with a
// malloc'd dlerror text in *err.
static int pgml_xgb_open(const char *path, char **err) {
	pgml_xgb_table t;
	// libgomp reads OMP_NUM_THREADS once, when it is loaded; its default is
	// one thread per core. Our calls always pass an explicit nthread, so
	// this only bounds code paths that use the global default (rule 12 in
	// docs/architecture.md).
	// Never overrides a value set by the administrator or pybridge. Measured:
	// with OMP_NUM_THREADS=4 an nthread=1 fit still starts one libgomp
	// worker (masked, see below); with 1, none. setenv runs once, under
	// libMu; no other thread of a backend reads the C environment then.
	setenv("OMP_NUM_THREADS", "1", 0);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		*err = pgml_xgb_dlerror();
		return -1;
	}
#define PGML_XGB_SYM(field, name) \
	do { \
		*(void **) &t.field = dlsym(h, name); \
		if (t.field == NULL) { *err = pgml_xgb_dlerror(); dlclose(h); return -1; } \
	} while (0)
	PGML_XGB_SYM(last_error, "XGBGetLastError");
	PGML_XGB_SYM(set_global_config, "XGBSetGlobalConfig");
	PGML_XGB_SYM(dm_create, "XGDMatrixCreateFromMat_omp");
	PGML_XGB_SYM(dm_set_float_info, "XGDMatrixSetFloatInfo");
	PGML_XGB_SYM(dm_free, "XGDMatrixFree");
	PGML_XGB_SYM(create, "XGBoosterCreate");
	PGML_XGB_SYM(free, "XGBoosterFree");
	PGML_XGB_SYM(set_param, "XGBoosterSetParam");
	PGML_XGB_SYM(update, "XGBoosterUpdateOneIter");
	PGML_XGB_SYM(predict_dm, "XGBoosterPredictFromDMatrix");
	PGML_XGB_SYM(predict_dense, "XGBoosterPredictFromDense");
	PGML_XGB_SYM(save, "XGBoosterSaveModelToBuffer");
	PGML_XGB_SYM(load, "XGBoosterLoadModelFromBuffer");
	PGML_XGB_SYM(proxy_create, "XGProxyDMatrixCreate");
	PGML_XGB_SYM(version, "XGBoostVersion");
#undef PGML_XGB_SYM
	pgml_xgb = t;
	// Warnings would go to the server's stderr; errors are returned anyway.
	pgml_xgb.set_global_config("{\"verbosity\": 0}");
	return 0;
}

// Signal masking (rules 6 and 12 in docs/architecture.md). libgomp starts
// its worker threads lazily, inside the first parallel region that asks for
// more than one thread, and a new thread inherits the mask of the thread
// that creates it. PostgreSQL delivers SIGINT (cancel), SIGTERM (die),
// SIGUSR1 (latches, ProcSignal), SIGALRM (timeouts) ... to the process, and
// the kernel picks any thread that does not block the signal: a libgomp
// worker receiving one would run PostgreSQL's handler on a foreign thread
// (or the Go runtime's forwarding logic with no Go context), corrupting the
// backend. So every
// call that may run a parallel region (DMatrix construction and labels,
// booster creation, configuration, training, prediction, (de)serialization:
// everything but XGBGetLastError and the Free functions; xgboost 1.7 has
// code paths that use libgomp's default team size whatever nthread says)
// runs with all signals blocked, and the mask is restored
// afterwards. Signals arriving meanwhile stay pending on the process and are
// handled by a thread with them unblocked once the call returns. The cost is
// two system calls (~0.3 µs) per call.
#define PGML_XGB_MASKED(expr) \
	({ sigset_t all_, old_; sigfillset(&all_); \
	   pthread_sigmask(SIG_SETMASK, &all_, &old_); \
	   int r_ = (expr); \
	   pthread_sigmask(SIG_SETMASK, &old_, NULL); r_; })

// XGBGetLastError is thread-local: it must be read in the same C call as the
// failing function, because a goroutine may move between OS threads.
static int pgml_xgb_fail(char **err) {
	const char *e = pgml_xgb.last_error();
	*err = strdup(e && *e ? e : "xgboost call failed without a message");
	return -1;
}

static int pgml_xgb_dmatrix(const float *x, uint64_t rows, uint64_t cols, const float *label,
		int nthread, DMatrixHandle *out, char **err) {
	if (PGML_XGB_MASKED(pgml_xgb.dm_create(x, rows, cols, __builtin_nanf(""), out, nthread)) != 0)
		return pgml_xgb_fail(err);
	return 0;
}

static int pgml_xgb_set_label(DMatrixHandle dm, const float *label, uint64_t n, char **err) {
	if (PGML_XGB_MASKED(pgml_xgb.dm_set_float_info(dm, "label", label, n)) != 0)
		return pgml_xgb_fail(err);
	return 0;
}

static void pgml_xgb_dmatrix_free(DMatrixHandle dm) { pgml_xgb.dm_free(dm); }

// XGBoostVersion only writes three integers: no parallel region, no mask.
static void pgml_xgb_version(int *major, int *minor, int *patch) {
	pgml_xgb.version(major, minor, patch);
}

// A proxy DMatrix for in-place prediction. Without one, every
// XGBoosterPredictFromDense call builds a temporary proxy whose context
// reads /proc/self/cgroup and the CFS quota files (6 system calls, ~30 µs).
static int pgml_xgb_proxy(DMatrixHandle *out, char **err) {
	if (PGML_XGB_MASKED(pgml_xgb.proxy_create(out)) != 0)
		return pgml_xgb_fail(err);
	return 0;
}

static int pgml_xgb_create(DMatrixHandle dm, BoosterHandle *out, char **err) {
	DMatrixHandle dms[1] = {dm};
	if (PGML_XGB_MASKED(pgml_xgb.create(dms, dm ? 1 : 0, out)) != 0)
		return pgml_xgb_fail(err);
	return 0;
}

static void pgml_xgb_free(BoosterHandle b) { pgml_xgb.free(b); }

static int pgml_xgb_set_param(BoosterHandle b, const char *k, const char *v, char **err) {
	if (PGML_XGB_MASKED(pgml_xgb.set_param(b, k, v)) != 0)
		return pgml_xgb_fail(err);
	return 0;
}

static int pgml_xgb_update(BoosterHandle b, int iter, DMatrixHandle dm, char **err) {
	if (PGML_XGB_MASKED(pgml_xgb.update(b, iter, dm)) != 0)
		return pgml_xgb_fail(err);
	return 0;
}

// Saves b into a malloc'd copy.
static int pgml_xgb_load(const void *data, uint64_t len, BoosterHandle *out, char **err) {
	if (PGML_XGB_MASKED(pgml_xgb.create(NULL, 0, out)) != 0)
		return pgml_xgb_fail(err);
	if (PGML_XGB_MASKED(pgml_xgb.load(*out, data, len)) != 0) {
		int r = pgml_xgb_fail(err);
		pgml_xgb.free(*out);
		*out = NULL;
		return r;
	}
	return 0;
}

static const char pgml_xgb_predict_config[] =
	"{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
	"\"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}";

// Predicts rows×cols float64 values. With inplace, XGBoosterPredictFromDense
// (with proxy, which may be NULL) reads x directly through an __array_interface__ (no DMatrix, no copy);
// otherwise (gblinear, which has no in-place prediction in 1.7) a DMatrix
// of float32 is built. The output is copied into dst when it holds exactly
// dstlen values; otherwise -2 is returned with *outlen set (shape probe).
static int pgml_xgb_predict(BoosterHandle b, DMatrixHandle proxy, const double *x, uint64_t rows, uint64_t cols,
		int inplace, double *dst, uint64_t dstlen, uint64_t *outlen, char **err) {
	const bst_ulong *shape = NULL;
	bst_ulong dim = 0;
	const float *out = NULL;
	int rc;
	if (inplace) {
		char iface[160];
		snprintf(iface, sizeof iface,
			"{\"data\": [%llu, true], \"shape\": [%llu, %llu], \"typestr\": \"<f8\", \"version\": 3}",
			(unsigned long long) (uintptr_t) x, (unsigned long long) rows, (unsigned long long) cols);
		rc = PGML_XGB_MASKED(pgml_xgb.predict_dense(b, iface, pgml_xgb_predict_config, proxy,
			&shape, &dim, &out));
		if (rc != 0)
			return pgml_xgb_fail(err);
	} else {
		uint64_t n = rows * cols;
		float *f = malloc((n ? n : 1) * sizeof(float));
		if (f == NULL) {
			*err = strdup("out of memory");
			return -1;
		}
		for (uint64_t i = 0; i < n; i++)
			f[i] = (float) x[i];
		DMatrixHandle dm = NULL;
		rc = PGML_XGB_MASKED(pgml_xgb.dm_create(f, rows, cols, __builtin_nanf(""), &dm, 1));
		free(f);
		if (rc != 0)
			return pgml_xgb_fail(err);
		rc = PGML_XGB_MASKED(pgml_xgb.predict_dm(b, dm, pgml_xgb_predict_config, &shape, &dim, &out));
		if (rc != 0) {
			rc = pgml_xgb_fail(err);
			pgml_xgb.dm_free(dm);
			return rc;
		}
		// out belongs to the booster, not to dm.
		pgml_xgb.dm_free(dm);
	}
	uint64_t total = 1;
	for (bst_ulong i = 0; i < dim; i++)
		total *= shape[i];
	*outlen = total;
	if (total != dstlen)
		return -2;
	for (uint64_t i = 0; i < total; i++)
		dst[i] = out[i];
	return 0;
}

// ---- Training in a child process (see train_child.go) ----
//
// The child is forked from the training thread with every signal blocked,
// runs only the C below (never Go: the Go runtime does not survive a fork)
// and ends with _exit, so no atexit handler or C++ destructor runs. It
// writes to the pipe, for each booster in order, a uint64 length and the
// UBJSON model; on a failure the length ~0, a uint64 message length and the
// message. A crash (a bad parameter reaching a bug in libxgboost, the
// kernel's OOM killer) ends the child only; the parent kills it on cancel.

static int pgml_xgb_child_crash; // a test hook: the child raises SIGSEGV

static int pgml_xgb_write_all(int fd, const void *p, uint64_t n) {
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n > (1u << 20) ? (1u << 20) : n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (uint64_t) w;
	}
	return 0;
}

static void pgml_xgb_child_fail(int fd, const char *msg) {
	uint64_t marker = ~(uint64_t) 0, len = strlen(msg);
	pgml_xgb_write_all(fd, &marker, 8);
	pgml_xgb_write_all(fd, &len, 8);
	pgml_xgb_write_all(fd, msg, len);
	_exit(2);
}

static void pgml_xgb_child_check(int fd, int rc) {
	if (rc != 0) {
		const char *e = pgml_xgb.last_error();
		pgml_xgb_child_fail(fd, e && *e ? e : "xgboost call failed without a message");
	}
}

// pgml_xgb_child_train never returns.
static void pgml_xgb_child_train(int fd, const double *x, uint64_t rows, uint64_t cols,
		const double *y, uint64_t targets, const char **keys, const char **vals, int nparams,
		int rounds, int nthread) {
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], SIG_DFL);
	// The first to go if the machine runs out of memory.
	int oom = open("/proc/self/oom_score_adj", O_WRONLY);
	if (oom >= 0) {
		(void) !write(oom, "1000", 4);
		close(oom);
	}
	// Global configuration is per thread in XGBoost: this one starts with
	// the defaults, and warnings would go to the server's log.
	pgml_xgb.set_global_config("{\"verbosity\": 0}");
	if (pgml_xgb_child_crash) {
		sigset_t segv;
		sigemptyset(&segv);
		sigaddset(&segv, SIGSEGV);
		pthread_sigmask(SIG_UNBLOCK, &segv, NULL);
		raise(SIGSEGV);
	}
	float *xf = malloc((rows * cols ? rows * cols : 1) * sizeof(float));
	float *label = malloc((rows ? rows : 1) * sizeof(float));
	if (xf == NULL || label == NULL)
		pgml_xgb_child_fail(fd, "out of memory for the training data");
	for (uint64_t i = 0; i < rows * cols; i++)
		xf[i] = (float) x[i];
	DMatrixHandle dm = NULL;
	pgml_xgb_child_check(fd, pgml_xgb.dm_create(xf, rows, cols, __builtin_nanf(""), &dm, nthread));
	free(xf);
	for (uint64_t t = 0; t < targets; t++) {
		for (uint64_t i = 0; i < rows; i++)
			label[i] = (float) y[i * targets + t];
		pgml_xgb_child_check(fd, pgml_xgb.dm_set_float_info(dm, "label", label, rows));
		DMatrixHandle dms[1] = {dm};
		BoosterHandle b = NULL;
		pgml_xgb_child_check(fd, pgml_xgb.create(dms, 1, &b));
		for (int i = 0; i < nparams; i++)
			pgml_xgb_child_check(fd, pgml_xgb.set_param(b, keys[i], vals[i]));
		for (int i = 0; i < rounds; i++)
			pgml_xgb_child_check(fd, pgml_xgb.update(b, i, dm));
		bst_ulong n = 0;
		const char *p = NULL;
		pgml_xgb_child_check(fd, pgml_xgb.save(b, "{\"format\": \"ubj\"}", &n, &p));
		uint64_t len = n;
		if (pgml_xgb_write_all(fd, &len, 8) != 0 || pgml_xgb_write_all(fd, p, n) != 0)
			_exit(3); // the parent is gone or stopped reading
		pgml_xgb.free(b);
	}
	_exit(0);
}

// Forks the training child. The parent gets its pid and the pipe's read
// end (close-on-exec); returns -1 with a malloc'd message on failure.
static int pgml_xgb_spawn(const double *x, uint64_t rows, uint64_t cols, const double *y, uint64_t targets,
		const char **keys, const char **vals, int nparams, int rounds, int nthread,
		int *pid_out, int *fd_out, char **err) {
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0) {
		*err = strdup(strerror(errno));
		return -1;
	}
	pid_t parent = getpid();
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid == 0) {
		// Ends with the thread that forked it (the backend's), whatever
		// way that ends.
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		close(fds[0]);
		pgml_xgb_child_train(fds[1], x, rows, cols, y, targets, keys, vals, nparams, rounds, nthread);
	}
	int saved = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		*err = strdup(strerror(saved));
		return -1;
	}
	*pid_out = pid;
	*fd_out = fds[0];
	return 0;
}

static void pgml_xgb_set_child_crash(int on) { pgml_xgb_child_crash = on; }

// Entry points for train_child.go (static functions are private to this file).
int pgml_xgb_spawn_go(const double *x, uint64_t rows, uint64_t cols, const double *y, uint64_t targets,
		const char **keys, const char **vals, int nparams, int rounds, int nthread,
		int *pid_out, int *fd_out, char **err) {
	return pgml_xgb_spawn(x, rows, cols, y, targets, keys, vals, nparams, rounds, nthread, pid_out, fd_out, err);
}
void pgml_xgb_set_child_crash_go(int on) { pgml_xgb_set_child_crash(on); }
*/
import "C"

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms/faults"
)

// ErrUnavailable is wrapped by the error returned when libxgboost cannot be
// loaded.
var ErrUnavailable = errors.New("xgboost unavailable")

var (
	libMu  sync.Mutex
	loaded bool
	// soname is the library dlopen'ed on first use; tests change it to
	// exercise the "library missing" path.
	soname = "libxgboost.so.0"
)

// Available loads libxgboost if necessary and reports whether it is usable.
// A failed load is not remembered: installing the package fixes new calls.
func Available() error {
	if faults.Active(faults.XGBoostLoad) {
		return fmt.Errorf("%w: %v", ErrUnavailable, faults.Error(faults.XGBoostLoad))
	}
	libMu.Lock()
	defer libMu.Unlock()
	if loaded {
		return nil
	}
	if err := openLibrary(soname); err != nil {
		return err
	}
	loaded = true
	return nil
}

// Version is the version of the loaded XGBoost library, e.g. "1.7.4"
// (XGBoostVersion), or an error wrapping ErrUnavailable.
func Version() (string, error) {
	if err := Available(); err != nil {
		return "", err
	}
	var major, minor, patch C.int
	C.pgml_xgb_version(&major, &minor, &patch)
	return fmt.Sprintf("%d.%d.%d", int(major), int(minor), int(patch)), nil
}

func openLibrary(name string) error {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var cerr *C.char
	if C.pgml_xgb_open(cname, &cerr) != 0 {
		msg := C.GoString(cerr)
		C.free(unsafe.Pointer(cerr))
		return fmt.Errorf("%w: %s (Debian package libxgboost0)", ErrUnavailable, msg)
	}
	return nil
}

// xgbError converts a malloc'd message from the C wrappers.
func xgbError(what string, cerr *C.char) error {
	msg := "unknown error"
	if cerr != nil {
		msg = C.GoString(cerr)
		C.free(unsafe.Pointer(cerr))
	}
	// "[hh:mm:ss] file.cc:line: message\nStack trace: ..."
	if i := strings.Index(msg, "Stack trace:"); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 11 && msg[0] == '[' && msg[9] == ']' && msg[10] == ' ' {
		msg = msg[11:]
	}
	msg = strings.TrimSpace(msg)
	return fmt.Errorf("xgboost: %s: %s", what, msg)
}

type booster struct{ h C.BoosterHandle }

func newBooster(dm C.DMatrixHandle) (booster, error) {
	var h C.BoosterHandle
	var cerr *C.char
	if C.pgml_xgb_create(dm, &h, &cerr) != 0 {
		return booster{}, xgbError("create booster", cerr)
	}
	return booster{h}, nil
}

func (b booster) free() {
	if b.h != nil {
		C.pgml_xgb_free(b.h)
	}
}

func (b booster) setParam(k, v string) error {
	ck, cv := C.CString(k), C.CString(v)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cv))
	var cerr *C.char
	if C.pgml_xgb_set_param(b.h, ck, cv, &cerr) != 0 {
		return xgbError(fmt.Sprintf("parameter %s=%q", k, v), cerr)
	}
	return nil
}

func (b booster) update(iter int, dm C.DMatrixHandle) error {
	var cerr *C.char
	if C.pgml_xgb_update(b.h, C.int(iter), dm, &cerr) != 0 {
		return xgbError(fmt.Sprintf("boosting round %d", iter), cerr)
	}
	return nil
}

func loadBooster(data []byte) (booster, error) {
	if len(data) == 0 {
		return booster{}, errors.New("xgboost: empty model buffer")
	}
	var h C.BoosterHandle
	var cerr *C.char
	if C.pgml_xgb_load(unsafe.Pointer(&data[0]), C.uint64_t(len(data)), &h, &cerr) != 0 {
		return booster{}, xgbError("load model", cerr)
	}
	return booster{h}, nil
}

// predict writes the raw output for rows×cols values of x into dst. When
// the output does not have len(dst) values it returns errShape and its
// length.
func (b booster) predict(dst, x []float64, rows, cols int, inplace bool, proxy dmatrix) (int, error) {
	var outlen C.uint64_t
	var cerr *C.char
	var dp *C.double
	if len(dst) > 0 {
		dp = (*C.double)(unsafe.Pointer(&dst[0]))
	}
	in := C.int(0)
	if inplace {
		in = 1
	}
	rc := C.pgml_xgb_predict(b.h, proxy.h, (*C.double)(unsafe.Pointer(&x[0])), C.uint64_t(rows), C.uint64_t(cols),
		in, dp, C.uint64_t(len(dst)), &outlen, &cerr)
	switch rc {
	case 0:
		return int(outlen), nil
	case -2:
		return int(outlen), errShape
	}
	return 0, xgbError("predict", cerr)
}

var errShape = errors.New("xgboost: unexpected prediction shape")

// dmatrix is a training matrix of float32 values.
type dmatrix struct{ h C.DMatrixHandle }

func newDMatrix(x []float32, rows, cols, nthread int) (dmatrix, error) {
	var h C.DMatrixHandle
	var cerr *C.char
	if C.pgml_xgb_dmatrix((*C.float)(unsafe.Pointer(&x[0])), C.uint64_t(rows), C.uint64_t(cols), nil,
		C.int(nthread), &h, &cerr) != 0 {
		return dmatrix{}, xgbError("create DMatrix", cerr)
	}
	return dmatrix{h}, nil
}

func newProxy() (dmatrix, error) {
	var h C.DMatrixHandle
	var cerr *C.char
	if C.pgml_xgb_proxy(&h, &cerr) != 0 {
		return dmatrix{}, xgbError("create proxy DMatrix", cerr)
	}
	return dmatrix{h}, nil
}

func (d dmatrix) setLabel(y []float32) error {
	var cerr *C.char
	if C.pgml_xgb_set_label(d.h, (*C.float)(unsafe.Pointer(&y[0])), C.uint64_t(len(y)), &cerr) != 0 {
		return xgbError("set label", cerr)
	}
	return nil
}

func (d dmatrix) free() {
	if d.h != nil {
		C.pgml_xgb_dmatrix_free(d.h)
	}
}
