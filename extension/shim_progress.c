/*
 * pgml.training_progress: every running training on the server, read from the backends'
 * progress slots (PgBackendStatus.st_progress_*), the shared memory that VACUUM, CREATE INDEX
 * and COPY report through. It exists without shared_preload_libraries, and PostgreSQL clears
 * a slot itself when its transaction aborts (AbortTransaction) or its backend exits.
 *
 * A training claims its backend's slot with a command number no core view uses
 * (PGML_PROGRESS_COMMAND): pg_stat_get_progress_info() and the pg_stat_progress_* views show
 * only the backends whose st_progress_command equals the command they name, so they never
 * show pgml's values, and pgml shows only slots whose command and first value
 * (PGML_PROGRESS_LAYOUT_VERSION) are its own. If the slot is already taken (pgml.train called
 * inside a COPY ... TO, say), the training publishes nothing rather than overwrite it.
 *
 * Only the backend's main thread writes its slot: Go's worker goroutines hand their progress
 * to it (lifecycle/progress.go).
 */
#include "postgres.h"

#include "catalog/pg_authid_d.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/acl.h"
#include "utils/backend_progress.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "shim_internal.h"

/* Far above the core's ProgressCommandType values, and pgml's ("pg" in ASCII). */
#define PGML_PROGRESS_COMMAND ((ProgressCommandType) 0x7067)

/* lifecycle/phases.go's phases, in their order; code i+1 is phase_names[i]. */
static const char *const phase_names[] = {
	"snapshot", "reading", "splitting", "preprocessing", "searching", "fitting", "scoring", "storing"
};

/* Seconds between two progress INFO lines of a training; 0: none. */
static int	progress_interval_s = 5;

int
pgml_progress_interval_s(void)
{
	return progress_interval_s;
}

void
pgml_progress_init(void)
{
	DefineCustomIntVariable("pgml.progress_interval",
							"Least time between two progress INFO lines of a training (0: none).",
							"While a fit or a search runs longer, pgml.train says how far it is (fold, candidate, units done, elapsed and remaining time) at most this often. pgml.training_progress shows the same to every session, whatever this setting.",
							&progress_interval_s, 5, 0, 86400, PGC_USERSET, GUC_UNIT_S,
							NULL, NULL, NULL);
}

static bool
slot_is_ours(volatile PgBackendStatus *beentry)
{
	return beentry->st_progress_command == PGML_PROGRESS_COMMAND &&
		beentry->st_progress_param[PGML_PROGRESS_LAYOUT] == PGML_PROGRESS_LAYOUT_VERSION;
}

void
pgml_progress_publish(const int64_t *values)
{
	volatile PgBackendStatus *beentry = MyBEEntry;
	int			index[PGML_PROGRESS_NPARAMS];

	if (beentry == NULL || !pgstat_track_activities)
		return;
	if (beentry->st_progress_command == PROGRESS_COMMAND_INVALID)
		pgstat_progress_start_command(PGML_PROGRESS_COMMAND, InvalidOid);
	else if (beentry->st_progress_command != PGML_PROGRESS_COMMAND)
		return;
	for (int i = 0; i < PGML_PROGRESS_NPARAMS; i++)
		index[i] = i;
	pgstat_progress_update_multi_param(PGML_PROGRESS_NPARAMS, index, (const int64 *) values);
}

void
pgml_progress_end(void)
{
	volatile PgBackendStatus *beentry = MyBEEntry;

	if (beentry != NULL && beentry->st_progress_command == PGML_PROGRESS_COMMAND)
		pgstat_progress_end_command();
}

/* A text packed into n values by lifecycle's publisher (extension/spi.go). */
static Datum
packed_text(const int64 *values, int n)
{
	char		buf[PGML_PROGRESS_TEXT_BYTES(5) + 1];

	Assert(n <= 5);
	memcpy(buf, values, PGML_PROGRESS_TEXT_BYTES(n));
	buf[PGML_PROGRESS_TEXT_BYTES(n)] = '\0';
	return CStringGetTextDatum(buf);
}

/* Columns of pgml.training_progress_rows() (sql/pgml--0.2.0--0.3.0.sql). */
enum
{
	COL_PID, COL_USERID, COL_DATID, COL_PROJECT_ID, COL_PROJECT_NAME, COL_ALGORITHM, COL_RUNTIME, COL_PHASE, COL_FOLD, COL_FOLDS,
	COL_CANDIDATE, COL_CANDIDATES, COL_UNIT, COL_DONE, COL_TOTAL, COL_STARTED, COL_PHASE_STARTED,
	COL_ESTIMATED_END, COL_TRAIN_ROWS, COL_FEATURES, NCOLS
};

PG_FUNCTION_INFO_V1(pgml_training_progress);
Datum
pgml_training_progress(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			nbackends;

	InitMaterializedSRF(fcinfo, 0);
	/* A snapshot of every backend's slot, taken once per transaction, as pg_stat_activity's. */
	nbackends = pgstat_fetch_stat_numbackends();
	for (int i = 1; i <= nbackends; i++)
	{
		LocalPgBackendStatus *local = pgstat_fetch_stat_local_beentry(i);
		PgBackendStatus *be;
		const int64 *v;
		Datum		values[NCOLS] = {0};
		bool		nulls[NCOLS] = {false};
		uint64		phase,
					search,
					shape;

		if (local == NULL)
			continue;
		be = &local->backendStatus;
		if (be->st_procpid <= 0 || !slot_is_ours(be))
			continue;
		v = be->st_progress_param;
		values[COL_PID] = Int32GetDatum(be->st_procpid);
		values[COL_USERID] = ObjectIdGetDatum(be->st_userid);
		values[COL_DATID] = ObjectIdGetDatum(be->st_databaseid);
		/* As pg_stat_progress_*: other roles' trainings show who runs them, not what. */
		if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS) && !has_privs_of_role(GetUserId(), be->st_userid))
		{
			for (int c = COL_PROJECT_ID; c < NCOLS; c++)
				nulls[c] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			continue;
		}
		values[COL_PROJECT_ID] = Int64GetDatum(v[PGML_PROGRESS_PROJECT_ID]);
		values[COL_PROJECT_NAME] = packed_text(&v[PGML_PROGRESS_PROJECT_NAME], 5);
		values[COL_ALGORITHM] = packed_text(&v[PGML_PROGRESS_ALGORITHM], 4);
		values[COL_RUNTIME] = packed_text(&v[PGML_PROGRESS_RUNTIME], 1);
		phase = (uint64) v[PGML_PROGRESS_SHAPE] >> 56;
		if (phase >= 1 && phase <= lengthof(phase_names))
			values[COL_PHASE] = CStringGetTextDatum(phase_names[phase - 1]);
		else
			nulls[COL_PHASE] = true;
		search = (uint64) v[PGML_PROGRESS_SEARCH];
		values[COL_FOLD] = Int32GetDatum((int32) (search >> 48));
		values[COL_FOLDS] = Int32GetDatum((int32) ((search >> 32) & 0xffff));
		values[COL_CANDIDATE] = Int32GetDatum((int32) ((search >> 16) & 0xffff));
		values[COL_CANDIDATES] = Int32GetDatum((int32) (search & 0xffff));
		nulls[COL_FOLD] = nulls[COL_FOLDS] = ((search >> 32) & 0xffff) == 0;
		nulls[COL_CANDIDATE] = nulls[COL_CANDIDATES] = (search & 0xffff) == 0;
		values[COL_UNIT] = packed_text(&v[PGML_PROGRESS_UNIT], 1);
		values[COL_DONE] = Int64GetDatum(v[PGML_PROGRESS_DONE]);
		values[COL_TOTAL] = Int64GetDatum(v[PGML_PROGRESS_TOTAL]);
		nulls[COL_UNIT] = nulls[COL_DONE] = nulls[COL_TOTAL] = v[PGML_PROGRESS_TOTAL] == 0;
		values[COL_STARTED] = TimestampTzGetDatum(v[PGML_PROGRESS_STARTED]);
		values[COL_PHASE_STARTED] = TimestampTzGetDatum(v[PGML_PROGRESS_PHASE_STARTED]);
		values[COL_ESTIMATED_END] = TimestampTzGetDatum(v[PGML_PROGRESS_ESTIMATED_END]);
		nulls[COL_ESTIMATED_END] = v[PGML_PROGRESS_ESTIMATED_END] == 0;
		shape = (uint64) v[PGML_PROGRESS_SHAPE];
		values[COL_TRAIN_ROWS] = Int64GetDatum((int64) (shape & 0xffffffff));
		values[COL_FEATURES] = Int64GetDatum((int64) ((shape >> 32) & 0xffffff));
		nulls[COL_TRAIN_ROWS] = nulls[COL_FEATURES] = (shape & 0xffffffff) == 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
