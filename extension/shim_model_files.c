/*
 * A model's rows of pgml.files, read for loading it to predict (lifecycle/modelfiles.go):
 * through the indexes of pgml.models, pgml.projects and pgml.files, with the statement's
 * snapshot, giving the columns the listing query of lifecycle/integrity.go (filePartsSQL)
 * gives. Parsing and planning those queries was most of the first predict of a connection:
 * each first use of a query shape fills the catalog caches it touches.
 * Called from Go: errors are caught and returned as values (rule 9 in docs/architecture.md).
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/toast_compression.h"
#include "access/xact.h"
#include "executor/tuptable.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "storage/proc.h"
#include "utils/rel.h"

#include "shim_internal.h"

/* The OIDs and columns the lookups need, read once per pgml.models OID. */
typedef struct FilesCatalog
{
	bool		valid;
	Oid			models;
	Oid			models_by_id;
	AttrNumber	model_project;
	Oid			projects;
	Oid			projects_by_id;
	AttrNumber	project_name;
	Oid			files;
	Oid			files_by_model;	/* (model_id, path, part) */
	Oid			files_by_id;
	AttrNumber	file_id;
	AttrNumber	file_path;
	AttrNumber	file_part;
	AttrNumber	file_data;
	AttrNumber	file_digest;	/* InvalidAttrNumber before 0.3.0 (unsigned rows) */
} FilesCatalog;

static FilesCatalog files_catalog;

static void
forget_files_catalog(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == files_catalog.models || relid == files_catalog.projects ||
		relid == files_catalog.files)
		files_catalog.valid = false;
}

void
pgml_model_files_init(void)
{
	CacheRegisterRelcacheCallback(forget_files_catalog, (Datum) 0);
}

static Oid
required_index(Oid relid, AttrNumber first, AttrNumber second)
{
	Oid			index = pgml_find_index(relid, first, second);

	if (!OidIsValid(index))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("pgml's index on %s is missing", get_rel_name(relid)),
				 errhint("The pgml extension's tables were altered; reinstall the extension.")));
	return index;
}

static void
read_files_catalog(Oid models)
{
	Oid			nsp = get_rel_namespace(models);
	FilesCatalog *c = &files_catalog;

	c->valid = false;
	c->models = models;
	c->projects = pgml_sibling_table(nsp, "projects");
	c->files = pgml_sibling_table(nsp, "files");
	c->model_project = pgml_column(models, "project_id");
	c->models_by_id = required_index(models, pgml_column(models, "id"), InvalidAttrNumber);
	c->project_name = pgml_column(c->projects, "name");
	c->projects_by_id = required_index(c->projects, pgml_column(c->projects, "id"), InvalidAttrNumber);
	c->file_id = pgml_column(c->files, "id");
	c->file_path = pgml_column(c->files, "path");
	c->file_part = pgml_column(c->files, "part");
	c->file_data = pgml_column(c->files, "data");
	c->file_digest = get_attnum(c->files, "digest");
	c->files_by_model = required_index(c->files, pgml_column(c->files, "model_id"), c->file_path);
	c->files_by_id = required_index(c->files, c->file_id, InvalidAttrNumber);
	c->valid = true;
}

/* An index scan of relid through indexid for the rows whose first (bigint) key column equals key. */
typedef struct KeyScan
{
	Relation	rel;
	Relation	index;
	TupleTableSlot *slot;
	IndexScanDesc scan;
} KeyScan;

static void
begin_key_scan(KeyScan *s, Oid relid, Oid indexid, int64 key)
{
	ScanKeyData skey;

	s->rel = table_open(relid, AccessShareLock);
	s->index = index_open(indexid, AccessShareLock);
	s->slot = table_slot_create(s->rel, NULL);
	ScanKeyEntryInitialize(&skey, 0, 1, BTEqualStrategyNumber, InvalidOid, InvalidOid, F_INT8EQ,
						   Int64GetDatum(key));
	s->scan = index_beginscan(s->rel, s->index, pgml_statement_snapshot(), 1, 0);
	index_rescan(s->scan, &skey, 1, NULL, 0);
}

static void
end_key_scan(KeyScan *s)
{
	index_endscan(s->scan);
	ExecDropSingleTupleTableSlot(s->slot);
	/* Locks stay until the end of the transaction, as for any query reading these tables. */
	index_close(s->index, NoLock);
	table_close(s->rel, NoLock);
}

/* Column attnum of the row whose first index key equals key, copied; false when none is visible or it is NULL. */
static bool
lookup_column(Oid relid, Oid indexid, int64 key, AttrNumber attnum, Datum *value)
{
	KeyScan		s;
	bool		found;

	begin_key_scan(&s, relid, indexid, key);
	found = index_getnext_slot(s.scan, ForwardScanDirection, s.slot);
	if (found)
	{
		bool		isnull;
		Form_pg_attribute att = TupleDescAttr(RelationGetDescr(s.rel), attnum - 1);
		Datum		datum = slot_getattr(s.slot, attnum, &isnull);

		found = !isnull;
		if (found)
			*value = datumCopy(datum, att->attbyval, att->attlen);
	}
	end_key_scan(&s);
	return found;
}

static void
set_text(PgmlValue *v, char *s)
{
	v->data = s;
	v->len = strlen(s);
	v->isnull = false;
}

#define FILE_COLUMNS 8

static bytea *read_slice(int64 file_id, int64 offset, int64 length);

/* The listing of pgml_model_files; raises errors. */
static void
list_model_files(int64 model_id, PgmlModelFiles *out)
{
	FilesCatalog *c = &files_catalog;
	Oid			models = pgml_model_catalog();
	Datum		project_id;
	Datum		name;
	KeyScan		s;
	int			capacity = 4;
	int			n = 0;
	PgmlValue  *values;

	memset(out, 0, sizeof(*out));
	if (!c->valid || c->models != models)
		read_files_catalog(models);
	out->signed_rows = c->file_digest != InvalidAttrNumber;
	if (!lookup_column(c->models, c->models_by_id, model_id, c->model_project, &project_id) ||
		!lookup_column(c->projects, c->projects_by_id, DatumGetInt64(project_id), c->project_name, &name))
		return;
	out->found = true;
	out->project = TextDatumGetCString(name);
	values = palloc0(sizeof(PgmlValue) * FILE_COLUMNS * capacity);
	begin_key_scan(&s, c->files, c->files_by_model, model_id);
	while (index_getnext_slot(s.scan, ForwardScanDirection, s.slot))
	{
		PgmlValue  *row;
		bool		isnull;
		struct varlena *data;

		if (n == capacity)
		{
			capacity *= 2;
			values = repalloc(values, sizeof(PgmlValue) * FILE_COLUMNS * capacity);
		}
		row = &values[n * FILE_COLUMNS];
		memset(row, 0, sizeof(PgmlValue) * FILE_COLUMNS);
		set_text(&row[0], psprintf(INT64_FORMAT, DatumGetInt64(slot_getattr(s.slot, c->file_id, &isnull))));
		set_text(&row[1], psprintf(INT64_FORMAT, model_id));
		set_text(&row[2], TextDatumGetCString(slot_getattr(s.slot, c->file_path, &isnull)));
		set_text(&row[3], psprintf("%d", DatumGetInt32(slot_getattr(s.slot, c->file_part, &isnull))));
		/* The data stays where it is: only the parts the load decodes are read. */
		data = (struct varlena *) DatumGetPointer(slot_getattr(s.slot, c->file_data, &isnull));
		set_text(&row[4], psprintf(INT64_FORMAT, (int64) (toast_raw_datum_size(PointerGetDatum(data)) - VARHDRSZ)));
		set_text(&row[5], toast_get_compression_id(data) != TOAST_INVALID_COMPRESSION_ID ? "t" : "f");
		row[6].isnull = true;
		if (c->file_digest != InvalidAttrNumber)
		{
			Datum		digest = slot_getattr(s.slot, c->file_digest, &isnull);

			if (!isnull)
			{
				bytea	   *bytes = DatumGetByteaPCopy(digest);

				row[6].data = VARDATA(bytes);
				row[6].len = VARSIZE(bytes) - VARHDRSZ;
				row[6].isnull = false;
			}
		}
		n++;
	}
	end_key_scan(&s);

	/* The number of parts of each row's file: rows come ordered by path and part. */
	for (int first = 0, last; first < n; first = last)
	{
		for (last = first + 1; last < n; last++)
			if (strcmp(values[last * FILE_COLUMNS + 2].data, values[first * FILE_COLUMNS + 2].data) != 0)
				break;
		for (int r = first; r < last; r++)
			set_text(&values[r * FILE_COLUMNS + 7], psprintf("%d", last - first));
	}
	out->rows.nrows = n;
	out->rows.ncols = FILE_COLUMNS;
	out->rows.values = values;
}

/*
 * Read for the first model a backend loads while Go's runtime still starts
 * (pgml_prefetch_model_files). It belongs to its statement: taken once by that statement's load,
 * never by a later one (an error between the two leaves it behind, with an old snapshot's rows).
 */
static struct
{
	bool		valid;
	int64		model_id;
	LocalTransactionId lxid;
	TimestampTz statement;
	PgmlModelFiles files;
}			prefetched;

/*
 * Before the backend's first call into Go (shim_predict.c, use_model): Go's runtime is still
 * starting on its own thread, so the main thread lists the model's files and opens what
 * reading their data needs meanwhile; Go's first ModelFiles takes the listing. Errors are
 * raised here as they would be by the load (no Go frame is on the stack yet).
 */
void
pgml_prefetch_model_files(int64 model_id)
{
	prefetched.valid = false;
	list_model_files(model_id, &prefetched.files);
	if (prefetched.files.rows.nrows > 0)
	{
		/* Opens the index and TOAST relations the data is read through; the byte is dropped. */
		bytea	   *first = read_slice(strtoi64(prefetched.files.rows.values[0].data, NULL, 10), 0, 1);

		if (first != NULL)
			pfree(first);
	}
	prefetched.model_id = model_id;
	prefetched.lxid = MyProc->lxid;
	prefetched.statement = GetCurrentStatementStartTimestamp();
	prefetched.valid = true;
}

int
pgml_model_files(int64_t model_id, PgmlModelFiles *out)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;

	if (prefetched.valid && prefetched.model_id == model_id && prefetched.lxid == MyProc->lxid &&
		prefetched.statement == GetCurrentStatementStartTimestamp())
	{
		*out = prefetched.files;
		prefetched.valid = false;
		return 0;
	}
	PG_TRY();
	{
		pgml_fault_point();
		list_model_files(model_id, out);
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}

/* The slice of pgml_model_file_slice, palloc'd; NULL when the row is not visible. Raises errors. */
static bytea *
read_slice(int64 file_id, int64 offset, int64 length)
{
	FilesCatalog *c = &files_catalog;
	KeyScan		s;
	bytea	   *slice = NULL;

	if (offset < 0 || length < 0 || offset > PG_INT32_MAX || length > PG_INT32_MAX)
		elog(ERROR, "pgml: slice [" INT64_FORMAT ", +" INT64_FORMAT ") of pgml.files row " INT64_FORMAT " is out of range",
			 offset, length, file_id);
	/*
	 * A relcache invalidation of pgml's tables (another session's DDL or pgml.nativize,
	 * received when a lock is taken) may have come since the listing: look the OIDs up again.
	 */
	if (!c->valid)
		read_files_catalog(pgml_model_catalog());
	begin_key_scan(&s, c->files, c->files_by_id, file_id);
	if (index_getnext_slot(s.scan, ForwardScanDirection, s.slot))
	{
		bool		isnull;
		Datum		data = slot_getattr(s.slot, c->file_data, &isnull);

		/* Always a copy (detoast_attr_slice), so it outlives the slot's buffer pin. */
		slice = DatumGetByteaPSlice(data, (int32) offset, (int32) length);
	}
	end_key_scan(&s);
	return slice;
}

int
pgml_model_file_slice(int64_t file_id, int64_t offset, int64_t length, char *dst, int64_t *copied)
{
	MemoryContext context = CurrentMemoryContext;
	volatile int rc = 0;

	*copied = 0;
	PG_TRY();
	{
		bytea	   *slice;

		pgml_fault_point();
		slice = read_slice(file_id, offset, length);
		if (slice != NULL)
		{
			*copied = Min(VARSIZE_ANY_EXHDR(slice), length);
			memcpy(dst, VARDATA_ANY(slice), *copied);
			pfree(slice);
			rc = 1;
		}
	}
	PG_CATCH();
	{
		pgml_catch_error(context);
		rc = -1;
	}
	PG_END_TRY();
	return rc;
}
