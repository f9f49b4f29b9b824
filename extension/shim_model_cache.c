/*
 * Where the prediction functions get their model from, read once per statement and call site:
 *   - the catalog identity: the OID of pgml.models, locked as a query reading it would be.
 *     The per-backend model cache is keyed by it, so after DROP EXTENSION pgml and CREATE
 *     EXTENSION pgml (model ids restart at 1) no session predicts from a dropped model;
 *   - the deployed model of a project, read with the statement's snapshot through the indexes
 *     of pgml.projects (name) and pgml.deployments (project_id, id): predict by name uses exactly
 *     the deployment the statement sees, with no SPI;
 *   - whether the statement's snapshot changed since a call site last looked (a snapshot key);
 *   - the setting pgml.model_cache_size, the end-of-transaction trim of the cache, and
 *     pgml.model_cache(), which describes it;
 *   - the trigger that older installations fire when a deployment changes.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "storage/ipc.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "funcapi.h"

#include "shim_internal.h"
#include "_cgo_export.h"

/*
 * What the deployment lookups need to know about pgml's tables, read once per catalog and
 * forgotten by any relcache invalidation of them (an index created or dropped, DROP EXTENSION).
 */
typedef struct ModelCatalog
{
	bool		valid;
	Oid			models;
	Oid			projects;
	Oid			projects_by_name;	/* btree on (name) */
	AttrNumber	project_id;
	Oid			deployments;
	Oid			deployments_by_project; /* btree on (project_id[, id]) */
	bool		ordered_by_id;	/* the index is (project_id, id): newest first backwards */
	AttrNumber	deployment_id;
	AttrNumber	deployment_model;
	Oid			files;
} ModelCatalog;

static ModelCatalog catalog;

/*
 * Set by a relcache invalidation of pgml.files (pgml.nativize stored a native form, or any
 * reset): the models cached with the interpreter are dropped before the next lookup.
 */
static bool interpreted_models_stale = false;

static void
forget_catalog(Datum arg, Oid relid)
{
	if (relid == InvalidOid || (OidIsValid(catalog.files) && relid == catalog.files))
		interpreted_models_stale = true;
	if (relid == InvalidOid || relid == catalog.models || relid == catalog.projects ||
		relid == catalog.deployments || relid == catalog.projects_by_name ||
		relid == catalog.deployments_by_project)
		catalog.valid = false;
}

AttrNumber
pgml_column(Oid relid, const char *name)
{
	AttrNumber	attnum = get_attnum(relid, name);

	if (attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("pgml's table %s has no column %s", get_rel_name(relid), name),
				 errhint("The pgml extension's tables were altered; reinstall the extension.")));
	return attnum;
}

Oid
pgml_sibling_table(Oid nsp, const char *name)
{
	Oid			relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation pgml.%s does not exist", name),
				 errhint("The pgml extension is incomplete; reinstall it.")));
	return relid;
}

static bool
is_btree(Oid indexid)
{
	HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(indexid));
	bool		btree;

	if (!HeapTupleIsValid(tuple))
		return false;
	btree = ((Form_pg_class) GETSTRUCT(tuple))->relam == BTREE_AM_OID;
	ReleaseSysCache(tuple);
	return btree;
}

/*
 * Finds a valid, non-partial btree index of relid whose key columns start with first (and,
 * when second is valid, continue with second). Returns InvalidOid when there is none.
 * The candidates are judged from the syscache: opening each one would build a relcache entry
 * for indexes no lookup uses, a cost every new connection pays on its first prediction.
 */
Oid
pgml_find_index(Oid relid, AttrNumber first, AttrNumber second)
{
	Relation	rel = table_open(relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	Oid			found = InvalidOid;

	foreach(lc, indexes)
	{
		Oid			indexid = lfirst_oid(lc);
		HeapTuple	tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexid));
		Form_pg_index form;
		bool		fits;

		if (!HeapTupleIsValid(tuple))
			continue;
		form = (Form_pg_index) GETSTRUCT(tuple);
		fits = form->indisvalid && form->indisready && form->indnkeyatts >= 1 &&
			form->indkey.values[0] == first && heap_attisnull(tuple, Anum_pg_index_indpred, NULL) &&
			(second == InvalidAttrNumber || (form->indnkeyatts >= 2 && form->indkey.values[1] == second));
		ReleaseSysCache(tuple);
		if (fits && is_btree(indexid))
		{
			found = indexid;
			break;
		}
	}
	list_free(indexes);
	table_close(rel, AccessShareLock);
	return found;
}

static void
read_catalog(Oid models)
{
	Oid			nsp = get_rel_namespace(models);
	AttrNumber	deployment_project;
	AttrNumber	project_name;

	catalog.valid = false;
	catalog.models = models;
	catalog.projects = pgml_sibling_table(nsp, "projects");
	catalog.deployments = pgml_sibling_table(nsp, "deployments");
	catalog.files = pgml_sibling_table(nsp, "files");
	catalog.project_id = pgml_column(catalog.projects, "id");
	project_name = pgml_column(catalog.projects, "name");
	catalog.deployment_id = pgml_column(catalog.deployments, "id");
	catalog.deployment_model = pgml_column(catalog.deployments, "model_id");
	deployment_project = pgml_column(catalog.deployments, "project_id");

	catalog.projects_by_name = pgml_find_index(catalog.projects, project_name, InvalidAttrNumber);
	/* Installations before 0.3.0 have only the index on (project_id). */
	catalog.deployments_by_project = pgml_find_index(catalog.deployments, deployment_project, catalog.deployment_id);
	catalog.ordered_by_id = OidIsValid(catalog.deployments_by_project);
	if (!catalog.ordered_by_id)
		catalog.deployments_by_project = pgml_find_index(catalog.deployments, deployment_project, InvalidAttrNumber);
	if (!OidIsValid(catalog.projects_by_name) || !OidIsValid(catalog.deployments_by_project))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("pgml's indexes on projects (name) and deployments (project_id) are missing"),
				 errhint("The pgml extension's tables were altered; reinstall the extension.")));
	catalog.valid = true;
}

Oid
pgml_model_catalog(void)
{
	RangeVar	models = {.type = T_RangeVar, .schemaname = "pgml", .relname = "models",
	.inh = true, .relpersistence = RELPERSISTENCE_PERMANENT, .location = -1};
	Oid			relid;

	/* Looked up, locked, and looked up again if invalidations arrived meanwhile. */
	relid = RangeVarGetRelidExtended(&models, AccessShareLock, RVR_MISSING_OK, NULL, NULL);
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation pgml.models does not exist"),
				 errhint("Predictions need the pgml extension in this database: CREATE EXTENSION pgml.")));
	if (!catalog.valid || catalog.models != relid)
		read_catalog(relid);
	return relid;
}

void
pgml_forget_stale_models(void)
{
	if (!interpreted_models_stale)
		return;
	interpreted_models_stale = false;
	if (pgml_go_started)
		pgmlGoForgetInterpretedModels();
}

void
pgml_invalidate_model_files(void)
{
	Oid			nsp = get_namespace_oid("pgml", false);

	CacheInvalidateRelcacheByRelid(pgml_sibling_table(nsp, "files"));
}

/* The snapshot the running statement reads with. */
Snapshot
pgml_statement_snapshot(void)
{
	return ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
}

/*
 * One index lookup of key with the statement's snapshot. Without max_column, the first visible
 * entry in direction; with it, the visible entry with the largest value of that column. Returns
 * false when no entry is visible; otherwise *value is the column `wanted` of the entry found.
 */
static bool
index_lookup(Oid relid, Oid indexid, Datum key, RegProcedure eq, ScanDirection direction,
			 AttrNumber max_column, AttrNumber wanted, int64 *value)
{
	Relation	rel = table_open(relid, AccessShareLock);
	Relation	index = index_open(indexid, AccessShareLock);
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	IndexScanDesc scan;
	ScanKeyData skey;
	bool		found = false;
	int64		best = 0;

	ScanKeyEntryInitialize(&skey, 0, 1, BTEqualStrategyNumber, InvalidOid,
						   index->rd_indcollation[0], eq, key);
	scan = index_beginscan(rel, index, pgml_statement_snapshot(), 1, 0);
	index_rescan(scan, &skey, 1, NULL, 0);
	while (index_getnext_slot(scan, direction, slot))
	{
		bool		isnull;
		int64		current = max_column != InvalidAttrNumber ?
			DatumGetInt64(slot_getattr(slot, max_column, &isnull)) : 0;

		if (!found || current > best)
		{
			*value = DatumGetInt64(slot_getattr(slot, wanted, &isnull));
			best = current;
		}
		found = true;
		if (max_column == InvalidAttrNumber)
			break;
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	/* Locks stay until the end of the transaction, as for any query reading these tables. */
	index_close(index, NoLock);
	table_close(rel, NoLock);
	return found;
}

int64
pgml_deployed_model(text *project)
{
	int64		project_id;
	int64		model_id;
	char	   *name;

	/* pgml_model_catalog() has read the catalog's OIDs for this statement. */
	if (index_lookup(catalog.projects, catalog.projects_by_name, PointerGetDatum(project), F_TEXTEQ,
					 ForwardScanDirection, InvalidAttrNumber, catalog.project_id, &project_id))
	{
		/* With the (project_id, id) index the newest deployment comes first backwards. */
		if (index_lookup(catalog.deployments, catalog.deployments_by_project, Int64GetDatum(project_id),
						 F_INT8EQ, catalog.ordered_by_id ? BackwardScanDirection : ForwardScanDirection,
						 catalog.ordered_by_id ? InvalidAttrNumber : catalog.deployment_id,
						 catalog.deployment_model, &model_id))
			return model_id;
		name = text_to_cstring(project);
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA),
				 errmsg("No deployed model exists for the project named: `%s`", name)));
	}
	name = text_to_cstring(project);
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("Project `%s` does not exist.", name)));
	return 0;					/* not reached */
}

/*
 * A snapshot key equal to the last one means the statement sees the same rows as when the
 * call site last resolved its model. PostgreSQL's own snapshot reuse (GetSnapshotDataReuse)
 * relies on the same fact: while no transaction with an xid completed (xactCompletionCount
 * unchanged), a new snapshot sees what the old one saw; curcid and the local transaction id
 * cover this backend's own changes. Snapshots built elsewhere (parallel workers, imported)
 * carry no completion count: the snapshot itself and its bounds identify them.
 */
bool
pgml_snapshot_unchanged(PgmlSnapshotKey *key)
{
	Snapshot	snapshot = pgml_statement_snapshot();
	uintptr_t	identity = snapshot->snapXactCompletionCount == 0 ? (uintptr_t) snapshot : 0;

	/* Every row of a statement asks: compare, and write only when it changed. */
	if (key->valid && key->completions == snapshot->snapXactCompletionCount &&
		key->curcid == snapshot->curcid && key->xmin == snapshot->xmin && key->xmax == snapshot->xmax &&
		key->snapshot == identity && key->lxid == MyProc->lxid)
		return true;
	key->valid = true;
	key->lxid = MyProc->lxid;
	key->completions = snapshot->snapXactCompletionCount;
	key->curcid = snapshot->curcid;
	key->xmin = snapshot->xmin;
	key->xmax = snapshot->xmax;
	key->snapshot = identity;
	return false;
}

/* pgml.model_cache_size, in kB; Go holds the limit and tells us when the cache is over it. */
static int	model_cache_kb = 256 * 1024;
bool		pgml_model_cache_over_limit = false;

static void
assign_model_cache_size(int newval, void *extra)
{
	if (pgml_go_started)
		pgmlGoSetModelCacheLimit(newval);
}

void
pgml_model_cache_start_go(void)
{
	pgmlGoSetModelCacheLimit(model_cache_kb);
}

/*
 * When a transaction ends, the statements that needed models beyond the limit are over: drop
 * them. Not while the process exits (a FATAL error may have interrupted a Go call).
 */
static void
trim_model_cache(XactEvent event, void *arg)
{
	if (!pgml_model_cache_over_limit || proc_exit_inprogress)
		return;
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			pgmlGoTrimModelCache();
			break;
		default:
			break;
	}
}

void
pgml_model_cache_init(void)
{
	CacheRegisterRelcacheCallback(forget_catalog, (Datum) 0);
	RegisterXactCallback(trim_model_cache, NULL);
	DefineCustomIntVariable("pgml.model_cache_size",
							"Memory for loaded models that each backend keeps between statements.",
							"Least recently used models are dropped beyond it; a larger model is loaded for the statement that needs it and dropped afterwards.",
							&model_cache_kb, 256 * 1024, 0, INT_MAX, PGC_SUSET, GUC_UNIT_KB,
							NULL, assign_model_cache_size, NULL);
}

/*
 * Trigger of installations before 0.3.0 on pgml.deployments and pgml.projects; it sends a
 * relcache invalidation that nothing needs any more: prediction reads the deployment with each
 * statement's snapshot (pgml_deployed_model). 0.3.0 drops the triggers.
 */
PG_FUNCTION_INFO_V1(pgml_invalidate_deployments);
Datum
pgml_invalidate_deployments(PG_FUNCTION_ARGS)
{
	TriggerData *trigger = (TriggerData *) fcinfo->context;
	Oid			relid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errmsg("pgml.invalidate_deployments() must be called as a trigger")));
	relid = get_relname_relid("deployments", RelationGetNamespace(trigger->tg_relation));
	if (OidIsValid(relid))
		CacheInvalidateRelcacheByRelid(relid);
	return PointerGetDatum(NULL);
}

static Datum
unix_microseconds_datum(int64 us)
{
	return TimestampTzGetDatum(us - (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY);
}

PG_FUNCTION_INFO_V1(pgml_model_cache);
Datum
pgml_model_cache(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PgmlCachedModel *malloced = NULL;
	PgmlCachedModel *models;
	PgmlStatus	status = {0};
	int			n = 0;

	pgml_go();
	pgmlGoModelCache(&malloced, &n, &status);
	pgml_raise_status(&status);
	/* Go's malloc'd memory goes back before anything below can raise an error. */
	models = palloc(sizeof(PgmlCachedModel) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		models[i] = malloced[i];
		models[i].project = pgml_take_string(malloced[i].project);
		models[i].algorithm = pgml_take_string(malloced[i].algorithm);
		models[i].runtime = pgml_take_string(malloced[i].runtime);
	}
	free(malloced);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		Datum		values[8];
		bool		nulls[8] = {false};

		values[0] = Int64GetDatum(models[i].model_id);
		values[1] = CStringGetTextDatum(models[i].project);
		values[2] = CStringGetTextDatum(models[i].algorithm);
		values[3] = CStringGetTextDatum(models[i].runtime);
		values[4] = Int64GetDatum(models[i].bytes);
		values[5] = Int64GetDatum(models[i].hits);
		values[6] = unix_microseconds_datum(models[i].last_used_us);
		values[7] = unix_microseconds_datum(models[i].loaded_at_us);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
