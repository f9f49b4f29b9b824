/*
 * The contract between the C shim and the Go glue. Plain C types only: Go's cgo reads this
 * header, and it must never see PostgreSQL's headers.
 *
 * Direction of calls:
 *   PostgreSQL -> C entry point (pgml_* in shim_*.c) -> Go (exported pgmlGo*) -> C helpers (pgml_spi_* ...)
 * Every C helper that Go calls catches PostgreSQL errors (PG_TRY) and returns them as values;
 * only C code with no Go frame below it raises an ERROR.
 */
#ifndef PGML_SHIM_H
#define PGML_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a Go call ended. */
enum
{
	PGML_OK = 0,
	PGML_ERROR = 1,			/* message (and sqlstate) set by Go */
	PGML_PG_ERROR = 2,		/* a PostgreSQL error was caught in a helper; C re-throws it */
	PGML_INTERRUPTED = 3,	/* cancel or die pending; C runs CHECK_FOR_INTERRUPTS */
	PGML_STALE_MODEL = 4	/* prediction: the model handle is stale; resolve it again */
};

typedef struct PgmlStatus
{
	int			code;
	char		sqlstate[6];	/* five characters, or empty for the default */
	char	   *message;		/* malloc'd by Go; freed by C */
	char	   *detail;			/* malloc'd by Go or NULL */
	char	   *hint;			/* malloc'd by Go or NULL */
} PgmlStatus;

/* A SQL text argument: data == NULL means SQL NULL. Points into PostgreSQL memory. */
typedef struct PgmlText
{
	const char *data;
	int			len;
} PgmlText;

/* A query parameter from Go: text input form, or raw bytes when type is bytea. */
typedef struct PgmlParam
{
	uint32_t	type;
	const char *data;
	int			len;
	bool		isnull;
} PgmlParam;

/* One result value: text output form, or raw bytes for bytea columns. */
typedef struct PgmlValue
{
	const char *data;
	int			len;
	bool		isnull;
} PgmlValue;

typedef struct PgmlRows
{
	int			nrows;
	int			ncols;
	PgmlValue  *values;			/* nrows * ncols, row-major, in SPI memory */
} PgmlRows;

typedef struct PgmlTrainArgs
{
	PgmlText	project_name;
	PgmlText	task;
	PgmlText	relation_name;
	PgmlText   *y_columns;		/* NULL when y_column_name is NULL */
	int			n_y_columns;
	bool		joint;			/* train_joint: y_column_name is text[] */
	PgmlText	algorithm;
	PgmlText	hyperparams;
	PgmlText	search;
	PgmlText	search_params;
	PgmlText	search_args;
	double		test_size;
	bool		test_size_isnull;
	PgmlText	test_sampling;
	PgmlText	runtime;
	bool		automatic_deploy;	/* NULL behaves as true */
	bool		materialize_snapshot;
	PgmlText	preprocess;
} PgmlTrainArgs;

/* A row of text results from Go (train, deploy, load_dataset): malloc'd strings. */
typedef struct PgmlResultRow
{
	char	   *text[4];
	int64_t		number;
	bool		flag;
} PgmlResultRow;

/* A model ready for the prediction hot path. */
typedef struct PgmlModelRef
{
	int64_t		handle;			/* slot and generation in the model cache */
	int32_t		num_features;
	int32_t		num_outputs;
	int32_t		num_classes;	/* 0 unless the model is a classifier with predict_proba */
	int32_t		num_columns;	/* the training columns a row form supplies (0: no row form) */
	bool		decomposition;	/* outputs are components: predict gives the first */
	bool		classification; /* outputs are classes: no joint prediction */
} PgmlModelRef;

/*
 * One field of a row given to the row forms (PostgresML 2.x's predict(text, row)), for one
 * training column: C arranges the fields in training order (pgmlGoMatchRow).
 */
typedef struct PgmlField
{
	bool		is_text;		/* a text, varchar or char field: a category */
	bool		isnull;
	const char *text;			/* is_text: the value, not NUL-terminated */
	int			len;
	int			offset;			/* numbers: the first of count values in the numbers buffer */
	int			count;			/* 1 for scalars, the element count for arrays */
} PgmlField;

/*
 * Training data reads a NULL as this NaN: its payload is one no arithmetic produces, so Go
 * tells a missing value from a NaN stored in the data (which is reported by name).
 */
#define PGML_MISSING_BITS 0x7ff8000000000badULL

/* One model of this backend's cache, as pgml.model_cache() reports it (malloc'd by Go). */
typedef struct PgmlCachedModel
{
	int64_t		model_id;
	char	   *project;
	char	   *algorithm;
	char	   *runtime;
	int64_t		bytes;
	int64_t		hits;
	int64_t		last_used_us;	/* microseconds since the Unix epoch */
	int64_t		loaded_at_us;
} PgmlCachedModel;

/* Helpers implemented in C, called from Go on the backend's main thread. */
/* as_owner: a statement on pgml's own tables, run as the extension's owner (shim_privileges.c). */
/*
 * A model's project and rows of pgml.files (shim_model_files.c), in the columns of
 * lifecycle/integrity.go's filePartsSQL, without their data; found is false when the model
 * does not exist. A row's data is read by slices with pgml_model_file_slice.
 */
typedef struct PgmlModelFiles
{
	bool		found;
	bool		signed_rows;	/* pgml.files has its digest column (0.3.0) */
	const char *project;
	PgmlRows	rows;
} PgmlModelFiles;

extern int	pgml_model_files(int64_t model_id, PgmlModelFiles *out);
/* Copies at most length bytes of the slice into dst: 1 and *copied when found, 0 when not, -1 on error. */
extern int	pgml_model_file_slice(int64_t file_id, int64_t offset, int64_t length, char *dst, int64_t *copied);
extern int	pgml_spi_query(const char *sql, int nparams, const PgmlParam *params, bool read_only, bool as_owner, PgmlRows *out);
extern int	pgml_cursor_open(const char *sql);
extern int	pgml_cursor_fetch(int max_rows, int ncols, int *widths, double **out, int *nrows);
extern int	pgml_cursor_close(void);
extern int	pgml_report(int level, const char *message);
extern int	pgml_materialize(const char *table, const char *select_sql, int64_t *rows);
extern int	pgml_adopt_relations(int *count);

/* Read backend globals only: no PG_TRY needed. */
extern const char *pgml_data_directory(void);
extern int	pgml_file_create_mode(void);
extern bool pgml_in_recovery(void);

/* Safe from any thread: they only read flags. */
extern bool pgml_interrupt_pending(void);
extern int	pgml_python_threads(void);
extern int	pgml_training_memory_limit_kb(void);

/*
 * A training's progress in the backend's progress slot (shim_progress.c): the values of
 * st_progress_param, by index. Texts are packed 8 bytes per value (native byte order,
 * NUL-padded, cut at the slot's size); times are TimestampTz. A new project's row is not
 * visible to other sessions until the training commits: the slot holds its name too.
 */
enum
{
	PGML_PROGRESS_LAYOUT = 0,	/* PGML_PROGRESS_LAYOUT_VERSION */
	PGML_PROGRESS_PROJECT_ID = 1,
	PGML_PROGRESS_ALGORITHM = 2,	/* 4 values: 32 bytes */
	PGML_PROGRESS_RUNTIME = 6,
	PGML_PROGRESS_UNIT = 7,
	PGML_PROGRESS_DONE = 8,
	PGML_PROGRESS_TOTAL = 9,
	PGML_PROGRESS_SEARCH = 10,	/* fold, folds, candidate, candidates: 16 bits each, high to low */
	PGML_PROGRESS_STARTED = 11,
	PGML_PROGRESS_PHASE_STARTED = 12,
	PGML_PROGRESS_ESTIMATED_END = 13,
	PGML_PROGRESS_SHAPE = 14,	/* phase code (8 bits), features (24), training rows (32) */
	PGML_PROGRESS_PROJECT_NAME = 15,	/* 5 values: 40 bytes */
	PGML_PROGRESS_NPARAMS = 20
};
#define PGML_PROGRESS_LAYOUT_VERSION INT64_C(0x70676d6c00000002)	/* "pgml", 2 */
#define PGML_PROGRESS_TEXT_BYTES(nvalues) ((nvalues) * 8)

/* Main thread only; they cannot raise an error. */
extern void pgml_progress_publish(const int64_t *values);
extern void pgml_progress_end(void);
extern int	pgml_progress_interval_s(void);

/* Set by Go after every change of the model cache: a transaction end must shrink it. */
extern bool pgml_model_cache_over_limit;

enum
{
	PGML_REPORT_DEBUG = 0,		/* DEBUG1: training phases, for tests and diagnosis */
	PGML_REPORT_INFO = 1,
	PGML_REPORT_NOTICE = 2,
	PGML_REPORT_WARNING = 3
};

/* What pgmlGoSklearnScore and pgmlGoSklearnMetrics compute (the sklearn_* functions). */
enum
{
	PGML_METRIC_F1 = 1,
	PGML_METRIC_R2 = 2,
	PGML_METRIC_REGRESSION = 3,
	PGML_METRIC_CLASSIFICATION = 4
};

#endif							/* PGML_SHIM_H */
