/*
 * SQL entry points for training, deployment, datasets and version: unpack arguments, open
 * SPI, call Go, and only then raise any error or return the result row.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
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

/* Go has returned: raise its error, if any, before SPI is closed (abort cleans SPI up). */
static void
finish_go_call(PgmlStatus *status, PgmlResultRow *row)
{
	if (status->code != PGML_OK)
	{
		for (int i = 0; i < lengthof(row->text); i++)
			free(row->text[i]);
		memset(row, 0, sizeof(*row));
	}
	pgml_raise_status(status);
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "pgml: SPI_finish failed");
}

static void
connect_spi(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pgml: SPI_connect failed");
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
	if (!PG_ARGISNULL(3))
	{
		if (joint)
		{
			Datum	   *elements;
			bool	   *elem_nulls;
			int			count;

			deconstruct_array(PG_GETARG_ARRAYTYPE_P(3), TEXTOID, -1, false, TYPALIGN_INT,
							  &elements, &elem_nulls, &count);
			args.y_columns = palloc0(sizeof(PgmlText) * Max(count, 1));
			for (int i = 0; i < count; i++)
			{
				if (elem_nulls[i])
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("y_column_name must not contain NULL")));
				args.y_columns[i].data = VARDATA_ANY(DatumGetTextPP(elements[i]));
				args.y_columns[i].len = VARSIZE_ANY_EXHDR(DatumGetTextPP(elements[i]));
			}
			args.n_y_columns = count;
		}
		else
		{
			args.y_columns = palloc0(sizeof(PgmlText));
			args.y_columns[0] = pgml_text_arg(fcinfo, 3);
			args.n_y_columns = 1;
		}
	}
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
	pgmlGoTrain(&args, &row, &status);
	finish_go_call(&status, &row);
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
	pgmlGoDeployStrategy(project, strategy, algorithm, &row, &status);
	finish_go_call(&status, &row);
	return return_row(fcinfo, &row, 3, EXTRA_NONE);
}

PG_FUNCTION_INFO_V1(pgml_deploy_model);
Datum
pgml_deploy_model(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	connect_spi();
	pgmlGoDeployModel(PG_GETARG_INT64(0), &row, &status);
	finish_go_call(&status, &row);
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
	pgmlGoLoadDataset(source, subset, limit, &row, &status);
	finish_go_call(&status, &row);
	return return_row(fcinfo, &row, 1, EXTRA_INT8);
}

PG_FUNCTION_INFO_V1(pgml_version);
Datum
pgml_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(pgmlGoVersion())));
}

PG_FUNCTION_INFO_V1(pgml_python_version);
Datum
pgml_python_version(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgmlGoPythonVersion(&row, &status);
	pgml_raise_status(&status);
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(row.text[0])));
}

PG_FUNCTION_INFO_V1(pgml_python_package_version);
Datum
pgml_python_package_version(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgmlGoPythonPackageVersion(pgml_text_arg(fcinfo, 0), &row, &status);
	pgml_raise_status(&status);
	PG_RETURN_TEXT_P(cstring_to_text(pgml_take_string(row.text[0])));
}

PG_FUNCTION_INFO_V1(pgml_validate_python_dependencies);
Datum
pgml_validate_python_dependencies(PG_FUNCTION_ARGS)
{
	PgmlResultRow row = {0};
	PgmlStatus	status = {0};

	pgmlGoValidatePythonDependencies(&row, &status);
	pgml_raise_status(&status);
	PG_RETURN_BOOL(row.flag);
}
