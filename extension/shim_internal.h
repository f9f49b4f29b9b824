/*
 * Declarations shared by the C files of the shim only (they may use PostgreSQL types).
 */
#ifndef PGML_SHIM_INTERNAL_H
#define PGML_SHIM_INTERNAL_H

#include "postgres.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

#include "shim.h"

/* In a PG_CATCH block: keep the error for pgml_raise_status and leave error state clean. */
extern void pgml_catch_error(MemoryContext context);

/* Inside a helper's PG_TRY: raises the injected ERROR when pgml.inject_fault = c_helper_error. */
extern void pgml_fault_point(void);

/* After Go returned: raise the ERROR described by status (or a caught PostgreSQL error). */
extern void pgml_raise_status(PgmlStatus *status);

/* After a Go call that fills row: as pgml_raise_status, freeing row's strings if Go failed. */
extern void pgml_finish_go_call(PgmlStatus *status, PgmlResultRow *row);

/* A text Datum argument as PgmlText (NULL when the argument is NULL). */
extern PgmlText pgml_text_arg(FunctionCallInfo fcinfo, int argno);

/* Copies a malloc'd Go string into palloc'd memory and frees the original. */
extern char *pgml_take_string(char *s);

/*
 * A statement on pgml's own tables runs as the extension's owner (shim_privileges.c):
 * pgml_become_owner inside a PG_TRY, pgml_restore_caller on both of its exits.
 */
typedef struct PgmlOwnerSwitch
{
	Oid			user;
	int			context;
	int			guc_level;
	bool		switched;
} PgmlOwnerSwitch;

extern void pgml_become_owner(PgmlOwnerSwitch *saved);
extern void pgml_restore_caller(PgmlOwnerSwitch *saved, bool success);
extern Oid	pgml_extension_oid(void);
struct _SPI_plan;
extern void pgml_check_owner_statement(struct _SPI_plan *plan);

/*
 * Every path into Go calls pgml_go() first: the first call waits for Go's runtime to finish
 * starting and gives Go the settings (shim_boundary.c, pgml_start_go).
 */
extern bool pgml_go_started;
extern void pgml_start_go(void);
extern void pgml_model_cache_start_go(void);

static inline void
pgml_go(void)
{
	if (unlikely(!pgml_go_started))
		pgml_start_go();
}

/* Lookups in pgml's own tables without SQL (shim_model_cache.c, shim_model_files.c). */
extern AttrNumber pgml_column(Oid relid, const char *name);
extern Oid	pgml_sibling_table(Oid nsp, const char *name);
extern Oid	pgml_find_index(Oid relid, AttrNumber first, AttrNumber second);
extern struct SnapshotData *pgml_statement_snapshot(void);
extern void pgml_model_files_init(void);
extern void pgml_prefetch_model_files(int64 model_id);

/* Records that every relation pgml created in its schema depends on the extension. */
extern int	pgml_adopt_relations_spi(void);

/*
 * Numbers from SQL values. The two checks below are inline: every row of predict and of the
 * vector functions runs them; the conversions are in shim_convert.c.
 */

/* The types pgml reads as numbers (boolean as 0 or 1). */
static inline bool
pgml_is_number_type(Oid type)
{
	switch (type)
	{
		case BOOLOID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case FLOAT4OID:
		case FLOAT8OID:
		case NUMERICOID:
			return true;
		default:
			return false;
	}
}

/* The flattened position (1-based) of the first NULL element of array, or 0 when none is. */
static inline int
pgml_array_first_null(ArrayType *array)
{
	bits8	   *bitmap = ARR_NULLBITMAP(array);
	int			count;

	if (bitmap == NULL)
		return 0;
	count = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	for (int i = 0; i < count; i++)
		if ((bitmap[i / 8] & (1 << (i % 8))) == 0)
			return i + 1;
	return 0;
}

/*
 * value of a number type as a double. column: NULL, a numeric beyond the range of a double
 * becomes +-Infinity; otherwise that is an ERROR naming the column (training data).
 */
extern double pgml_number_to_double(Datum value, Oid type, const char *column);

/*
 * The count elements of an array of a number type, flattened in storage order, into dst; NULL
 * elements become null_value. column: as for pgml_number_to_double.
 */
extern void pgml_array_to_doubles(ArrayType *array, int count, double *dst, double null_value, const char *column);

/*
 * What a prediction call site compares once per call to know whether the statement's snapshot
 * changed since it resolved its model (shim_model_cache.c).
 */
typedef struct PgmlSnapshotKey
{
	bool		valid;
	LocalTransactionId lxid;
	uint64		completions;
	CommandId	curcid;
	TransactionId xmin;
	TransactionId xmax;
	uintptr_t	snapshot;
} PgmlSnapshotKey;

/* Updates *key to the running statement's snapshot; true when it was already that. */
extern bool pgml_snapshot_unchanged(PgmlSnapshotKey *key);

/* The identity of pgml's catalog (the OID of pgml.models, locked for reading). */
extern Oid	pgml_model_catalog(void);

/*
 * The model a project deploys as the statement's snapshot sees it; ERROR when none. Call after
 * pgml_model_catalog() in the same statement.
 */
extern int64 pgml_deployed_model(text *project);

/* Drops the models cached with the interpreter if pgml.files was invalidated since the last call. */
extern void pgml_forget_stale_models(void);

/* Makes every backend drop the models it cached with the interpreter (at commit; this one at its next command). */
extern void pgml_invalidate_model_files(void);

/* From _PG_init: pgml.model_cache_size and the cache's callbacks. */
extern void pgml_model_cache_init(void);
extern void pgml_progress_init(void);

#endif							/* PGML_SHIM_INTERNAL_H */
