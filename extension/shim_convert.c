/*
 * SQL numbers as doubles, for every function that hands numbers to a model: training data
 * (shim_spi.c), the array and row forms of prediction (shim_predict.c) and the sklearn_* metric
 * functions (shim_utility.c); the vector functions (shim_vector.c) share the NULL scan and the
 * numeric conversion. The accepted types are listed once, in pgml_is_number_type
 * (shim_internal.h). What a NULL or an unusable value means differs by caller, so each caller
 * raises its own error.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "shim_internal.h"

static double
numeric_to_double(Datum value, const char *column)
{
	double		result = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value));

	if (column != NULL && isinf(result) && !numeric_is_inf(DatumGetNumeric(value)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("column \"%s\" holds a value too large for double precision", column),
				 errhint("pgml computes in double precision (up to about 1e308): scale the column, or leave the row out.")));
	return result;
}

double
pgml_number_to_double(Datum value, Oid type, const char *column)
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
	}
	elog(ERROR, "pgml: type %u is not a number type", type);
	return 0;					/* not reached */
}

/*
 * Element i of fixed-size data. Always inlined with type a constant, so that every loop below
 * is specialised to one type, with no switch per element.
 */
static pg_attribute_always_inline double
fixed_element(Oid type, const char *data, int i)
{
	switch (type)
	{
		case BOOLOID:
			return ((const bool *) data)[i] ? 1.0 : 0.0;
		case INT2OID:
			return ((const int16 *) data)[i];
		case INT4OID:
			return ((const int32 *) data)[i];
		case INT8OID:
			return (double) ((const int64 *) data)[i];
		case FLOAT4OID:
			return ((const float4 *) data)[i];
		case FLOAT8OID:
			return ((const float8 *) data)[i];
	}
	pg_unreachable();
}

/*
 * An array stores its non-NULL elements only, one after the other: the size of each of these
 * types is a multiple of its alignment, so they are contiguous.
 */
static pg_attribute_always_inline void
copy_fixed(Oid type, ArrayType *array, int count, double *dst, double null_value)
{
	const char *data = ARR_DATA_PTR(array);
	bits8	   *bitmap = ARR_NULLBITMAP(array);

	if (bitmap == NULL)
	{
		if (type == FLOAT8OID)
			memcpy(dst, data, sizeof(double) * count);
		else
			for (int i = 0; i < count; i++)
				dst[i] = fixed_element(type, data, i);
		return;
	}
	for (int i = 0, stored = 0; i < count; i++)
		dst[i] = (bitmap[i / 8] & (1 << (i % 8))) == 0 ? null_value : fixed_element(type, data, stored++);
}

void
pgml_array_to_doubles(ArrayType *array, int count, double *dst, double null_value, const char *column)
{
	switch (ARR_ELEMTYPE(array))
	{
		case BOOLOID:
			copy_fixed(BOOLOID, array, count, dst, null_value);
			break;
		case INT2OID:
			copy_fixed(INT2OID, array, count, dst, null_value);
			break;
		case INT4OID:
			copy_fixed(INT4OID, array, count, dst, null_value);
			break;
		case INT8OID:
			copy_fixed(INT8OID, array, count, dst, null_value);
			break;
		case FLOAT4OID:
			copy_fixed(FLOAT4OID, array, count, dst, null_value);
			break;
		case FLOAT8OID:
			copy_fixed(FLOAT8OID, array, count, dst, null_value);
			break;
		case NUMERICOID:
			{
				Datum	   *elements;
				bool	   *nulls = NULL;
				int			n;

				deconstruct_array(array, NUMERICOID, -1, false, TYPALIGN_INT, &elements,
								  ARR_HASNULL(array) ? &nulls : NULL, &n);
				for (int i = 0; i < n; i++)
					dst[i] = nulls != NULL && nulls[i] ? null_value : numeric_to_double(elements[i], column);
				break;
			}
		default:
			elog(ERROR, "pgml: arrays of type %u hold no numbers", ARR_ELEMTYPE(array));
	}
}
