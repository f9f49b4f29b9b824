/*
 * Tables pgml creates at run time (materialized snapshots, load_dataset tables) live in schema
 * pgml but are not members of the extension: pg_dump must dump them, and only a script run by
 * CREATE EXTENSION may register a member for dumping. Each gets a normal pg_depend entry on the
 * extension instead, so DROP EXTENSION pgml refuses without CASCADE (naming them) and CASCADE
 * drops them. A snapshot's rows are read as the caller and written into pgml's table directly.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "shim_internal.h"

/*
 * Records a normal dependency on the extension for every relation of schema pgml that has
 * none (neither member nor dependent). Run inside SPI. Returns how many it recorded.
 */
int
pgml_adopt_relations_spi(void)
{
	Oid			extension = pgml_extension_oid();
	Oid			argtypes[2] = {OIDOID, OIDOID};
	Datum		args[2];
	int			ret;
	int			count;

	args[0] = ObjectIdGetDatum(get_namespace_oid("pgml", false));
	args[1] = ObjectIdGetDatum(extension);
	ret = SPI_execute_with_args(
								"SELECT c.oid FROM pg_catalog.pg_class c"
								" WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
								" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
								"   WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid"
								"   AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = $2)"
								" ORDER BY c.oid",
								2, argtypes, args, NULL, false, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "pgml: listing the relations of schema pgml failed: %s", SPI_result_code_string(ret));
	count = (int) SPI_processed;
	for (int i = 0; i < count; i++)
	{
		bool		isnull;
		ObjectAddress relation;
		ObjectAddress owner;

		ObjectAddressSet(relation, RelationRelationId,
						 DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)));
		ObjectAddressSet(owner, ExtensionRelationId, extension);
		recordDependencyOn(&relation, &owner, DEPENDENCY_NORMAL);
	}
	if (count > 0)
		CommandCounterIncrement();
	return count;
}

/* For Go: adopt inside its SPI connection. */
int
pgml_adopt_relations(int *count)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;

	*count = 0;
	PG_TRY();
	{
		pgml_fault_point();
		*count = pgml_adopt_relations_spi();
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}

static int
adopt_with_spi(void)
{
	int			count;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "pgml: SPI_connect failed");
	count = pgml_adopt_relations_spi();
	if (SPI_finish() != SPI_OK_FINISH)
		elog(ERROR, "pgml: SPI_finish failed");
	return count;
}

PG_FUNCTION_INFO_V1(pgml_adopt_relations_sql);
Datum
pgml_adopt_relations_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(adopt_with_spi());
}

/*
 * AFTER INSERT ... FOR EACH STATEMENT on pgml.snapshots: a pg_restore creates the snapshot
 * and dataset tables before it copies pgml.snapshots' rows, and pg_dump does not carry their
 * dependency on the extension; this records it again.
 */
PG_FUNCTION_INFO_V1(pgml_adopt_relations_trigger);
Datum
pgml_adopt_relations_trigger(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pgml.adopt_relations_trigger() must be called as a trigger")));
	(void) adopt_with_spi();
	return PointerGetDatum(NULL);
}

/*
 * A materialized snapshot: the caller's query writes straight into pgml's table. The rows are
 * read under the caller's privileges (the executor checks them), inserted without any.
 */
typedef struct SnapshotReceiver
{
	DestReceiver pub;
	Relation	rel;
	CommandId	cid;
	BulkInsertState bistate;
	uint64		rows;
} SnapshotReceiver;

static void
snapshot_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	SnapshotReceiver *receiver = (SnapshotReceiver *) self;
	TupleDesc	target = RelationGetDescr(receiver->rel);

	if (typeinfo->natts != target->natts)
		elog(ERROR, "pgml: the snapshot query returns %d columns, its table has %d", typeinfo->natts, target->natts);
	for (int i = 0; i < target->natts; i++)
		if (TupleDescAttr(typeinfo, i)->atttypid != TupleDescAttr(target, i)->atttypid)
			elog(ERROR, "pgml: column %d of the snapshot query has another type than its table's", i + 1);
}

static bool
snapshot_receive(TupleTableSlot *slot, DestReceiver *self)
{
	SnapshotReceiver *receiver = (SnapshotReceiver *) self;

	table_tuple_insert(receiver->rel, slot, receiver->cid, 0, receiver->bistate);
	receiver->rows++;
	return true;
}

static void
snapshot_shutdown(DestReceiver *self)
{
}

static void
snapshot_destroy(DestReceiver *self)
{
}

/*
 * Creates pgml.<table> with the columns of select_sql (as the owner: only names and types are
 * looked at, no row is read) and fills it with select_sql's rows, run as the caller.
 */
int
pgml_materialize(const char *table, const char *select_sql, int64_t *rows)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;
	PgmlOwnerSwitch owner_state = {0};
	PgmlOwnerSwitch *volatile owner = &owner_state;

	*rows = 0;
	PG_TRY();
	{
		SnapshotReceiver receiver;
		SPIExecuteOptions options;
		Oid			relid;
		int			ret;

		pgml_fault_point();
		pgml_become_owner(owner);
		ret = SPI_execute(psprintf("CREATE TABLE pgml.%s AS %s WITH NO DATA", quote_identifier(table), select_sql), false, 0);
		if (ret < 0)
			elog(ERROR, "pgml: creating the snapshot table failed: %s", SPI_result_code_string(ret));
		pgml_restore_caller(owner, true);
		relid = get_relname_relid(table, get_namespace_oid("pgml", false));
		if (!OidIsValid(relid))
			elog(ERROR, "pgml: the snapshot table pgml.%s was not created", table);

		memset(&receiver, 0, sizeof(receiver));
		receiver.pub.receiveSlot = snapshot_receive;
		receiver.pub.rStartup = snapshot_startup;
		receiver.pub.rShutdown = snapshot_shutdown;
		receiver.pub.rDestroy = snapshot_destroy;
		receiver.pub.mydest = DestNone;
		receiver.rel = table_open(relid, RowExclusiveLock);
		receiver.cid = GetCurrentCommandId(true);
		receiver.bistate = GetBulkInsertState();
		memset(&options, 0, sizeof(options));
		options.read_only = false;
		options.dest = &receiver.pub;
		ret = SPI_execute_extended(select_sql, &options);
		if (ret < 0)
			elog(ERROR, "pgml: reading the relation into its snapshot failed: %s", SPI_result_code_string(ret));
		FreeBulkInsertState(receiver.bistate);
		table_finish_bulk_insert(receiver.rel, 0);
		table_close(receiver.rel, NoLock);
		*rows = (int64_t) receiver.rows;
		(void) pgml_adopt_relations_spi();
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		pgml_restore_caller(owner, false);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}
