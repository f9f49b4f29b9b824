/*
 * pgml_python.c - libpgml_python.so: every use of the CPython API in pgml.
 *
 * See pgml_python.h for the API contract and pybridge/doc.go for the design.
 * Summary of the rules applied here (numbered as in docs/architecture.md):
 *  - rule 10: the interpreter starts lazily on the caller's thread with an
 *    explicit, isolated configuration (home /usr, program /usr/bin/python3,
 *    no environment variables, no signal handlers), then releases the GIL;
 *    every exported function takes and releases the GIL itself.
 *  - rule 6: all signals are blocked while the interpreter starts and numpy,
 *    scipy and sklearn are imported, so that any thread OpenBLAS starts
 *    during the import inherits a full mask; BLAS/OpenMP thread counts are
 *    set through the environment before numpy's first import. With more than
 *    one thread configured, fits, loads and predictions (which may start the
 *    OpenMP pool) also run with all signals blocked.
 *  - Python exceptions become malloc'd "<Type>: <message>" strings.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <dlfcn.h>
#include <errno.h>
#include <semaphore.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgml_python.h"

#ifndef PGML_PYTHON_HOME
#define PGML_PYTHON_HOME "/usr"
#endif
#ifndef PGML_PYTHON_PROGRAM
#define PGML_PYTHON_PROGRAM "/usr/bin/python3"
#endif

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static int start_state;      /* 0 not tried, 1 ok, -1 failed (under start_lock) */
static char *start_error;    /* when start_state == -1 */
static atomic_int started;   /* 1 once start_state == 1 */
static int threads_cfg = 1;
static PyObject *bridge;     /* the pgml_bridge module (strong reference) */

static atomic_int interrupt_requested;
static atomic_int in_call;

static char *
msg_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t) n + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t) n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void
set_err(char **err, char *msg)
{
	if (err != NULL)
		*err = msg;
	else
		free(msg);
}

/* Turns the current Python exception into "<Type>: <message>" and clears
 * it. Must hold the GIL. */
static char *
fetch_error(void)
{
	PyObject *type, *value, *tb;
	PyErr_Fetch(&type, &value, &tb);
	if (type == NULL)
		return msg_printf("SystemError: Python call failed without an exception");
	PyErr_NormalizeException(&type, &value, &tb);

	char *result = NULL;
	const char *tname = ((PyTypeObject *) type)->tp_name;
	PyObject *name = PyObject_GetAttrString(type, "__name__");
	if (name != NULL && PyUnicode_Check(name)) {
		const char *n = PyUnicode_AsUTF8(name);
		if (n != NULL)
			tname = n;
	}
	if (PyErr_Occurred())
		PyErr_Clear();

	PyObject *str = value != NULL ? PyObject_Str(value) : NULL;
	const char *msg = NULL;
	if (str != NULL)
		msg = PyUnicode_AsUTF8(str);
	if (PyErr_Occurred())
		PyErr_Clear();

	if (msg != NULL && msg[0] != '\0')
		result = msg_printf("%s: %s", tname, msg);
	else
		result = msg_printf("%s", tname);

	Py_XDECREF(str);
	Py_XDECREF(name);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return result;
}

/*
 * Interrupts.
 *
 * pgml_py_request_interrupt queues a pending call (Py_AddPendingCall) that
 * raises KeyboardInterrupt("canceling statement"). CPython 3.11 runs pending
 * calls only in the interpreter's main thread, and only notices them when
 * that thread recomputes its "eval breaker"; Py_AddPendingCall computes the
 * breaker in the *calling* thread, which is not the main thread, so a
 * pure-Python loop that never releases the GIL would never see the call
 * (measured: not interrupted after 20 s). The poke thread fixes this: woken
 * by a semaphore (sem_post is async-signal-safe), it briefly takes the GIL.
 * Waiting for the GIL sets gil_drop_request; the main thread drops the GIL
 * within the switch interval (5 ms) and, on taking it back, recomputes the
 * breaker in the main thread, which then runs the pending call.
 */
static atomic_int call_queued;	/* at most one pending call in the queue */
static sem_t poke_sem;

static int
interrupt_callback(void *arg)
{
	(void) arg;
	atomic_store(&call_queued, 0);
	if (atomic_load(&in_call) && atomic_exchange(&interrupt_requested, 0)) {
		PyErr_SetString(PyExc_KeyboardInterrupt, "canceling statement");
		return -1;
	}
	return 0;
}

static void *
poke_thread(void *arg)
{
	(void) arg;
	for (;;) {
		if (sem_wait(&poke_sem) != 0)
			continue;			/* EINTR */
		PyGILState_STATE g = PyGILState_Ensure();
		PyGILState_Release(g);
	}
	return NULL;
}

/* Called once from pgml_py_start, signals blocked (the thread inherits a
 * full mask). */
static char *
start_poke_thread(void)
{
	if (sem_init(&poke_sem, 0, 0) != 0)
		return msg_printf("OSError: sem_init: %s", strerror(errno));
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	int rc = pthread_create(&t, &attr, poke_thread, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0)
		return msg_printf("OSError: pthread_create: %s", strerror(rc));
	return NULL;
}

void
pgml_py_request_interrupt(void)
{
	/* Py_AddPendingCall needs an initialized runtime; it is documented as
	 * callable without the GIL and without a thread state. */
	if (!atomic_load(&started))
		return;
	atomic_store(&interrupt_requested, 1);
	if (!atomic_exchange(&call_queued, 1)) {
		if (Py_AddPendingCall(interrupt_callback, NULL) != 0)
			atomic_store(&call_queued, 0);
	}
	sem_post(&poke_sem);
}

int
pgml_py_started(void)
{
	return atomic_load(&started);
}

void
pgml_py_free(void *p)
{
	free(p);
}

/* A unit of work: optional full signal mask, GIL, interrupt bookkeeping. */
typedef struct
{
	PyGILState_STATE gil;
	sigset_t old_mask;
	int masked;
} unit;

static void
unit_begin(unit *u, int mask)
{
	u->masked = mask;
	if (mask) {
		sigset_t all;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &u->old_mask);
	}
	u->gil = PyGILState_Ensure();
	/* A request that arrived while no call was running is stale. */
	atomic_store(&interrupt_requested, 0);
	atomic_store(&in_call, 1);
}

static void
unit_end(unit *u)
{
	atomic_store(&in_call, 0);
	PyGILState_Release(u->gil);
	if (u->masked)
		pthread_sigmask(SIG_SETMASK, &u->old_mask, NULL);
}

static int
check_started(char **err)
{
	if (atomic_load(&started))
		return 0;
	set_err(err, msg_printf("RuntimeError: the Python interpreter is not started"));
	return -1;
}

/* Calls memoryview.release(); if that fails, Python still holds a view on
 * caller memory. Returns -1 with *msg set (unless already set). */
static int
release_view(PyObject *view, char **msg)
{
	if (view == NULL)
		return 0;
	PyObject *r = PyObject_CallMethod(view, "release", NULL);
	if (r == NULL) {
		char *e = fetch_error();
		if (*msg == NULL)
			*msg = msg_printf("internal error: Python kept a reference to caller memory (%s)",
							  e ? e : "?");
		free(e);
		Py_DECREF(view);
		return -1;
	}
	Py_DECREF(r);
	Py_DECREF(view);
	return 0;
}

static char *
status_error(PyStatus st, const char *what)
{
	return msg_printf("RuntimeError: %s: %s%s%s", what,
					  st.func ? st.func : "", st.func ? ": " : "",
					  st.err_msg ? st.err_msg : (st.exitcode ? "exit requested" : "failed"));
}

static char *
start_interpreter(const char *src, size_t len)
{
	char num[32];
	snprintf(num, sizeof num, "%d", threads_cfg);
	/* Read by OpenBLAS, libgomp and MKL when they initialize, i.e. during the
	 * first numpy / xgboost import below. setenv is not thread-safe against
	 * concurrent getenv; in a backend this runs once, on the main thread,
	 * before any library reading these variables is loaded by us. */
	setenv("OPENBLAS_NUM_THREADS", num, 1);
	setenv("OMP_NUM_THREADS", num, 1);
	setenv("MKL_NUM_THREADS", num, 1);

	/*
	 * C extension modules (numpy's _multiarray_umath, ...) are not linked
	 * against libpython on Debian: they expect Py* symbols in the global
	 * scope. This helper is dlopen'ed RTLD_LOCAL, so libpython came in as a
	 * local dependency; promote it to the global scope.
	 */
	Dl_info di;
	if (dladdr((void *) &Py_InitializeFromConfig, &di) != 0 && di.dli_fname != NULL) {
		void *h = dlopen(di.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
		if (h == NULL) {
			const char *e = dlerror();
			return msg_printf("RuntimeError: cannot make %s global: %s", di.dli_fname,
							  e ? e : "?");
		}
		/* keep the reference: libpython is never unloaded */
	}

	PyGILState_STATE gil = 0;
	int we_initialized = 0;
	if (!Py_IsInitialized()) {
		PyConfig config;
		PyStatus st;
		/* Isolated: ignores PYTHON* environment variables, the user site
		 * directory and the current directory, installs no signal handlers. */
		PyConfig_InitIsolatedConfig(&config);
		config.site_import = 1;				/* dist-packages come from site */
		config.install_signal_handlers = 0;
		config.use_environment = 0;
		config.user_site_directory = 0;
		config.parse_argv = 0;
		config.write_bytecode = 0;
		config.faulthandler = 0;
		config.pathconfig_warnings = 0;
		st = PyConfig_SetBytesString(&config, &config.home, PGML_PYTHON_HOME);
		if (!PyStatus_Exception(st))
			st = PyConfig_SetBytesString(&config, &config.program_name, PGML_PYTHON_PROGRAM);
		if (!PyStatus_Exception(st))
			st = Py_InitializeFromConfig(&config);
		PyConfig_Clear(&config);
		if (PyStatus_Exception(st))
			return status_error(st, "cannot start the Python interpreter");
		we_initialized = 1;
		/* We now hold the GIL with the main thread state. */
	} else {
		/* Someone else (e.g. plpython3u in the same backend) started it. */
		gil = PyGILState_Ensure();
	}

	char *err = NULL;
	char *code_text = malloc(len + 1);
	if (code_text == NULL) {
		err = msg_printf("MemoryError: cannot copy the bridge source");
	} else {
		memcpy(code_text, src, len);
		code_text[len] = '\0';
		PyObject *code = Py_CompileString(code_text, "<pgml_bridge>", Py_file_input);
		free(code_text);
		PyObject *mod = code ? PyImport_ExecCodeModule("pgml_bridge", code) : NULL;
		Py_XDECREF(code);
		if (mod == NULL)
			err = fetch_error();
		else
			bridge = mod;
	}

	if (we_initialized)
		(void) PyEval_SaveThread();
	else
		PyGILState_Release(gil);
	return err;
}

int
pgml_py_start(const char *src, size_t len, int threads, char **err)
{
	int rc;
	pthread_mutex_lock(&start_lock);
	if (start_state == 0) {
		if (threads > 0)
			threads_cfg = threads;
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		char *e = start_interpreter(src, len);
		if (e == NULL)
			e = start_poke_thread();
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (e == NULL) {
			start_state = 1;
			atomic_store(&started, 1);
		} else {
			start_state = -1;
			start_error = e;
		}
	}
	if (start_state == 1) {
		rc = 0;
	} else {
		set_err(err, msg_printf("%s", start_error ? start_error : "RuntimeError: start failed"));
		rc = -1;
	}
	pthread_mutex_unlock(&start_lock);
	return rc;
}

int
pgml_py_train(const char *algorithm, const char *task, const char *hyperparams,
			  const double *x, int64_t rows, int64_t cols,
			  const double *y, int64_t y_cols,
			  void **model, char **hyperparams_out, char **err)
{
	if (check_started(err))
		return -1;
	if (rows <= 0 || cols <= 0 || y_cols < 0 || (y_cols > 0 && y == NULL)) {
		set_err(err, msg_printf("ValueError: empty training data"));
		return -1;
	}
	unit u;
	unit_begin(&u, threads_cfg > 1);
	char *msg = NULL;
	PyObject *xv = PyMemoryView_FromMemory((char *) x, (Py_ssize_t) (rows * cols * 8), PyBUF_READ);
	/* No labels (y_cols == 0): the bridge gets None instead of a view. */
	PyObject *yv = NULL;
	if (xv != NULL && y_cols > 0)
		yv = PyMemoryView_FromMemory((char *) y, (Py_ssize_t) (rows * y_cols * 8), PyBUF_READ);
	PyObject *res = NULL;
	if (xv != NULL && (yv != NULL || y_cols == 0))
		res = PyObject_CallMethod(bridge, "train", "sssOnnOn", algorithm, task,
								  hyperparams ? hyperparams : "{}", xv,
								  (Py_ssize_t) rows, (Py_ssize_t) cols, yv ? yv : Py_None,
								  (Py_ssize_t) y_cols);
	if (res == NULL)
		msg = fetch_error();
	int bad = release_view(xv, &msg) | release_view(yv, &msg);

	int rc = -1;
	if (res != NULL && !bad) {
		PyObject *est, *eff;
		const char *effs;
		if (!PyArg_ParseTuple(res, "OO", &est, &eff) || (effs = PyUnicode_AsUTF8(eff)) == NULL) {
			msg = fetch_error();
		} else {
			char *copy = msg_printf("%s", effs);
			Py_INCREF(est);
			*model = est;
			if (hyperparams_out)
				*hyperparams_out = copy;
			else
				free(copy);
			rc = 0;
		}
	}
	Py_XDECREF(res);
	unit_end(&u);
	if (rc != 0)
		set_err(err, msg ? msg : msg_printf("SystemError: train failed"));
	return rc;
}

int
pgml_py_load(const void *data, size_t len, void **model, char **err)
{
	if (check_started(err))
		return -1;
	unit u;
	unit_begin(&u, threads_cfg > 1);
	int rc = -1;
	char *msg = NULL;
	PyObject *b = PyBytes_FromStringAndSize((const char *) data, (Py_ssize_t) len);
	PyObject *est = b ? PyObject_CallMethod(bridge, "loads", "O", b) : NULL;
	Py_XDECREF(b);
	if (est == NULL) {
		msg = fetch_error();
	} else {
		*model = est;
		rc = 0;
	}
	unit_end(&u);
	if (rc != 0)
		set_err(err, msg);
	return rc;
}

int
pgml_py_dumps(void *model, void **data, size_t *len, char **err)
{
	if (check_started(err))
		return -1;
	unit u;
	unit_begin(&u, 0);
	int rc = -1;
	char *msg = NULL;
	PyObject *b = PyObject_CallMethod(bridge, "dumps", "O", (PyObject *) model);
	char *p;
	Py_ssize_t n;
	if (b == NULL || PyBytes_AsStringAndSize(b, &p, &n) < 0) {
		msg = fetch_error();
	} else {
		void *copy = malloc(n > 0 ? (size_t) n : 1);
		if (copy == NULL) {
			msg = msg_printf("MemoryError: cannot allocate %zd bytes", n);
		} else {
			memcpy(copy, p, (size_t) n);
			*data = copy;
			*len = (size_t) n;
			rc = 0;
		}
	}
	Py_XDECREF(b);
	unit_end(&u);
	if (rc != 0)
		set_err(err, msg);
	return rc;
}

static int
call_string(PyObject *fn_owner, const char *func, PyObject *arg, char **out, char **msg)
{
	PyObject *r = arg ? PyObject_CallMethod(fn_owner, func, "O", arg)
		: PyObject_CallMethod(fn_owner, func, NULL);
	const char *s = NULL;
	if (r == NULL || (s = PyUnicode_AsUTF8(r)) == NULL) {
		*msg = fetch_error();
		Py_XDECREF(r);
		return -1;
	}
	*out = msg_printf("%s", s);
	Py_DECREF(r);
	return 0;
}

int
pgml_py_info(void *model, char **json, char **err)
{
	if (check_started(err))
		return -1;
	unit u;
	unit_begin(&u, threads_cfg > 1);
	char *msg = NULL;
	int rc = call_string(bridge, "info", (PyObject *) model, json, &msg);
	unit_end(&u);
	if (rc != 0)
		set_err(err, msg);
	return rc;
}

int
pgml_py_call_string(const char *func, const char *arg, char **out, char **err)
{
	if (check_started(err))
		return -1;
	unit u;
	unit_begin(&u, 0);
	char *msg = NULL;
	int rc = -1;
	PyObject *a = NULL;
	if (arg != NULL && (a = PyUnicode_FromString(arg)) == NULL)
		msg = fetch_error();
	else
		rc = call_string(bridge, func, a, out, &msg);
	Py_XDECREF(a);
	unit_end(&u);
	if (rc != 0)
		set_err(err, msg);
	return rc;
}

int
pgml_py_predict(void *model, const double *x, int64_t rows, int64_t cols,
				double *dst, int64_t dst_len, int proba, char **err)
{
	if (check_started(err))
		return -1;
	unit u;
	unit_begin(&u, threads_cfg > 1);
	char *msg = NULL;
	PyObject *xv = PyMemoryView_FromMemory((char *) x, (Py_ssize_t) (rows * cols * 8), PyBUF_READ);
	PyObject *dv = xv ? PyMemoryView_FromMemory((char *) dst, (Py_ssize_t) (dst_len * 8), PyBUF_WRITE) : NULL;
	PyObject *r = NULL;
	if (xv != NULL && dv != NULL)
		r = PyObject_CallMethod(bridge, "predict", "OOnnOi", (PyObject *) model, xv,
								(Py_ssize_t) rows, (Py_ssize_t) cols, dv, proba);
	if (r == NULL)
		msg = fetch_error();
	Py_XDECREF(r);
	int bad = release_view(xv, &msg) | release_view(dv, &msg);
	unit_end(&u);
	if (r == NULL || bad) {
		set_err(err, msg);
		return -1;
	}
	return 0;
}

void
pgml_py_release(void *model)
{
	if (model == NULL || !atomic_load(&started))
		return;
	PyGILState_STATE g = PyGILState_Ensure();
	Py_DECREF((PyObject *) model);
	PyGILState_Release(g);
}
