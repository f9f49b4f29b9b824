/*
 * pgml_bench_floor(text, real[]) RETURNS real: the floor of the prediction benchmark.
 *
 * The cheapest honest C function with pgml.predict's signature: it takes the project name
 * (and looks at it, as a real function would), validates the feature array like a real
 * function would (one dimension, no NULLs, the expected length, ereport otherwise) and
 * evaluates a fixed linear model, intercept + sum(w_i * x_i), in double. No catalog access,
 * no cache, no allocation: what remains of its cost per row is the fmgr call, the detoast
 * check and ten multiply-adds.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

PG_MODULE_MAGIC;

#define NFEATURES 10

static const double weights[NFEATURES] = {
	1.5, -2.0, 0.75, 3.0, -1.25, 0.5, 2.25, -0.8, 1.1, -0.3
};
static const double intercept = 4.0;

PG_FUNCTION_INFO_V1(pgml_bench_floor);

Datum
pgml_bench_floor(PG_FUNCTION_ARGS)
{
	text	   *project = PG_GETARG_TEXT_PP(0);
	ArrayType  *features = PG_GETARG_ARRAYTYPE_P(1);
	const float4 *x;
	double		y = intercept;
	int			i;

	if (VARSIZE_ANY_EXHDR(project) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project name must not be empty")));
	if (ARR_ELEMTYPE(features) != FLOAT4OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("features must be real[]")));
	if (ARR_NDIM(features) != 1 || ARR_DIMS(features)[0] != NFEATURES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expected %d features, got %d", NFEATURES,
						ARR_NDIM(features) == 0 ? 0 : ArrayGetNItems(ARR_NDIM(features), ARR_DIMS(features)))));
	if (array_contains_nulls(features))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("features must not contain NULL")));

	/* No NULL bitmap and a fixed-width, pass-by-value element type: the data is a plain float4[]. */
	x = (const float4 *) ARR_DATA_PTR(features);
	for (i = 0; i < NFEATURES; i++)
		y += weights[i] * (double) x[i];

	PG_RETURN_FLOAT4((float4) y);
}
