/*
 * The boundary between a PostgreSQL backend and the Go runtime: library load, signal masks,
 * turning a finished Go call's status into an ERROR, interrupts, settings and the backend state
 * Go may read. The rules they follow are numbered in docs/architecture.md ("Rules for Go
 * inside a backend").
 */
#include "postgres.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>

#include "access/xlog.h"
#include "common/file_perm.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/elog.h"
#include "utils/guc.h"

#include "shim_internal.h"
#include "_cgo_export.h"

PG_MODULE_MAGIC;

/*
 * Rule 5: this constructor runs before the Go runtime's initialiser (which has no priority),
 * so every thread Go starts inherits a mask that blocks all signals. PostgreSQL's signals then
 * reach only the backend's main thread, whose mask _PG_init restores.
 */
static sigset_t saved_signal_mask;
static bool signal_mask_saved = false;

__attribute__((constructor(101)))
static void
pgml_block_signals_for_go_threads(void)
{
	sigset_t	all;

	sigfillset(&all);
	if (pthread_sigmask(SIG_SETMASK, &all, &saved_signal_mask) == 0)
		signal_mask_saved = true;
}

/*
 * Rule 7: a handler may run while the main thread executes Go code on a small goroutine
 * stack; with SA_ONSTACK it runs on the signal stack Go gives the thread instead.
 */
static void
add_onstack_to_postgres_handlers(void)
{
	static const int signals[] = {SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGURG, SIGCHLD, SIGPIPE};

	for (size_t i = 0; i < lengthof(signals); i++)
	{
		struct sigaction sa;

		if (sigaction(signals[i], NULL, &sa) != 0)
			continue;
		if (sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN || (sa.sa_flags & SA_ONSTACK))
			continue;
		sa.sa_flags |= SA_ONSTACK;
		sigaction(signals[i], &sa, NULL);
	}
}

bool
pgml_interrupt_pending(void)
{
	return InterruptPending && (QueryCancelPending || ProcDiePending);
}

/*
 * The model signing key lives in the data directory (lifecycle/modelkey.go): these only read
 * backend globals, so Go may call them without a PG_TRY.
 */
const char *
pgml_data_directory(void)
{
	return DataDir;
}

int
pgml_file_create_mode(void)
{
	return pg_file_create_mode;
}

bool
pgml_in_recovery(void)
{
	return RecoveryInProgress();
}

/* Rule 12: a soft limit for the Go heap of each backend, in megabytes (0: none). */
static int	go_memory_limit_mb = 4096;

static void
assign_go_memory_limit(int newval, void *extra)
{
	if (pgml_go_started)
		pgmlGoSetMemoryLimit(newval);
}

/* Memory one training may allocate, in kB; 0: automatic (see lifecycle/budget.go). */
static int	training_memory_limit_kb = 0;

int
pgml_training_memory_limit_kb(void)
{
	return training_memory_limit_kb;
}

/* Go worker threads in one training call (trees, boosting); 0 means the machine's cores. */
static int	training_threads = 0;

static void
assign_training_threads(int newval, void *extra)
{
	if (pgml_go_started)
		pgmlGoSetTrainingThreads(newval);
}

/*
 * Fault injection for tests (pgml.inject_fault, superuser only, hidden): Go learns the
 * active fault through pgmlGoSetFault; the C helpers check c_helper_error themselves.
 */
static char *inject_fault = NULL;
static bool c_helper_fault = false;

static bool
check_inject_fault(char **newval, void **extra, GucSource source)
{
	PgmlText	name = {*newval, *newval ? strlen(*newval) : 0};
	PgmlStatus	status = {0};

	/* The empty default is checked while _PG_init defines the setting: no call into Go then. */
	if (*newval == NULL || **newval == '\0')
		return true;
	pgml_go();
	pgmlGoCheckFault(name, &status);
	if (status.code != PGML_OK)
	{
		GUC_check_errdetail("%s", status.message ? status.message : "unknown fault");
		free(status.message);
		free(status.detail);
		free(status.hint);
		return false;
	}
	return true;
}

static void
assign_inject_fault(const char *newval, void *extra)
{
	PgmlText	name = {newval, newval ? strlen(newval) : 0};

	c_helper_fault = newval != NULL && strcmp(newval, "c_helper_error") == 0;
	if (pgml_go_started)
		pgmlGoSetFault(name);
}

void
pgml_fault_point(void)
{
	if (c_helper_fault)
		elog(ERROR, "injected fault c_helper_error (pgml.inject_fault)");
}

/* BLAS/OpenMP threads of the embedded Python; read when the interpreter starts. */
static int	python_threads = 1;

int
pgml_python_threads(void)
{
	return python_threads;
}

bool		pgml_go_started = false;

/*
 * The first call into Go waits until Go's runtime, started on a thread of its own when
 * pgml.so was loaded, has initialised; _PG_init makes none, so LOAD returns while Go starts
 * and the backend goes on with the statement (docs/native-inference.md, "The first predict
 * of a connection"). Go gets the settings defined meanwhile now.
 */
void
pgml_start_go(void)
{
	PgmlText	fault = {inject_fault, inject_fault ? strlen(inject_fault) : 0};

	pgml_go_started = true;
	/* regress/harness/model_files_test.go checks that LOAD does not get here. */
	elog(DEBUG1, "pgml: first call into Go in this backend");
	pgmlGoInit();
	pgmlGoSetMemoryLimit(go_memory_limit_mb);
	pgmlGoSetTrainingThreads(training_threads);
	pgml_model_cache_start_go();
	pgmlGoSetFault(fault);
}

void		_PG_init(void);

void
_PG_init(void)
{
	if (signal_mask_saved)
		pthread_sigmask(SIG_SETMASK, &saved_signal_mask, NULL);

	/* Rule 1: the Go runtime does not survive fork. */
	if (process_shared_preload_libraries_in_progress)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("pgml must not be listed in shared_preload_libraries"),
				 errhint("Remove it: each backend loads pgml on first use.")));

	add_onstack_to_postgres_handlers();
	pgml_model_cache_init();
	pgml_model_files_init();
	DefineCustomIntVariable("pgml.go_memory_limit",
							"Soft limit of the Go heap in each backend (0: no limit).",
							"The Go garbage collector works harder as the heap nears it; large training jobs may exceed it.",
							&go_memory_limit_mb, 4096, 0, INT_MAX / 2, PGC_SUSET, GUC_UNIT_MB,
							NULL, assign_go_memory_limit, NULL);
	DefineCustomIntVariable("pgml.training_memory_limit",
							"Memory one training may use; larger trainings are refused before their data is read (0: automatic).",
							"0 lets a training use half of the memory available to the server when it starts (the memory cgroup's limit minus its working set, or MemAvailable); an explicit limit is still capped at 90% of what is available.",
							&training_memory_limit_kb, 0, 0, INT_MAX, PGC_SUSET, GUC_UNIT_KB,
							NULL, NULL, NULL);
	DefineCustomIntVariable("pgml.training_threads",
							"Threads a native training call may use (0: one per core).",
							"Trees, forests and boosting build in parallel within this bound, and n_jobs / nthread are capped by it; values above the number of cores count as the number of cores; prediction always uses one thread.",
							&training_threads, 0, 0, 1024, PGC_USERSET, 0,
							NULL, assign_training_threads, NULL);
	DefineCustomIntVariable("pgml.python_threads",
							"BLAS and OpenMP threads used by numpy, scikit-learn and xgboost in each backend.",
							"Python training workers read it at each fit (within pgml.training_threads); the interpreter that predicts reads it once, when it starts.",
							&python_threads, 1, 1, 64, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("pgml.inject_fault",
							   "Makes pgml fail on purpose at a named point (tests only).",
							   "worker_panic, export_panic, c_helper_error, xgboost_load, python_bridge, or stall_reading, stall_fitting, stall_storing; empty for none.",
							   &inject_fault, "", PGC_SUSET, GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE,
							   check_inject_fault, assign_inject_fault, NULL);
	pgml_progress_init();
	MarkGUCPrefixReserved("pgml");
}

/* A PostgreSQL error caught by a helper while Go was running; re-thrown once Go returned. */
static ErrorData *pending_error = NULL;

void
pgml_catch_error(MemoryContext context)
{
	MemoryContextSwitchTo(context);
	if (pending_error == NULL)
		pending_error = CopyErrorData();
	FlushErrorState();
}

char *
pgml_take_string(char *s)
{
	char	   *copy;

	if (s == NULL)
		return NULL;
	copy = pstrdup(s);
	free(s);
	return copy;
}

void
pgml_raise_status(PgmlStatus *status)
{
	char	   *message = pgml_take_string(status->message);
	char	   *detail = pgml_take_string(status->detail);
	char	   *hint = pgml_take_string(status->hint);
	int			sqlstate = ERRCODE_INTERNAL_ERROR;

	status->message = status->detail = status->hint = NULL;

	/* A caught PostgreSQL error wins: the transaction is already broken by it. */
	if (pending_error != NULL)
	{
		ErrorData  *edata = pending_error;

		pending_error = NULL;
		ReThrowError(edata);
	}
	if (status->code == PGML_OK)
		return;
	if (status->code == PGML_INTERRUPTED)
	{
		CHECK_FOR_INTERRUPTS();
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling statement due to user request")));
	}
	if (strlen(status->sqlstate) == 5)
		sqlstate = MAKE_SQLSTATE(status->sqlstate[0], status->sqlstate[1], status->sqlstate[2],
								 status->sqlstate[3], status->sqlstate[4]);
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg_internal("%s", message ? message : "pgml failed without a message"),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
}

void
pgml_finish_go_call(PgmlStatus *status, PgmlResultRow *row)
{
	if (status->code != PGML_OK)
	{
		for (int i = 0; i < lengthof(row->text); i++)
			free(row->text[i]);
		memset(row, 0, sizeof(*row));
	}
	pgml_raise_status(status);
}

int
pgml_report(int level, const char *message)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;
	int			elevel = level == PGML_REPORT_WARNING ? WARNING : level == PGML_REPORT_NOTICE ? NOTICE :
		level == PGML_REPORT_DEBUG ? DEBUG1 : INFO;

	PG_TRY();
	{
		ereport(elevel, (errmsg_internal("%s", message)));
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}
