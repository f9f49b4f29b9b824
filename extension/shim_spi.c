/*
 * SPI helpers for Go. Each one catches PostgreSQL errors and returns -1 instead of jumping
 * over Go frames; the caught error is re-thrown by the entry point once Go has returned.
 * Results live in SPI memory, which Go copies before its call returns.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

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
 * Training data is read through one cursor in batches (rule 13: one cgo call per batch).
 * Each column becomes doubles: scalars one value, arrays their flattened elements, with the
 * width fixed by the first row. NULL becomes the missing-value NaN of shim.h.
 */
static Portal data_portal = NULL;
static MemoryContext batch_context = NULL;

typedef struct ColumnReader
{
	Oid			type;			/* the scalar type, or the element type of an array */
	bool		is_array;
	int16		typlen;
	bool		typbyval;
	char		typalign;
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

static double
numeric_to_double(Datum value, const char *column)
{
	double		result = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value));

	if (isinf(result) && !numeric_is_inf(DatumGetNumeric(value)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("column \"%s\" holds a value too large for double precision", column),
				 errhint("pgml computes in double precision (up to about 1e308): scale the column, or leave the row out.")));
	return result;
}

static double
scalar_to_double(Datum value, Oid type, const char *column)
{
	switch (type)
	{
		case BOOLOID:
			return DatumGetBool(value) ? 1.0 : 0.0;
		case INT2OID:
			return DatumGetInt16(value);
		case INT4OID:
			return DatumGetInt32(value);
		case INT8OID:
			return (double) DatumGetInt64(value);
		case FLOAT4OID:
			return DatumGetFloat4(value);
		case FLOAT8OID:
			return DatumGetFloat8(value);
		case NUMERICOID:
			return numeric_to_double(value, column);
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("column \"%s\" has type %s, which pgml cannot use as a number",
							column, format_type_be(type)),
					 errhint("Use columns of type boolean, smallint, integer, bigint, real, double precision or numeric, or arrays of them.")));
	}
	return 0;					/* not reached */
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
		/* Reject unusable types before reading a single row. */
		switch (reader->type)
		{
			case BOOLOID:
			case INT2OID:
			case INT4OID:
			case INT8OID:
			case FLOAT4OID:
			case FLOAT8OID:
			case NUMERICOID:
				break;
			default:
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("column \"%s\" has type %s, which pgml cannot use as a number",
								NameStr(TupleDescAttr(desc, c)->attname), format_type_be(type)),
						 errhint("Use columns of type boolean, smallint, integer, bigint, real, double precision or numeric, or arrays of them.")));
		}
		if (reader->is_array)
			get_typlenbyvalalign(element, &reader->typlen, &reader->typbyval, &reader->typalign);
	}
}

static void
read_array(ColumnReader *reader, Datum value, bool isnull, int *width, const char *column, double *dst)
{
	ArrayType  *array;
	Datum	   *elements;
	bool	   *nulls;
	int			count;

	if (isnull)
	{
		if (*width < 0)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("array column \"%s\" is NULL in the first row, so its width is unknown", column)));
		for (int i = 0; i < *width; i++)
			dst[i] = missing_value();
		return;
	}
	array = DatumGetArrayTypeP(value);
	deconstruct_array(array, reader->type, reader->typlen, reader->typbyval, reader->typalign,
					  &elements, &nulls, &count);
	if (*width < 0)
		*width = count;
	else if (count != *width)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("Mismatched array length for feature `%s`. Expected: %d Received: %d",
						column, *width, count)));
	for (int i = 0; i < count; i++)
		dst[i] = nulls[i] ? missing_value() : scalar_to_double(elements[i], reader->type, column);
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

					if (isnull)
						ereport(ERROR,
								(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
								 errmsg("array column \"%s\" is NULL in the first row, so its width is unknown",
										NameStr(TupleDescAttr(desc, c)->attname))));
					widths[c] = ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(value)), ARR_DIMS(DatumGetArrayTypeP(value)));
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

					read_array(&readers[c], value, isnull, &widths[c], column, dst);
					MemoryContextSwitchTo(old);
				}
				else
					*dst = isnull ? missing_value() : scalar_to_double(value, readers[c].type, column);
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
