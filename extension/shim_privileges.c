/*
 * Who runs what. A pgml function runs as its caller; only the statements that read or write
 * pgml's own tables run as the extension's owner (pg_extension.extowner), with search_path
 * pinned to pg_catalog, pg_temp and SECURITY_RESTRICTED_OPERATION set. Relations a caller
 * names are read as the caller, so table and column privileges, row-level security and
 * security_invoker views apply to it exactly as to its own queries. See docs/privileges.md.
 *
 * The switch is local to one C helper call: made inside its PG_TRY and undone before it
 * returns, on success and on a caught error alike, so Go never runs with the owner's id.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xlog.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "common/file_perm.h"
#include "miscadmin.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/rel.h"

#include "shim_internal.h"

/* The extension's owner and oid, read from pg_extension (it has no syscache). */
static void
lookup_extension(Oid *owner, Oid *extension)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;

	*owner = InvalidOid;
	*extension = InvalidOid;
	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("pgml"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		Form_pg_extension form = (Form_pg_extension) GETSTRUCT(tuple);

		*owner = form->extowner;
		*extension = form->oid;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(*extension))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("extension \"pgml\" is not installed in this database")));
}

Oid
pgml_extension_oid(void)
{
	Oid			owner;
	Oid			extension;

	lookup_extension(&owner, &extension);
	return extension;
}

void
pgml_become_owner(PgmlOwnerSwitch *saved)
{
	Oid			owner;
	Oid			extension;

	saved->guc_level = 0;
	saved->switched = false;
	lookup_extension(&owner, &extension);
	GetUserIdAndSecContext(&saved->user, &saved->context);
	/* The owner's statements name pg_catalog objects unqualified: nothing else may match. */
	saved->guc_level = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	SetUserIdAndSecContext(owner, saved->context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	saved->switched = true;
}

void
pgml_restore_caller(PgmlOwnerSwitch *saved, bool success)
{
	if (saved->switched)
		SetUserIdAndSecContext(saved->user, saved->context);
	saved->switched = false;
	if (saved->guc_level > 0)
		AtEOXact_GUC(success, saved->guc_level);
	saved->guc_level = 0;
}

/*
 * The model signing key lives in the data directory (extension/modelkey.go): these only read
 * backend globals, so Go may call them without a PG_TRY.
 */
const char *
pgml_data_directory(void)
{
	return DataDir;
}

int
pgml_file_create_mode(void)
{
	return pg_file_create_mode;
}

bool
pgml_in_recovery(void)
{
	return RecoveryInProgress();
}
