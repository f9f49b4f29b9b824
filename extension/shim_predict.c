/*
 * The prediction hot path, called once per SQL row. A call site (fn_extra) resolves its model
 * once per statement snapshot: by id, or by the project's deployment read with that snapshot
 * (shim_model_cache.c); every row then costs an array conversion in C and one call into Go,
 * with no SQL. A model dropped from the backend's cache meanwhile is noticed by Go (a stale
 * handle) and resolved again.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "shim_internal.h"
#include "shim_predict.h"
#include "_cgo_export.h"

PredictCache *
pgml_call_site_cache(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(PredictCache));
	return (PredictCache *) fcinfo->flinfo->fn_extra;
}

static void
remember_model(FunctionCallInfo fcinfo, PredictCache *cache, PgmlModelRef *model)
{
	if (cache->outputs == NULL || model->num_outputs > cache->model.num_outputs)
		cache->outputs = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(double) * Max(model->num_outputs, 1));
	cache->model = *model;
	cache->resolved = true;
}

/* Takes model_id from the backend's cache, or loads it into the cache. */
static void
use_model(FunctionCallInfo fcinfo, PredictCache *cache, Oid catalog, int64 model_id)
{
	PgmlModelRef model = {0};
	int64		statement = GetCurrentStatementStartTimestamp();

	/* The backend's first model: read it while Go's runtime finishes starting. */
	if (!pgml_go_started)
		pgml_prefetch_model_files(model_id);
	pgml_go();
	pgml_forget_stale_models();
	if (!pgmlGoFindModel(catalog, model_id, statement, &model))
	{
		PgmlStatus	status = {0};

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "pgml: SPI_connect failed");
		pgmlGoLoadModel(catalog, model_id, statement, &model, &status);
		pgml_raise_status(&status);
		SPI_finish();
	}
	cache->model_id = model_id;
	remember_model(fcinfo, cache, &model);
}

/*
 * By name: once per statement snapshot (and whenever the name changes), the project's latest
 * deployment as that snapshot sees it.
 */
void
pgml_resolve_project(FunctionCallInfo fcinfo, PredictCache *cache, text *name)
{
	const char *data = VARDATA_ANY(name);
	int			len = VARSIZE_ANY_EXHDR(name);
	Oid			catalog;
	int64		model_id;

	if (pgml_snapshot_unchanged(&cache->snapshot) && cache->resolved && cache->project != NULL &&
		cache->project_len == len && memcmp(cache->project, data, len) == 0)
		return;
	cache->resolved = false;
	catalog = pgml_model_catalog();
	model_id = pgml_deployed_model(name);
	if (cache->project != NULL)
		pfree(cache->project);
	cache->project = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(len, 1));
	memcpy(cache->project, data, len);
	cache->project_len = len;
	use_model(fcinfo, cache, catalog, model_id);
}

/*
 * By id: models never change once stored, but the catalog they are read from may (DROP and
 * CREATE EXTENSION): checked once per statement snapshot.
 */
void
pgml_resolve_model(FunctionCallInfo fcinfo, PredictCache *cache, int64 model_id)
{
	if (pgml_snapshot_unchanged(&cache->snapshot) && cache->resolved && cache->model_id == model_id)
		return;
	cache->resolved = false;
	use_model(fcinfo, cache, pgml_model_catalog(), model_id);
}

/* After a Go prediction call: a model dropped from the cache since it was resolved is loaded again. */
bool
pgml_model_was_stale(FunctionCallInfo fcinfo, PredictCache *cache, int rc, int attempt)
{
	if (rc != PGML_STALE_MODEL)
		return false;
	if (attempt > 0)
		elog(ERROR, "pgml: model " INT64_FORMAT " left the cache while in use", cache->model_id);
	use_model(fcinfo, cache, pgml_model_catalog(), cache->model_id);
	return true;
}

/* Runs fn (pgmlGoPredict or pgmlGoPredictProba) on nrows rows of x. */
void
pgml_run_model(FunctionCallInfo fcinfo, PredictCache *cache, GoPredictFunction fn, double *x, int nrows, double *out)
{
	PgmlStatus	status = {0};
	int			rc;

	for (int attempt = 0;; attempt++)
	{
		rc = fn(cache->model.handle, x, nrows, out, &status);
		if (!pgml_model_was_stale(fcinfo, cache, rc, attempt))
			break;
	}
	if (rc != PGML_OK)
		pgml_raise_status(&status);
}

/*
 * Runs the model over many rows in chunks, with CHECK_FOR_INTERRUPTS between them (no Go frame
 * is below): a cancel ends the call within a chunk's time. As algorithms/cancel.Chunks does, the
 * first chunk is one row and each next one is sized from the time per row measured so far to
 * take about 20 ms (at most 4 times the previous, at most 65536 rows), so an expensive model
 * (knn by brute force; python, whose calls may run with signals blocked) gets short chunks. A
 * model with a large fixed cost per call (python forests call every tree) gets chunks of up to 4
 * times its cheapest call, never above 250 ms, so the fixed cost does not dominate.
 */
#define CHUNK_TARGET_US 20000.0
#define CHUNK_LIMIT_US 250000.0
#define MAX_CHUNK_ROWS 65536

void
pgml_run_model_in_chunks(FunctionCallInfo fcinfo, PredictCache *cache, double *x, int nrows, double *out)
{
	int			width = cache->model.num_features;
	int			outputs = Max(cache->model.num_outputs, 1);
	int			size = 1;
	double		cheapest = -1;	/* µs of the fastest chunk so far: about the fixed cost */

	for (int lo = 0; lo < nrows;)
	{
		int			n = Min(size, nrows - lo);
		instr_time	start;
		instr_time	elapsed;
		double		us;
		double		target;
		double		next;

		CHECK_FOR_INTERRUPTS();
		INSTR_TIME_SET_CURRENT(start);
		pgml_run_model(fcinfo, cache, pgmlGoPredict, x + (Size) lo * width, n, out + (Size) lo * outputs);
		INSTR_TIME_SET_CURRENT(elapsed);
		INSTR_TIME_SUBTRACT(elapsed, start);
		us = INSTR_TIME_GET_DOUBLE(elapsed) * 1e6;
		cheapest = cheapest < 0 ? us : Min(cheapest, us);
		target = Min(Max(CHUNK_TARGET_US, 4 * cheapest), CHUNK_LIMIT_US);
		next = us > 0 ? n * target / us : (double) size * 4;
		size = (int) Max(1.0, Min(Min(next, (double) size * 4), (double) MAX_CHUNK_ROWS));
		lo += n;
	}
	CHECK_FOR_INTERRUPTS();
}

/* Grows a buffer, keeping its values: the row form fills it field by field. */
void
pgml_ensure_capacity(double **buffer, int *capacity, int needed, MemoryContext context)
{
	if (*capacity >= needed)
		return;
	needed = Max(needed, (int) Min(2 * (Size) *capacity, MaxAllocSize / sizeof(double)));
	if (*buffer != NULL)
		*buffer = repalloc(*buffer, sizeof(double) * needed);
	else
		*buffer = MemoryContextAlloc(context, sizeof(double) * needed);
	*capacity = needed;
}

/* Raises the error for a NaN or infinite feature; width > 0 names the row of a batch. */
static void
reject_non_finite(double value, int index, int width)
{
	const char *name = isnan(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 width > 0 ?
			 errmsg("feature %d of row %d is %s: pgml cannot predict from NaN or infinite values",
					index % width + 1, index / width + 1, name) :
			 errmsg("feature %d is %s: pgml cannot predict from NaN or infinite values", index + 1, name),
			 errhint("Array features go to the model as they are: replace NaN and infinite values before predicting (e.g. with CASE), "
					 "or predict from the row, e.g. pgml.predict('project', (a, b, c)), whose preprocessing imputes NaN like NULL.")));
}

/*
 * The features of an array form as doubles in cache->features. The array forms bypass the
 * model's preprocessing, so NULL, NaN and ±Infinity are errors here, for every function alike
 * (a model would answer them with an arbitrary class or a NaN). width > 0: rows of a batch.
 */
static int
features_from_array(FunctionCallInfo fcinfo, PredictCache *cache, ArrayType *array, int width)
{
	int			count = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	int			null_at = pgml_array_first_null(array);
	Oid			type = ARR_ELEMTYPE(array);

	if (null_at > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("feature %d is NULL; pgml cannot predict from NULL feature values", null_at),
				 errhint("Replace NULLs before calling pgml.predict, e.g. with COALESCE.")));
	pgml_ensure_capacity(&cache->features, &cache->capacity, Max(count, 1), fcinfo->flinfo->fn_mcxt);
	if (!pgml_is_number_type(type))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("pgml cannot predict from an array of %s", format_type_be(type))));
	pgml_array_to_doubles(array, count, cache->features, 0.0, NULL);

	/*
	 * Integers and booleans are always finite. A double is NaN or infinite when its exponent bits
	 * are all ones: one pass of integer ORs (it vectorizes), and a second one only to name the
	 * culprit.
	 */
	if (type == FLOAT4OID || type == FLOAT8OID || type == NUMERICOID)
	{
		const uint64 *bits = (const uint64 *) cache->features;
		const uint64 exponent = UINT64CONST(0x7ff0000000000000);
		uint64		special = 0;

		for (int i = 0; i < count; i++)
			special |= (~bits[i] & exponent) == 0;
		if (unlikely(special))
			for (int i = 0; i < count; i++)
				if (!isfinite(cache->features[i]))
					reject_non_finite(cache->features[i], i, width);
	}
	return count;
}

/* Converts the features and runs the model; the outputs land in cache->outputs. */
static void
predict_row(FunctionCallInfo fcinfo, PredictCache *cache, ArrayType *features)
{
	int			count = features_from_array(fcinfo, cache, features, 0);

	if (count != cache->model.num_features)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the model expects %d features, got %d", cache->model.num_features, count),
				 count == 0 ? errhint("The features array is empty.") : 0));
	pgml_run_model(fcinfo, cache, pgmlGoPredict, cache->features, 1, cache->outputs);
}

void
pgml_require_single_output(PredictCache *cache)
{
	/* PostgresML: predict on a decomposition model gives its first component. */
	if (cache->model.num_outputs != 1 && !cache->model.decomposition)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("the model predicts %d outputs; use pgml.predict_joint", cache->model.num_outputs)));
}

PG_FUNCTION_INFO_V1(pgml_predict);
Datum
pgml_predict(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	pgml_require_single_output(cache);
	predict_row(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_FLOAT4((float4) cache->outputs[0]);
}

PG_FUNCTION_INFO_V1(pgml_predict_model);
Datum
pgml_predict_model(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	pgml_require_single_output(cache);
	predict_row(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_FLOAT4((float4) cache->outputs[0]);
}

/* The outputs as the function's declared array type: real[] (2.x) or double precision[] (1.0). */
ArrayType *
pgml_outputs_array(FunctionCallInfo fcinfo, PredictCache *cache)
{
	int			n = cache->model.num_outputs;
	Datum	   *values = palloc(sizeof(Datum) * n);

	if (cache->rettype == InvalidOid)
		cache->rettype = get_fn_expr_rettype(fcinfo->flinfo);
	if (cache->rettype == FLOAT4ARRAYOID)
	{
		for (int i = 0; i < n; i++)
			values[i] = Float4GetDatum((float4) cache->outputs[i]);
		return construct_array(values, n, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT);
	}
	for (int i = 0; i < n; i++)
		values[i] = Float8GetDatum(cache->outputs[i]);
	return construct_array(values, n, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

void
pgml_reject_classifier_for_joint(PredictCache *cache)
{
	if (cache->model.classification)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("You can't predict joint probabilities for a classification model"),
				 errhint("Use pgml.predict for the class, or pgml.predict_proba for the probabilities.")));
}

PG_FUNCTION_INFO_V1(pgml_model_predict);
Datum
pgml_model_predict(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	predict_row(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_ARRAYTYPE_P(pgml_outputs_array(fcinfo, cache));
}

PG_FUNCTION_INFO_V1(pgml_predict_joint);
Datum
pgml_predict_joint(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	pgml_reject_classifier_for_joint(cache);
	predict_row(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_ARRAYTYPE_P(pgml_outputs_array(fcinfo, cache));
}

PG_FUNCTION_INFO_V1(pgml_predict_joint_model);
Datum
pgml_predict_joint_model(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	pgml_reject_classifier_for_joint(cache);
	predict_row(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_ARRAYTYPE_P(pgml_outputs_array(fcinfo, cache));
}

/*
 * Runs the model over nrows rows of x (num_features values each), in chunks that a cancel can
 * stop, and returns the first output of each row.
 */
float4 *
pgml_predict_rows(FunctionCallInfo fcinfo, PredictCache *cache, double *x, int nrows)
{
	int			outputs = Max(cache->model.num_outputs, 1);
	double	   *all;
	float4	   *first;

	all = palloc(sizeof(double) * Max((Size) nrows * outputs, 1));
	pgml_run_model_in_chunks(fcinfo, cache, x, nrows, all);
	first = palloc(sizeof(float4) * Max(nrows, 1));
	for (int r = 0; r < nrows; r++)
		first[r] = (float4) all[(Size) r * outputs];
	pfree(all);
	return first;
}

/* The rows packed in features (rows x num_features values), predicted. */
static float4 *
predict_packed_rows(FunctionCallInfo fcinfo, PredictCache *cache, ArrayType *features, int *nrows)
{
	int			width = cache->model.num_features;
	int			count = features_from_array(fcinfo, cache, features, width);

	pgml_require_single_output(cache);
	if (width <= 0 || count % width != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pgml.predict_batch needs a multiple of %d features (the model's width), got %d", width, count),
				 errhint("Pass the rows concatenated: row 1's features, then row 2's, and so on.")));
	*nrows = count / width;
	return pgml_predict_rows(fcinfo, cache, cache->features, *nrows);
}

/* predict_batch by project name: the predictions as a set (materialized). */
Datum
pgml_return_prediction_set(FunctionCallInfo fcinfo, float4 *predictions, int nrows)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	/* Materialized: fn_extra stays the prediction cache instead of a FuncCallContext. */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	for (int r = 0; r < nrows; r++)
	{
		Datum		value = Float4GetDatum(predictions[r]);
		bool		isnull = false;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	return (Datum) 0;
}

/* predict_batch by model id: the predictions as real[]. */
ArrayType *
pgml_prediction_array(float4 *predictions, int nrows)
{
	Datum	   *values = palloc(sizeof(Datum) * Max(nrows, 1));

	for (int r = 0; r < nrows; r++)
		values[r] = Float4GetDatum(predictions[r]);
	return construct_array(values, nrows, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT);
}

PG_FUNCTION_INFO_V1(pgml_predict_batch);
Datum
pgml_predict_batch(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);
	float4	   *predictions;
	int			nrows;

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	predictions = predict_packed_rows(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1), &nrows);
	return pgml_return_prediction_set(fcinfo, predictions, nrows);
}

PG_FUNCTION_INFO_V1(pgml_predict_batch_model);
Datum
pgml_predict_batch_model(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);
	float4	   *predictions;
	int			nrows;

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	predictions = predict_packed_rows(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1), &nrows);
	PG_RETURN_ARRAYTYPE_P(pgml_prediction_array(predictions, nrows));
}

/* The class probabilities of one row of features x (num_features values). */
ArrayType *
pgml_probabilities_of(FunctionCallInfo fcinfo, PredictCache *cache, double *x)
{
	int			nclasses = cache->model.num_classes;
	double	   *probs;
	Datum	   *values;

	/* Without classes Go reports why (a regressor, or a classifier without probabilities). */
	probs = palloc(sizeof(double) * Max(nclasses, 1));
	pgml_run_model(fcinfo, cache, pgmlGoPredictProba, x, 1, probs);
	values = palloc(sizeof(Datum) * Max(nclasses, 1));
	for (int i = 0; i < nclasses; i++)
		values[i] = Float4GetDatum((float4) probs[i]);
	return construct_array(values, nclasses, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT);
}

static ArrayType *
probabilities(FunctionCallInfo fcinfo, PredictCache *cache, ArrayType *features)
{
	int			count = features_from_array(fcinfo, cache, features, 0);

	if (count != cache->model.num_features)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the model expects %d features, got %d", cache->model.num_features, count)));
	return pgml_probabilities_of(fcinfo, cache, cache->features);
}

PG_FUNCTION_INFO_V1(pgml_predict_proba);
Datum
pgml_predict_proba(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	PG_RETURN_ARRAYTYPE_P(probabilities(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1)));
}

PG_FUNCTION_INFO_V1(pgml_predict_proba_model);
Datum
pgml_predict_proba_model(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_model(fcinfo, cache, PG_GETARG_INT64(0));
	PG_RETURN_ARRAYTYPE_P(probabilities(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1)));
}

void
pgml_require_decomposition(PredictCache *cache)
{
	if (!cache->model.decomposition)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("pgml.decompose needs a decomposition project; use pgml.predict for this one")));
}

/* The components in cache->outputs as real[]. */
ArrayType *
pgml_components(PredictCache *cache)
{
	Datum	   *values = palloc(sizeof(Datum) * Max(cache->model.num_outputs, 1));

	for (int i = 0; i < cache->model.num_outputs; i++)
		values[i] = Float4GetDatum((float4) cache->outputs[i]);
	return construct_array(values, cache->model.num_outputs, FLOAT4OID, sizeof(float4), true, TYPALIGN_INT);
}

PG_FUNCTION_INFO_V1(pgml_decompose);
Datum
pgml_decompose(PG_FUNCTION_ARGS)
{
	PredictCache *cache = pgml_call_site_cache(fcinfo);

	pgml_resolve_project(fcinfo, cache, PG_GETARG_TEXT_PP(0));
	pgml_require_decomposition(cache);
	predict_row(fcinfo, cache, PG_GETARG_ARRAYTYPE_P(1));
	PG_RETURN_ARRAYTYPE_P(pgml_components(cache));
}
