/*
 * The row forms: predict(project, row), predict_proba, predict_joint, decompose and
 * predict_batch (an array of rows). A row with field names (a table or view row, a composite
 * type, a subquery's row) feeds the training columns by name, extra fields ignored; an
 * anonymous ROW(...) (fields f1, f2, ...) by position. The matching is built once per call
 * site, row type and model (pgmlGoMatchRow); then each row costs a deform, one pass over the
 * training columns and one call into Go, which applies the model's preprocessing as training
 * did (text fields are categories).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "shim_predict.h"
#include "_cgo_export.h"

static bool
is_text_type(Oid type)
{
	return type == TEXTOID || type == VARCHAROID || type == BPCHAROID;
}

/* An anonymous record's fields are named f1, f2, ... by PostgreSQL: those match by position. */
static bool
row_is_named(Oid type, TupleDesc desc)
{
	char		expected[NAMEDATALEN];

	if (type != RECORDOID)
		return true;
	for (int i = 0; i < desc->natts; i++)
	{
		snprintf(expected, sizeof(expected), "f%d", i + 1);
		if (strcmp(NameStr(TupleDescAttr(desc, i)->attname), expected) != 0)
			return true;
	}
	return false;
}

/* Builds cache->row_attribute for this row type and the resolved model, unless it is built. */
static void
match_row_type(FunctionCallInfo fcinfo, PredictCache *cache, Oid type, int32 typmod, TupleDesc desc)
{
	MemoryContext context = fcinfo->flinfo->fn_mcxt;
	int			ncolumns = cache->model.num_columns;
	const char **names;
	int		   *attribute_of = palloc(sizeof(int) * Max(desc->natts, 1));
	int		   *field_of = palloc(sizeof(int) * Max(ncolumns, 1));
	int			nfields = 0;
	PgmlStatus	status = {0};
	int			rc;

	if (cache->row_attribute != NULL && cache->row_type == type && cache->row_typmod == typmod &&
		cache->row_handle == cache->model.handle)
		return;
	names = palloc(sizeof(char *) * Max(desc->natts, 1));
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		attribute_of[nfields] = i;
		names[nfields++] = NameStr(att->attname);
	}
	/* Go is running: the handle comes from use_model, which started it (pgml_go). */
	for (int attempt = 0;; attempt++)
	{
		rc = pgmlGoMatchRow(cache->model.handle, (char **) names, nfields, row_is_named(type, desc), field_of, &status);
		if (!pgml_model_was_stale(fcinfo, cache, rc, attempt))
			break;
	}
	if (rc != PGML_OK)
		pgml_raise_status(&status);
	/* The model resolved again may describe other columns: size from what it says now. */
	ncolumns = cache->model.num_columns;
	if (cache->row_attribute != NULL)
	{
		pfree(cache->row_attribute);
		pfree(cache->row_fields);
	}
	cache->row_attribute = MemoryContextAlloc(context, sizeof(int) * Max(ncolumns, 1));
	cache->row_fields = MemoryContextAllocZero(context, sizeof(PgmlField) * Max(ncolumns, 1));
	for (int j = 0; j < ncolumns; j++)
		cache->row_attribute[j] = attribute_of[field_of[j]];
	cache->row_columns = ncolumns;
	cache->row_type = type;
	cache->row_typmod = typmod;
	cache->row_handle = cache->model.handle;
	pfree(names);
	pfree(attribute_of);
	pfree(field_of);
}

/* Fills field from one attribute; numbers go to cache->features at *used. */
static void
attribute_to_field(FunctionCallInfo fcinfo, PredictCache *cache, Form_pg_attribute att, Datum value, bool isnull,
				   PgmlField *field, int *used)
{
	Oid			element;

	memset(field, 0, sizeof(PgmlField));
	field->isnull = isnull;
	field->offset = *used;
	if (is_text_type(att->atttypid))
	{
		field->is_text = true;
		if (!isnull)
		{
			text	   *t = DatumGetTextPP(value);
			int			len = VARSIZE_ANY_EXHDR(t);

			/* char(n) compares without its padding, as its cast to text does. */
			if (att->atttypid == BPCHAROID)
				while (len > 0 && VARDATA_ANY(t)[len - 1] == ' ')
					len--;
			field->text = VARDATA_ANY(t);
			field->len = len;
		}
		return;
	}
	if (pgml_is_number_type(att->atttypid))
	{
		field->count = 1;
		pgml_ensure_capacity(&cache->features, &cache->capacity, *used + 1, fcinfo->flinfo->fn_mcxt);
		cache->features[(*used)++] = isnull ? NAN : pgml_number_to_double(value, att->atttypid, NULL);
		return;
	}
	element = get_element_type(att->atttypid);
	if (OidIsValid(element) && pgml_is_number_type(element))
	{
		if (!isnull)
		{
			ArrayType  *array = DatumGetArrayTypeP(value);
			int			n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));

			pgml_ensure_capacity(&cache->features, &cache->capacity, *used + Max(n, 1), fcinfo->flinfo->fn_mcxt);
			pgml_array_to_doubles(array, n, cache->features + *used, NAN, NULL);
			field->count = n;
			*used += n;
		}
		return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("pgml cannot predict from field \"%s\" of type %s", NameStr(att->attname), format_type_be(att->atttypid)),
			 errhint("Fields that feed training columns must be numbers, booleans, arrays of those, or text (categories).")));
}

/*
 * Preprocesses one row into dst (num_features values): its fields are arranged in training
 * order (cache->row_fields), then Go applies the model's preprocessing.
 */
static void
assemble_row(FunctionCallInfo fcinfo, PredictCache *cache, HeapTupleHeader header, double *dst)
{
	Oid			type = HeapTupleHeaderGetTypeId(header);
	int32		typmod = HeapTupleHeaderGetTypMod(header);
	TupleDesc	desc = lookup_rowtype_tupdesc(type, typmod);
	HeapTupleData tuple;
	Datum	   *values = palloc(sizeof(Datum) * Max(desc->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(desc->natts, 1));
	PgmlStatus	status = {0};
	int			used = 0;
	int			rc;

	tuple.t_len = HeapTupleHeaderGetDatumLength(header);
	ItemPointerSetInvalid(&(tuple.t_self));
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = header;
	heap_deform_tuple(&tuple, desc, values, nulls);

	match_row_type(fcinfo, cache, type, typmod, desc);
	pgml_ensure_capacity(&cache->features, &cache->capacity, 1, fcinfo->flinfo->fn_mcxt);
	for (int j = 0; j < cache->row_columns; j++)
	{
		int			i = cache->row_attribute[j];

		attribute_to_field(fcinfo, cache, TupleDescAttr(desc, i), values[i], nulls[i], &cache->row_fields[j], &used);
	}
	ReleaseTupleDesc(desc);
	for (int attempt = 0;; attempt++)
	{
		rc = pgmlGoAssembleRecord(cache->model.handle, cache->row_fields, cache->row_columns, cache->features, dst, &status);
		if (!pgml_model_was_stale(fcinfo, cache, rc, attempt))
			break;
	}
	if (rc != PGML_OK)
		pgml_raise_status(&status);
	pfree(values);
	pfree(nulls);
}

/* The row argument (argument 1) preprocessed into cache->row_features. */
static double *
assemble_argument(FunctionCallInfo fcinfo, PredictCache *cache)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, 1);

	/* predict's row form is anyelement (as in PostgresML): anything but a row is refused. */
	if (type != RECORDOID && !type_is_rowtype(type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("pgml.predict takes an array of features or a row, got %s", format_type_be(type)),
				 errhint("Pass the features as ARRAY[a, b, c], or as a row: (a, b, c).")));
	pgml_ensure_capacity(&cache->row_features, &cache->row_capacity, Max(cache->model.num_features, 1), fcinfo->flinfo->fn_mcxt);
	assemble_row(fcinfo, cache, PG_GETARG_HEAPTUPLEHEADER(1), cache->row_features);
	return cache->row_features;
}

static float4
predict_one(FunctionCallInfo fcinfo, PredictCache *cache)
{
	double	   *x;

	pgml_require_single_output(cache);
	x = assemble_argument(fcinfo, cache);
	pgml_run_model(fcinfo, cache, pgmlGoPredict, x, 1, cache->outputs);
	return (float4) cache->outputs[0];
}

PG_FUNCTION_INFO_V1(pgml_predict_row);
Datum
pgml_predict_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	PG_RETURN_FLOAT4(predict_one(fcinfo, cache));
}

PG_FUNCTION_INFO_V1(pgml_predict_model_row);
Datum
pgml_predict_model_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	PG_RETURN_FLOAT4(predict_one(fcinfo, cache));
}

PG_FUNCTION_INFO_V1(pgml_predict_proba_row);
Datum
pgml_predict_proba_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	PG_RETURN_ARRAYTYPE_P(pgml_probabilities_of(fcinfo, cache, assemble_argument(fcinfo, cache)));
}

PG_FUNCTION_INFO_V1(pgml_predict_proba_model_row);
Datum
pgml_predict_proba_model_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	PG_RETURN_ARRAYTYPE_P(pgml_probabilities_of(fcinfo, cache, assemble_argument(fcinfo, cache)));
}

static ArrayType *
predict_joint_row(FunctionCallInfo fcinfo, PredictCache *cache)
{
	double	   *x;

	pgml_reject_classifier_for_joint(cache);
	x = assemble_argument(fcinfo, cache);
	pgml_run_model(fcinfo, cache, pgmlGoPredict, x, 1, cache->outputs);
	return pgml_outputs_array(fcinfo, cache);
}

PG_FUNCTION_INFO_V1(pgml_predict_joint_row);
Datum
pgml_predict_joint_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	PG_RETURN_ARRAYTYPE_P(predict_joint_row(fcinfo, cache));
}

PG_FUNCTION_INFO_V1(pgml_predict_joint_model_row);
Datum
pgml_predict_joint_model_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	PG_RETURN_ARRAYTYPE_P(predict_joint_row(fcinfo, cache));
}

PG_FUNCTION_INFO_V1(pgml_decompose_row);
Datum
pgml_decompose_row(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);
	double	   *x;

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	pgml_require_decomposition(cache);
	x = assemble_argument(fcinfo, cache);
	pgml_run_model(fcinfo, cache, pgmlGoPredict, x, 1, cache->outputs);
	PG_RETURN_ARRAYTYPE_P(pgml_components(cache));
}

static void
batch_row_context(void *arg)
{
	errcontext("row %d of the array", *(int *) arg + 1);
}

/* predict_batch of an array of rows: each row preprocessed, then all predicted in chunks. */
static float4 *
predict_row_array(FunctionCallInfo fcinfo, PredictCache *cache, ArrayType *rows, int *nrows)
{
	int			width = Max(cache->model.num_features, 1);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elements;
	bool	   *nulls;
	double	   *x;
	ErrorContextCallback context;
	int			row;

	pgml_require_single_output(cache);
	get_typlenbyvalalign(ARR_ELEMTYPE(rows), &typlen, &typbyval, &typalign);
	deconstruct_array(rows, ARR_ELEMTYPE(rows), typlen, typbyval, typalign, &elements, &nulls, nrows);
	if ((Size) *nrows * width > MaxAllocSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("pgml.predict_batch cannot hold %d rows of %d features at once", *nrows, width),
				 errhint("Pass fewer rows per call.")));
	x = palloc(sizeof(double) * Max((Size) *nrows * width, 1));
	context.callback = batch_row_context;
	context.arg = &row;
	context.previous = error_context_stack;
	error_context_stack = &context;
	for (row = 0; row < *nrows; row++)
	{
		int			r = row;

		if (nulls[r])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("row %d of the array is NULL; pgml cannot predict from a NULL row", r + 1)));
		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		assemble_row(fcinfo, cache, DatumGetHeapTupleHeader(elements[r]), x + (Size) r * width);
	}
	error_context_stack = context.previous;
	return pgml_predict_rows(fcinfo, cache, x, *nrows);
}

PG_FUNCTION_INFO_V1(pgml_predict_batch_rows);
Datum
pgml_predict_batch_rows(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);
	float4	   *predictions;
	int			nrows;

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	predictions = predict_row_array(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1), &nrows);
	return pgml_return_prediction_set(fcinfo, predictions, nrows);
}

PG_FUNCTION_INFO_V1(pgml_predict_batch_model_rows);
Datum
pgml_predict_batch_model_rows(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);
	float4	   *predictions;
	int			nrows;

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	predictions = predict_row_array(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1), &nrows);
	PG_RETURN_ARRAYTYPE_P(pgml_prediction_array(predictions, nrows));
}
