package main

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms/faults"
)

// Tables pgml creates at run time belong to the extension's owner and depend on the extension
// (shim_lifecycle.c): DROP EXTENSION pgml refuses without CASCADE and drops them with it, and
// no later CREATE EXTENSION trips over a leftover. Deleting a snapshot drops its table; deleting
// the last model of a snapshot made by pgml.train deletes the snapshot (triggers in
// sql/pgml--0.2.0--0.3.0.sql).

// materialize copies the columns of the relation `source` (read as the caller) into the
// snapshot's table, which the caller may then read.
func materialize(s *snapshot, source string, cols []column) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.name)
	}
	table := C.CString(fmt.Sprintf("snapshot_%d", s.id))
	defer C.free(unsafe.Pointer(table))
	selectSQL := C.CString("SELECT " + strings.Join(names, ", ") + " FROM " + source)
	defer C.free(unsafe.Pointer(selectSQL))
	var rows C.int64_t
	if C.pgml_materialize(table, selectSQL, &rows) != 0 {
		return errPostgres
	}
	return grantReadToCaller(s.tableName())
}

// adoptRelations records the dependency on the extension of every relation of schema pgml
// that lacks one (a table this call created, or tables restored by pg_restore).
func adoptRelations() error {
	var count C.int
	if C.pgml_adopt_relations(&count) != 0 {
		return errPostgres
	}
	return nil
}

// stallIfInjected waits at a stall point of pgml.inject_fault until the statement is cancelled
// or the backend killed, having said so in a WARNING (which the server log shows, so that a
// crash test knows when to kill).
func stallIfInjected(point string) error {
	if !faults.Active(point) {
		return nil
	}
	if err := report(C.PGML_REPORT_WARNING, "pgml.inject_fault: the training stalls at %s", point); err != nil {
		return err
	}
	for {
		if err := checkInterrupts(); err != nil {
			return err
		}
		time.Sleep(interruptPollInterval)
	}
}

// snapshotRequest is pgml.snapshot's arguments.
type snapshotRequest struct {
	relationName string
	yColumns     []string
	testSize     float64
	testSizeNull bool
	testSampling string
	samplingNull bool
	preprocess   string
}

// takeSnapshot is pgml.snapshot: a materialized copy of a relation, recorded in pgml.snapshots
// and linked to no project (pgml.train never reuses it, as in PostgresML).
func takeSnapshot(req *snapshotRequest) (*snapshot, error) {
	rel, err := resolveRelation(req.relationName)
	if err != nil {
		return nil, err
	}
	for _, label := range req.yColumns {
		if _, ok := rel.column(label); !ok {
			return nil, newError(stateUndefinedColumn, "Column `%s` not found. Did you pass the correct `y_column_name`?", label)
		}
	}
	if req.samplingNull {
		return nil, newError(stateInvalidParameter, "unknown test_sampling `NULL`, available options are: random, first, last, stratified")
	}
	if req.testSizeNull {
		return nil, newError(stateInvalidParameter, "test_size must be a positive fraction (<= 1) or row count (> 1), got NULL")
	}
	snap := &snapshot{relationName: req.relationName, yColumns: req.yColumns, testSize: req.testSize, testSampling: req.testSampling, materialized: true}
	if err := validateSplitArgs(snap); err != nil {
		return nil, err
	}
	if !isEmptyJSONObject(req.preprocess) {
		return nil, newError(stateFeatureMissing, "pgml.snapshot does not keep preprocess; pass it to pgml.train, which applies it")
	}
	if err := rel.checkReadable(""); err != nil {
		return nil, err
	}
	if err := insertSnapshot(snap, "created"); err != nil {
		return nil, err
	}
	if err := materialize(snap, rel.qualifiedName(), rel.columns); err != nil {
		return nil, err
	}
	return snap, nil
}

//export pgmlGoSnapshot
func pgmlGoSnapshot(relationArg C.PgmlText, yColumns *C.PgmlText, nY C.int, testSize C.double, testSizeNull C.bool,
	samplingArg, preprocessArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		req := &snapshotRequest{testSize: float64(testSize), testSizeNull: bool(testSizeNull)}
		var ok bool
		req.relationName, ok = goText(relationArg)
		if !ok || yColumns == nil {
			return newError(stateNullValue, "pgml.snapshot needs a relation_name and a y_column_name")
		}
		for _, t := range unsafeSlice(yColumns, int(nY)) {
			name, _ := goText(t)
			req.yColumns = append(req.yColumns, name)
		}
		req.testSampling, ok = goText(samplingArg)
		req.samplingNull = !ok
		req.preprocess, _ = goText(preprocessArg)
		snap, err := takeSnapshot(req)
		if err != nil {
			return err
		}
		out.number = C.int64_t(snap.id)
		return nil
	})
}

// The tables of dump_all and load_all, referenced ones first.
var dumpedTables = []string{"projects", "snapshots", "models", "files", "deployments"}

// pgmlGoDumpAll writes (load false) or loads pgml's tables to or from <path>/<table>.csv with
// the server's COPY, run as the extension's owner for a caller that may use server files.
//
//export pgmlGoDumpAll
func pgmlGoDumpAll(pathArg C.PgmlText, load C.bool, st *C.PgmlStatus) {
	guard(st, func() error {
		dir, _ := goText(pathArg)
		if err := checkDumpDirectory(dir); err != nil {
			return err
		}
		if bool(load) {
			return loadAll(dir)
		}
		if err := checkServerFileRole("pg_write_server_files", "pgml.dump_all"); err != nil {
			return err
		}
		for _, t := range dumpedTables {
			file, err := quotedLiteral(dir + "/" + t + ".csv")
			if err != nil {
				return err
			}
			if _, err := query("COPY pgml." + quoteIdent(t) + " TO " + file + " CSV HEADER"); err != nil {
				return err
			}
		}
		return nil
	})
}

// Limits of a file name on the server: a longer path makes COPY fail with ENAMETOOLONG,
// which PostgreSQL 15 reports as an internal error.
const (
	fileNameMax = 255  // NAME_MAX, one component
	filePathMax = 1024 // MAXPGPATH, the whole path
)

// checkDumpDirectory refuses a dump_all / load_all directory whose files could not be named.
func checkDumpDirectory(dir string) error {
	for _, component := range strings.Split(dir, "/") {
		if len(component) > fileNameMax {
			return newError(stateInvalidParameter, "path component %q… is %d bytes long, more than a file name may be (%d)", strings.ToValidUTF8(component[:20], ""), len(component), fileNameMax)
		}
	}
	if longest := len(dir) + len("/deployments.csv"); longest >= filePathMax {
		return newError(stateInvalidParameter, "path is %d bytes long: its files' names would be longer than the server accepts (%d bytes)", len(dir), filePathMax-1)
	}
	return nil
}

func quotedLiteral(s string) (string, error) {
	rows, err := query(`SELECT pg_catalog.quote_literal($1::text)`, s)
	if err != nil {
		return "", err
	}
	return rows[0].str(0), nil
}

func loadAll(dir string) error {
	if err := checkServerFileRole("pg_read_server_files", "pgml.load_all"); err != nil {
		return err
	}
	for _, t := range dumpedTables {
		path := dir + "/" + t + ".csv"
		columns, err := csvHeaderColumns(t, path)
		if err != nil {
			return err
		}
		file, err := quotedLiteral(path)
		if err != nil {
			return err
		}
		if _, err := query("COPY pgml." + quoteIdent(t) + " (" + strings.Join(columns, ", ") + ") FROM " + file + " CSV HEADER"); err != nil {
			return err
		}
	}
	// Unlike 2.x, move each id sequence past the loaded ids, so that the next train or deploy
	// does not collide with them.
	for _, t := range dumpedTables {
		table := "pgml." + quoteIdent(t)
		if _, err := query(`SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence($1, 'id')::pg_catalog.regclass, max(id))
			FROM `+table+` HAVING max(id) IS NOT NULL`, table); err != nil {
			return err
		}
	}
	if err := adoptRelations(); err != nil {
		return err
	}
	problems, err := unverifiedParts()
	if err != nil || len(problems) == 0 {
		return err
	}
	return report(C.PGML_REPORT_WARNING, "%d rows of pgml.files do not verify with this cluster's model signing key: pgml will refuse to load those models "+
		"(SELECT * FROM pgml.verify_models() lists them; a superuser who trusts them runs SELECT pgml.sign_models())", len(problems))
}

// csvHeaderColumns reads the header of a CSV written by dump_all (of this or an older pgml,
// whose files.csv had no digest) and checks that it names columns of the table.
func csvHeaderColumns(table, path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, withHint(newError(stateUndefinedFile, "could not open file \"%s\" for reading: No such file or directory", path),
			"pgml.load_all reads the files that pgml.dump_all wrote on the server: <path>/"+strings.Join(dumpedTables, ".csv, ")+".csv.")
	}
	if err != nil {
		return nil, newError(stateUndefinedFile, "could not open file \"%s\" for reading: %v", path, err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		return nil, newError(stateInvalidParameter, "file \"%s\" has no CSV header line: %v", filepath.Base(path), err)
	}
	rows, err := query(`SELECT attname::text FROM pg_catalog.pg_attribute
		WHERE attrelid = pg_catalog.to_regclass($1) AND attnum > 0 AND NOT attisdropped`, "pgml."+quoteIdent(table))
	if err != nil {
		return nil, err
	}
	known := make([]string, len(rows))
	for i, r := range rows {
		known[i] = r.str(0)
	}
	columns := make([]string, len(header))
	for i, name := range header {
		if !slices.Contains(known, name) {
			return nil, newError(stateInvalidParameter, "file \"%s\" has a column %q that pgml.%s does not have", filepath.Base(path), name, table)
		}
		columns[i] = quoteIdent(name)
	}
	return columns, nil
}
