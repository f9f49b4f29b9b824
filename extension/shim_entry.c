/*
 * SQL entry points for training, deployment, datasets, snapshots, dump/load, model signing and
 * version: unpack arguments, open SPI, call Go, and only then raise any error or return the
 * result row.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"

#include "shim_internal.h"
#include "_cgo_export.h"

PgmlText
pgml_text_arg(FunctionCallInfo fcinfo, int argno)
{
	PgmlText	result = {NULL, 0};

	if (!PG_ARGISNULL(argno))
	{
		text	   *value = PG_GETARG_TEXT_PP(argno);

		result.data = VARDATA_ANY(value);
		result.len = VARSIZE_ANY_EXHDR(value);
	}
	return result;
}

static PgmlText
jsonb_arg(FunctionCallInfo fcinfo, int argno)
{
	PgmlText	result = {NULL, 0};

	if (!PG_ARGISNULL(argno))
	{
		Jsonb	   *value = PG_GETARG_JSONB_P(argno);

		result.data = JsonbToCString(NULL, &value->root, VARSIZE(value));
		result.len = strlen(result.data);
	}
	return result;
}

static void
connect_spi(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pgml: SPI_connect failed");
}

/* Go's error, if any, is raised before SPI is closed: the abort cleans SPI up. */
static void
finish_spi_call(PgmlStatus *status, PgmlResultRow *row)
{
	pgml_finish_go_call(status, row);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "pgml: SPI_finish failed");
}

/* Returns one row of a TABLE(...) function: ntext text columns, then an optional extra column. */
typedef enum ExtraColumn
{
	EXTRA_NONE,
	EXTRA_BOOL,
	EXTRA_INT8
} ExtraColumn;

static Datum
return_row(FunctionCallInfo fcinfo, PgmlResultRow *row, int ntext, ExtraColumn extra)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[5];
	bool		nulls[5] = {false};

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < ntext; i++)
	{
		char	   *s = pgml_take_string(row->text[i]);

		row->text[i] = NULL;
		nulls[i] = s == NULL;
		values[i] = s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
	}
	if (extra == EXTRA_BOOL)
		values[ntext] = BoolGetDatum(row->flag);
	else if (extra == EXTRA_INT8)
		values[ntext] = Int64GetDatum(row->number);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/*
 * y_column_name: one text, or a text[] in the joint and PostgresML 1.0 forms; NULL names no
 * column (*count is 0).
 */
static PgmlText *
label_columns(FunctionCallInfo fcinfo, int argno, bool is_array, int *count)
{
	Datum	   *elements;
	bool	   *nulls;
	PgmlText   *labels;

	*count = 0;
	if (PG_ARGISNULL(argno))
		return NULL;
	if (!is_array)
	{
		labels = palloc0(sizeof(PgmlText));
		labels[0] = pgml_text_arg(fcinfo, argno);
		*count = 1;
		return labels;
	}
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), TEXTOID, -1, false, TYPALIGN_INT,
					  &elements, &nulls, count);
	labels = palloc0(sizeof(PgmlText) * Max(*count, 1));
	for (int i = 0; i < *count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("y_column_name must not contain NULL")));
		labels[i].data = VARDATA_ANY(DatumGetTextPP(elements[i]));
		labels[i].len = VARSIZE_ANY_EXHDR(DatumGetTextPP(elements[i]));
	}
	return labels;
}

static Datum
train(FunctionCallInfo fcinfo, bool joint)
{
	PgmlTrainArgs args;
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	memset(&args, 0, sizeof(args));
	args.project_name = pgml_text_arg(fcinfo, 0);
	args.task = pgml_text_arg(fcinfo, 1);
	args.relation_name = pgml_text_arg(fcinfo, 2);
	args.joint = joint;
	args.y_columns = label_columns(fcinfo, 3, joint, &args.n_y_columns);
	args.algorithm = pgml_text_arg(fcinfo, 4);
	args.hyperparams = jsonb_arg(fcinfo, 5);
	args.search = pgml_text_arg(fcinfo, 6);
	args.search_params = jsonb_arg(fcinfo, 7);
	args.search_args = jsonb_arg(fcinfo, 8);
	args.test_size_isnull = PG_ARGISNULL(9);
	args.test_size = args.test_size_isnull ? 0 : PG_GETARG_FLOAT4(9);
	args.test_sampling = pgml_text_arg(fcinfo, 10);
	args.runtime = pgml_text_arg(fcinfo, 11);
	args.automatic_deploy = PG_ARGISNULL(12) ? true : PG_GETARG_BOOL(12);
	args.materialize_snapshot = PG_ARGISNULL(13) ? false : PG_GETARG_BOOL(13);
	args.preprocess = jsonb_arg(fcinfo, 14);

	connect_spi();
	pgml_go();
	pgmlGoTrain(&args, &row, &status);
	finish_spi_call(&status, &row);
	return return_row(fcinfo, &row, 3, EXTRA_BOOL);
}

PG_FUNCTION_INFO_V1(pgml_train);
Datum
pgml_train(PG_FUNCTION_ARGS)
{
	return train(fcinfo, false);
}

PG_FUNCTION_INFO_V1(pgml_train_joint);
Datum
pgml_train_joint(PG_FUNCTION_ARGS)
{
	return train(fcinfo, true);
}

PG_FUNCTION_INFO_V1(pgml_deploy_strategy);
Datum
pgml_deploy_strategy(PG_FUNCTION_ARGS)
{
	PgmlText	project = pgml_text_arg(fcinfo, 0);
	PgmlText	strategy = pgml_text_arg(fcinfo, 1);
	PgmlText	algorithm = pgml_text_arg(fcinfo, 2);
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	connect_spi();
	pgml_go();
	pgmlGoDeployStrategy(project, strategy, algorithm, &row, &status);
	finish_spi_call(&status, &row);
	return return_row(fcinfo, &row, 3, EXTRA_NONE);
}

PG_FUNCTION_INFO_V1(pgml_deploy_model);
Datum
pgml_deploy_model(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	connect_spi();
	pgml_go();
	pgmlGoDeployModel(PG_GETARG_INT64(0), &row, &status);
	finish_spi_call(&status, &row);
	return return_row(fcinfo, &row, 3, EXTRA_NONE);
}

PG_FUNCTION_INFO_V1(pgml_load_dataset);
Datum
pgml_load_dataset(PG_FUNCTION_ARGS)
{
	PgmlText	source = pgml_text_arg(fcinfo, 0);
	PgmlText	subset = pgml_text_arg(fcinfo, 1);
	int64		limit = PG_ARGISNULL(2) ? -1 : PG_GETARG_INT64(2);
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	if (limit < 0 && !PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit must not be negative, got " INT64_FORMAT, limit)));

	connect_spi();
	pgml_go();
	pgmlGoLoadDataset(source, subset, limit, &row, &status);
	finish_spi_call(&status, &row);
	return return_row(fcinfo, &row, 1, EXTRA_INT8);
}

PG_FUNCTION_INFO_V1(pgml_version);
Datum
pgml_version(PG_FUNCTION_ARGS)
{
	pgml_go();
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(pgmlGoVersion())));
}

PG_FUNCTION_INFO_V1(pgml_python_version);
Datum
pgml_python_version(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgml_go();
	pgmlGoPythonVersion(&row, &status);
	pgml_finish_go_call(&status, &row);
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(row.text[0])));
}

PG_FUNCTION_INFO_V1(pgml_python_package_version);
Datum
pgml_python_package_version(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgml_go();
	pgmlGoPythonPackageVersion(pgml_text_arg(fcinfo, 0), &row, &status);
	pgml_finish_go_call(&status, &row);
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(row.text[0])));
}

PG_FUNCTION_INFO_V1(pgml_validate_python_dependencies);
Datum
pgml_validate_python_dependencies(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgml_go();
	pgmlGoValidatePythonDependencies(&row, &status);
	pgml_finish_go_call(&status, &row);
	PG_RETURN_BOOL(row.flag);
}

/*
 * pgml.snapshot: the 2.x form (relation, y_column_name text, ...) returns (relation,
 * y_column_name); PostgresML 1.0's form (relation, y_column_name text[], ...) returns the id.
 */
static void
snapshot(FunctionCallInfo fcinfo, bool labels_array, PgmlResultRow *row)
{
	PgmlText	relation = pgml_text_arg(fcinfo, 0);
	int			nlabels;
	PgmlText   *labels = label_columns(fcinfo, 1, labels_array, &nlabels);
	PgmlText	preprocess = {NULL, 0};
	PgmlStatus	status = {0};

	if (!labels_array)
		preprocess = jsonb_arg(fcinfo, 4);

	connect_spi();
	pgml_go();
	pgmlGoSnapshot(relation, labels, nlabels, PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT4(2), PG_ARGISNULL(2),
				   pgml_text_arg(fcinfo, 3), preprocess, row, &status);
	finish_spi_call(&status, row);
}

PG_FUNCTION_INFO_V1(pgml_snapshot);
Datum
pgml_snapshot(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	text	   *labels = PG_GETARG_TEXT_PP(1);

	snapshot(fcinfo, false, &row);
	row.text[0] = strdup(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	row.text[1] = strdup(text_to_cstring(labels));
	return return_row(fcinfo, &row, 2, EXTRA_NONE);
}

PG_FUNCTION_INFO_V1(pgml_snapshot_v1);
Datum
pgml_snapshot_v1(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};

	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		id;
	bool		isnull = false;

	snapshot(fcinfo, true, &row);
	/* RETURNS TABLE (id text) is a set of scalars, not of rows. */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	id = CStringGetTextDatum(psprintf(INT64_FORMAT, (int64) row.number));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &id, &isnull);
	return (Datum) 0;
}

/* pgml.dump_all / pgml.load_all: the caller's right to use server files is checked by Go. */
static Datum
dump_or_load(FunctionCallInfo fcinfo, bool load)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	connect_spi();
	pgml_go();
	pgmlGoDumpAll(pgml_text_arg(fcinfo, 0), load, &status);
	finish_spi_call(&status, &row);
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(pgml_dump_all);
Datum
pgml_dump_all(PG_FUNCTION_ARGS)
{
	return dump_or_load(fcinfo, false);
}

PG_FUNCTION_INFO_V1(pgml_load_all);
Datum
pgml_load_all(PG_FUNCTION_ARGS)
{
	return dump_or_load(fcinfo, true);
}

/* pgml.sign_models(model_id): a superuser vouches for rows of pgml.files as they are. */
PG_FUNCTION_INFO_V1(pgml_sign_models);
Datum
pgml_sign_models(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for pgml.sign_models: only a superuser may sign model files"),
				 errhint("Signing declares rows of pgml.files trusted: pgml then decodes them, and a python model runs code when loaded.")));
	connect_spi();
	pgml_go();
	pgmlGoSignModels(PG_ARGISNULL(0) ? -1 : PG_GETARG_INT64(0), &row, &status);
	finish_spi_call(&status, &row);
	PG_RETURN_INT64(row.number);
}

/*
 * pgml.nativize(model_id): gives a python model its native form. When one was stored, every
 * backend (this one at its next command) drops the models it loaded through the interpreter,
 * at commit: an aborted conversion leaves them be.
 */
PG_FUNCTION_INFO_V1(pgml_nativize);
Datum
pgml_nativize(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	connect_spi();
	pgml_go();
	pgmlGoNativize(PG_GETARG_INT64(0), &row, &status);
	finish_spi_call(&status, &row);
	if (row.flag)
		pgml_invalidate_model_files();
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(row.text[0])));
}

/* pgml.verify_models(): one row per row of pgml.files that pgml would refuse to decode. */
PG_FUNCTION_INFO_V1(pgml_verify_models);
Datum
pgml_verify_models(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};
	char	   *lines;

	connect_spi();
	pgml_go();
	pgmlGoVerifyModels(&row, &status);
	finish_spi_call(&status, &row);
	InitMaterializedSRF(fcinfo, 0);
	lines = pgml_take_string(row.text[0]);
	for (char *line = lines; row.number > 0 && line != NULL && *line != '\0';)
	{
		char	   *next = strchr(line, '\n');
		char	   *fields[4];
		Datum		values[4];
		bool		nulls[4] = {false};

		if (next != NULL)
			*next++ = '\0';
		fields[0] = line;
		for (int i = 1; i < 4; i++)
		{
			fields[i] = fields[i - 1] ? strchr(fields[i - 1], '\t') : NULL;
			if (fields[i] != NULL)
				*fields[i]++ = '\0';
		}
		if (fields[3] == NULL)
			elog(ERROR, "pgml: malformed verify_models line");
		values[0] = DirectFunctionCall1(int8in, CStringGetDatum(fields[0]));
		values[1] = CStringGetTextDatum(fields[1]);
		values[2] = DirectFunctionCall1(int4in, CStringGetDatum(fields[2]));
		values[3] = CStringGetTextDatum(fields[3]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		line = next;
	}
	return (Datum) 0;
}
