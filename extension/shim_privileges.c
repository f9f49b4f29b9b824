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
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/plancache.h"
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
 * A statement run as the owner may name only pgml's relations and the catalog's: anything
 * else is a caller's relation, which must be read as the caller (Store.QueryAsCaller in
 * lifecycle/store.go, implemented in extension/spi.go).
 * Checked on the rewritten statement, so views count with the tables under them.
 */
static bool
names_only_pgml_relations(Node *node, Oid *pgml_namespace)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;
		Oid			namespace;

		if (rte->rtekind != RTE_RELATION)
			return false;
		namespace = get_rel_namespace(rte->relid);
		if (namespace != *pgml_namespace && namespace != PG_CATALOG_NAMESPACE)
			elog(ERROR, "pgml: a statement run as the extension's owner reads relation %s.%s, which is not pgml's",
				 get_namespace_name(namespace), get_rel_name(rte->relid));
		return false;
	}
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, names_only_pgml_relations, pgml_namespace, QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, names_only_pgml_relations, pgml_namespace);
}

void
pgml_check_owner_statement(SPIPlanPtr plan)
{
	Oid			pgml_namespace = get_namespace_oid("pgml", false);
	ListCell   *source;

	foreach(source, SPI_plan_get_plan_sources(plan))
	{
		ListCell   *query;

		foreach(query, ((CachedPlanSource *) lfirst(source))->query_list)
			(void) names_only_pgml_relations((Node *) lfirst(query), &pgml_namespace);
	}
}
