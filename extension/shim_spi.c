/*
 * SPI helpers for Go. Each one catches PostgreSQL errors and returns -1 instead of jumping
 * over Go frames (rule 2 in docs/architecture.md); the caught error is re-thrown by the entry
 * point once Go has returned.
 * Results live in SPI memory, which Go copies before its call returns.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "shim_internal.h"

static Datum
param_datum(const PgmlParam *param)
{
	if (param->type == BYTEAOID)
	{
		bytea	   *bytes = palloc(VARHDRSZ + param->len);

		SET_VARSIZE(bytes, VARHDRSZ + param->len);
		memcpy(VARDATA(bytes), param->data, param->len);
		return PointerGetDatum(bytes);
	}
	else
	{
		Oid			input;
		Oid			ioparam;

		getTypeInputInfo(param->type, &input, &ioparam);
		return OidInputFunctionCall(input, pnstrdup(param->data, param->len), ioparam, -1);
	}
}

static void
copy_result(PgmlRows *out)
{
	TupleDesc	desc = SPI_tuptable->tupdesc;
	int			nrows = (int) SPI_processed;
	int			ncols = desc->natts;

	out->nrows = nrows;
	out->ncols = ncols;
	out->values = palloc0(sizeof(PgmlValue) * Max(nrows * ncols, 1));
	for (int r = 0; r < nrows; r++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[r];

		for (int c = 0; c < ncols; c++)
		{
			PgmlValue  *value = &out->values[r * ncols + c];
			bool		isnull;
			Datum		datum = SPI_getbinval(tuple, desc, c + 1, &isnull);

			value->isnull = isnull;
			if (isnull)
				continue;
			if (TupleDescAttr(desc, c)->atttypid == BYTEAOID)
			{
				bytea	   *bytes = DatumGetByteaPP(datum);

				value->data = VARDATA_ANY(bytes);
				value->len = VARSIZE_ANY_EXHDR(bytes);
			}
			else
			{
				value->data = SPI_getvalue(tuple, desc, c + 1);
				value->len = strlen(value->data);
			}
		}
	}
}

int
pgml_spi_query(const char *sql, int nparams, const PgmlParam *params, bool read_only, bool as_owner, PgmlRows *out)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;
	PgmlOwnerSwitch owner_state = {0};
	PgmlOwnerSwitch *volatile owner = &owner_state;

	memset(out, 0, sizeof(*out));
	PG_TRY();
	{
		Oid		   *types = palloc(sizeof(Oid) * Max(nparams, 1));
		Datum	   *values = palloc(sizeof(Datum) * Max(nparams, 1));
		char	   *nulls = palloc(Max(nparams, 1));
		int			ret;

		pgml_fault_point();
		for (int i = 0; i < nparams; i++)
		{
			types[i] = params[i].type;
			nulls[i] = params[i].isnull ? 'n' : ' ';
			values[i] = params[i].isnull ? (Datum) 0 : param_datum(&params[i]);
		}
		if (as_owner)
		{
			SPIPlanPtr	plan;

			pgml_become_owner(owner);
			plan = SPI_prepare(sql, nparams, types);
			if (plan == NULL)
				elog(ERROR, "pgml: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
			pgml_check_owner_statement(plan);
			ret = SPI_execute_plan(plan, values, nulls, read_only, 0);
			SPI_freeplan(plan);
		}
		else
			ret = SPI_execute_with_args(sql, nparams, types, values, nulls, read_only, 0);
		if (ret < 0)
			elog(ERROR, "pgml: SPI_execute failed: %s", SPI_result_code_string(ret));
		if (SPI_tuptable != NULL)
			copy_result(out);
		pgml_restore_caller(owner, true);
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		pgml_restore_caller(owner, false);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}

/*
 * Training data is read through one cursor in batches: one cgo call per batch, never per
 * value (rule 13 in docs/architecture.md).
 * Each column becomes doubles: scalars one value, arrays their flattened elements, with the
 * width fixed by the first row. NULL becomes the missing-value NaN of shim.h.
 */
static Portal data_portal = NULL;
static MemoryContext batch_context = NULL;

typedef struct ColumnReader
{
	Oid			type;			/* the scalar type, or the element type of an array */
	bool		is_array;
} ColumnReader;

static ColumnReader *readers = NULL;

int
pgml_cursor_open(const char *sql)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;

	PG_TRY();
	{
		SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);

		if (plan == NULL)
			elog(ERROR, "pgml: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		/* Not read-only: it must see a snapshot table created earlier in this call. */
		data_portal = SPI_cursor_open(NULL, plan, NULL, NULL, false);
		batch_context = AllocSetContextCreate(context, "pgml training batch", ALLOCSET_DEFAULT_SIZES);
		readers = NULL;
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}

static double
missing_value(void)
{
	union
	{
		uint64		bits;
		double		value;
	}			missing = {PGML_MISSING_BITS};

	return missing.value;
}

static void
prepare_readers(TupleDesc desc)
{
	readers = MemoryContextAllocZero(MemoryContextGetParent(batch_context), sizeof(ColumnReader) * desc->natts);
	for (int c = 0; c < desc->natts; c++)
	{
		Oid			type = TupleDescAttr(desc, c)->atttypid;
		Oid			element = get_element_type(type);
		ColumnReader *reader = &readers[c];

		reader->is_array = OidIsValid(element);
		reader->type = reader->is_array ? element : type;
		/* Before a single row is read. */
		if (!pgml_is_number_type(reader->type))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("column \"%s\" has type %s, which pgml cannot use as a number",
							NameStr(TupleDescAttr(desc, c)->attname), format_type_be(type)),
					 errhint("Use columns of type boolean, smallint, integer, bigint, real, double precision or numeric, or arrays of them.")));
	}
}

/* width: fixed by the first row of the first batch. */
static void
read_array(Datum value, bool isnull, int width, const char *column, double *dst)
{
	ArrayType  *array;
	int			count;

	if (isnull)
	{
		for (int i = 0; i < width; i++)
			dst[i] = missing_value();
		return;
	}
	array = DatumGetArrayTypeP(value);
	count = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	if (count != width)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("Mismatched array length for feature `%s`. Expected: %d Received: %d",
						column, width, count)));
	pgml_array_to_doubles(array, count, dst, missing_value(), column);
}

/*
 * widths: one entry per column, -1 until known (scalars 1). *out receives nrows rows of
 * sum(widths) doubles, valid until the next fetch.
 */
int
pgml_cursor_fetch(int max_rows, int ncols, int *widths, double **out, int *nrows)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;

	*out = NULL;
	*nrows = 0;
	PG_TRY();
	{
		TupleDesc	desc;
		int			count;
		int			row_width = 0;
		double	   *buffer;

		MemoryContextReset(batch_context);
		pgml_fault_point();
		SPI_cursor_fetch(data_portal, true, max_rows);
		desc = SPI_tuptable->tupdesc;
		count = (int) SPI_processed;
		if (desc->natts != ncols)
			elog(ERROR, "pgml: cursor returned %d columns, expected %d", desc->natts, ncols);
		if (readers == NULL)
			prepare_readers(desc);

		if (count > 0)
		{
			/* The first row fixes array widths. */
			HeapTuple	first = SPI_tuptable->vals[0];

			for (int c = 0; c < ncols; c++)
			{
				if (widths[c] >= 0)
					continue;
				if (!readers[c].is_array)
					widths[c] = 1;
				else
				{
					bool		isnull;
					Datum		value = SPI_getbinval(first, desc, c + 1, &isnull);
					ArrayType  *array;

					if (isnull)
						ereport(ERROR,
								(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
								 errmsg("array column \"%s\" is NULL in the first row, so its width is unknown",
										NameStr(TupleDescAttr(desc, c)->attname))));
					array = DatumGetArrayTypeP(value);
					widths[c] = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
				}
			}
		}
		for (int c = 0; c < ncols; c++)
			row_width += Max(widths[c], 0);

		buffer = MemoryContextAlloc(batch_context, sizeof(double) * Max((Size) count * row_width, 1));
		for (int r = 0; r < count; r++)
		{
			HeapTuple	tuple = SPI_tuptable->vals[r];
			double	   *dst = buffer + (Size) r * row_width;

			for (int c = 0; c < ncols; c++)
			{
				bool		isnull;
				Datum		value = SPI_getbinval(tuple, desc, c + 1, &isnull);
				const char *column = NameStr(TupleDescAttr(desc, c)->attname);

				if (readers[c].is_array)
				{
					MemoryContext old = MemoryContextSwitchTo(batch_context);

					read_array(value, isnull, widths[c], column, dst);
					MemoryContextSwitchTo(old);
				}
				else
					*dst = isnull ? missing_value() : pgml_number_to_double(value, readers[c].type, column);
				dst += widths[c];
			}
		}
		SPI_freetuptable(SPI_tuptable);
		*out = buffer;
		*nrows = count;
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}

int
pgml_cursor_close(void)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;

	PG_TRY();
	{
		if (data_portal != NULL)
			SPI_cursor_close(data_portal);
		if (batch_context != NULL)
			MemoryContextDelete(batch_context);
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	data_portal = NULL;
	batch_context = NULL;
	readers = NULL;
	return rc;
}
