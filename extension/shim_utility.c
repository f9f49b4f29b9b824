/*
 * SQL entry points of PostgresML 2.x's utility functions (docs/sql-reference.md): xgboost_version,
 * python_pip_freeze, activate_venv and the sklearn_* metric helpers.
 * Arguments are unpacked and checked here, Go computes (extension/utility.go,
 * lifecycle/sklearnmetrics.go), and only then is an error raised or the result built. None of
 * them uses SPI.
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "shim_internal.h"
#include "_cgo_export.h"

PG_FUNCTION_INFO_V1(pgml_xgboost_version);
Datum
pgml_xgboost_version(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgml_go();
	pgmlGoXGBoostVersion(&row, &status);
	pgml_finish_go_call(&status, &row);
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(row.text[0])));
}

/* RETURNS TABLE(package text), a set of scalars: one row per line of Go's answer. */
PG_FUNCTION_INFO_V1(pgml_python_pip_freeze);
Datum
pgml_python_pip_freeze(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};
	char	   *lines;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	pgml_go();
	pgmlGoPythonPipFreeze(&row, &status);
	pgml_finish_go_call(&status, &row);
	lines = pgml_take_string(row.text[0]);
	if (lines == NULL || row.number == 0)
		return (Datum) 0;
	for (char *line = lines; line != NULL;)
	{
		char	   *next = strchr(line, '\n');
		Datum		value;
		bool		isnull = false;

		if (next != NULL)
			*next++ = '\0';
		value = CStringGetTextDatum(line);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
		line = next;
	}
	return (Datum) 0;
}

/*
 * Changes which Python code every later call of this backend runs: superusers only, like
 * the pgml.venv setting of 2.x (PGC_SUSET there too).
 */
PG_FUNCTION_INFO_V1(pgml_activate_venv);
Datum
pgml_activate_venv(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to activate a Python virtual environment"),
				 errdetail("Only superusers may change which Python packages pgml imports.")));
	pgml_go();
	pgmlGoActivateVenv(pgml_text_arg(fcinfo, 0), &row, &status);
	pgml_finish_go_call(&status, &row);
	PG_RETURN_BOOL(row.flag);
}

/*
 * Metric arrays are copied as doubles into one ordinary allocation (a real[] of 1 GB would need
 * 2 GB, beyond palloc's limit), and Go then works on copies of both: bounding the elements
 * bounds what Go is asked for, and a failed allocation in Go aborts the backend.
 */
#define PGML_METRIC_MAX_ELEMENTS ((int) (MaxAllocSize / sizeof(double)))

/* A real[] argument as palloc'd doubles; NULL elements are an ERROR. */
static double *
metric_array(FunctionCallInfo fcinfo, int argno, const char *name, int *count)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(argno);
	int			n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	double	   *dst;

	if (n > PGML_METRIC_MAX_ELEMENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s has %d elements; the sklearn_* metric functions take at most %d", name, n,
						PGML_METRIC_MAX_ELEMENTS),
				 errhint("Compute the metric on a sample, e.g. with TABLESAMPLE.")));
	if (pgml_array_first_null(array) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not contain NULL elements", name)));
	dst = palloc(sizeof(double) * Max(n, 1));
	pgml_array_to_doubles(array, n, dst, 0.0, NULL);
	*count = n;
	return dst;
}

static Datum
metric_score(FunctionCallInfo fcinfo, int kind)
{
	int			n_truth,
				n_pred;
	double	   *truth = metric_array(fcinfo, 0, "ground_truth", &n_truth);
	double	   *pred = metric_array(fcinfo, 1, "y_hat", &n_pred);
	double		score = 0;
	PgmlStatus	status = {0};

	pgml_go();
	pgmlGoSklearnScore(kind, truth, n_truth, pred, n_pred, &score, &status);
	pgml_raise_status(&status);
	PG_RETURN_FLOAT4((float4) score);
}

static Datum
metric_report(FunctionCallInfo fcinfo, int kind, int64 num_classes)
{
	int			n_truth,
				n_pred;
	double	   *truth = metric_array(fcinfo, 0, "ground_truth", &n_truth);
	double	   *pred = metric_array(fcinfo, 1, "y_hat", &n_pred);
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgml_go();
	pgmlGoSklearnMetrics(kind, truth, n_truth, pred, n_pred, num_classes, &row, &status);
	pgml_finish_go_call(&status, &row);
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(pgml_take_string(row.text[0])));
}

PG_FUNCTION_INFO_V1(pgml_sklearn_f1_score);
Datum
pgml_sklearn_f1_score(PG_FUNCTION_ARGS)
{
	return metric_score(fcinfo, PGML_METRIC_F1);
}

PG_FUNCTION_INFO_V1(pgml_sklearn_r2_score);
Datum
pgml_sklearn_r2_score(PG_FUNCTION_ARGS)
{
	return metric_score(fcinfo, PGML_METRIC_R2);
}

PG_FUNCTION_INFO_V1(pgml_sklearn_regression_metrics);
Datum
pgml_sklearn_regression_metrics(PG_FUNCTION_ARGS)
{
	return metric_report(fcinfo, PGML_METRIC_REGRESSION, 0);
}

PG_FUNCTION_INFO_V1(pgml_sklearn_classification_metrics);
Datum
pgml_sklearn_classification_metrics(PG_FUNCTION_ARGS)
{
	return metric_report(fcinfo, PGML_METRIC_CLASSIFICATION, PG_GETARG_INT64(2));
}
