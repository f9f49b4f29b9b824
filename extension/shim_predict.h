/*
 * What the prediction functions share: the array forms (shim_predict.c) and the row forms
 * (shim_predict_row.c) keep one cache per call site (fn_extra).
 */
#ifndef PGML_SHIM_PREDICT_H
#define PGML_SHIM_PREDICT_H

#include "shim_internal.h"

typedef struct PredictCache
{
	bool		resolved;		/* model is what the arguments name under snapshot */
	PgmlSnapshotKey snapshot;	/* the statement snapshot of the last resolution */
	char	   *project;		/* project name form: the name resolved */
	int			project_len;
	int64		model_id;		/* the model resolved: given, or deployed */
	PgmlModelRef model;
	double	   *features;
	int			capacity;
	double	   *outputs;
	Oid			rettype;		/* the function's declared result, read once per call site */

	/*
	 * The row forms: which attribute of the row type feeds each training column, built once
	 * per row type and model (pgmlGoMatchRow), so that a row costs no name lookups.
	 */
	Oid			row_type;
	int32		row_typmod;
	int64		row_handle;		/* the model the matching was built for */
	int		   *row_attribute;	/* per training column: its attribute index in the row */
	int			row_columns;
	PgmlField  *row_fields;		/* per training column, refilled for every row */
	double	   *row_features;	/* one row preprocessed: num_features values */
	int			row_capacity;
} PredictCache;

typedef int (*GoPredictFunction) (int64_t handle, double *x, int nrows, double *out, PgmlStatus *st);

extern PredictCache *pgml_call_site_cache(FunctionCallInfo fcinfo);
extern void pgml_resolve_project(FunctionCallInfo fcinfo, PredictCache *cache, text *name);
extern void pgml_resolve_model(FunctionCallInfo fcinfo, PredictCache *cache, int64 model_id);
extern bool pgml_model_was_stale(FunctionCallInfo fcinfo, PredictCache *cache, int rc, int attempt);
extern void pgml_run_model(FunctionCallInfo fcinfo, PredictCache *cache, GoPredictFunction fn, double *x, int nrows, double *out);
extern void pgml_run_model_in_chunks(FunctionCallInfo fcinfo, PredictCache *cache, double *x, int nrows, double *out);
extern void pgml_ensure_capacity(double **buffer, int *capacity, int needed, MemoryContext context);
extern void pgml_require_single_output(PredictCache *cache);
extern void pgml_reject_classifier_for_joint(PredictCache *cache);
extern void pgml_require_decomposition(PredictCache *cache);
extern ArrayType *pgml_outputs_array(FunctionCallInfo fcinfo, PredictCache *cache);
extern ArrayType *pgml_probabilities_of(FunctionCallInfo fcinfo, PredictCache *cache, double *x);
extern ArrayType *pgml_components(PredictCache *cache);
extern float4 *pgml_predict_rows(FunctionCallInfo fcinfo, PredictCache *cache, double *x, int nrows);
extern Datum pgml_return_prediction_set(FunctionCallInfo fcinfo, float4 *predictions, int nrows);
extern ArrayType *pgml_prediction_array(float4 *predictions, int nrows);

#endif
