package lifecycle

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The tables of dump_all and load_all, referenced ones first.
var dumpedTables = []string{"projects", "snapshots", "models", "files", "deployments"}

// DumpAll writes pgml's tables to <dir>/<table>.csv with the server's COPY, run as the
// extension's owner for a caller that may write server files.
func (sess *Session) DumpAll(dir string) error {
	if err := checkDumpDirectory(dir); err != nil {
		return err
	}
	if err := sess.checkServerFileRole("pg_write_server_files", "pgml.dump_all"); err != nil {
		return err
	}
	// The files are the server's (COPY writes them as the server's user): so is the directory,
	// which the caller may not be able to make on the server's machine. A relative path is in
	// the data directory, the backend's working directory, as for COPY.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Errorf(StateUndefinedFile, "could not create directory %q: %v", dir, err)
	}
	for _, t := range dumpedTables {
		file, err := sess.quotedLiteral(dir + "/" + t + ".csv")
		if err != nil {
			return err
		}
		if _, err := sess.query("COPY pgml." + quoteIdent(t) + " TO " + file + " CSV HEADER"); err != nil {
			return err
		}
	}
	return nil
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
			return Errorf(StateInvalidParameter, "path component %q… is %d bytes long, more than a file name may be (%d)", strings.ToValidUTF8(component[:20], ""), len(component), fileNameMax)
		}
	}
	if longest := len(dir) + len("/deployments.csv"); longest >= filePathMax {
		return Errorf(StateInvalidParameter, "path is %d bytes long: its files' names would be longer than the server accepts (%d bytes)", len(dir), filePathMax-1)
	}
	return nil
}

func (sess *Session) quotedLiteral(s string) (string, error) {
	rows, err := sess.query(`SELECT pg_catalog.quote_literal($1::text)`, s)
	if err != nil {
		return "", err
	}
	return rows[0].Str(0), nil
}

// LoadAll loads pgml's tables from the files DumpAll wrote, for a caller that may read server
// files, and warns about model files this cluster's key does not verify.
func (sess *Session) LoadAll(dir string) error {
	if err := checkDumpDirectory(dir); err != nil {
		return err
	}
	if err := sess.checkServerFileRole("pg_read_server_files", "pgml.load_all"); err != nil {
		return err
	}
	for _, t := range dumpedTables {
		path := dir + "/" + t + ".csv"
		columns, err := sess.csvHeaderColumns(t, path)
		if err != nil {
			return err
		}
		file, err := sess.quotedLiteral(path)
		if err != nil {
			return err
		}
		if _, err := sess.query("COPY pgml." + quoteIdent(t) + " (" + strings.Join(columns, ", ") + ") FROM " + file + " CSV HEADER"); err != nil {
			return err
		}
	}
	// Unlike 2.x, move each id sequence past the loaded ids, so that the next train or deploy
	// does not collide with them.
	for _, t := range dumpedTables {
		table := "pgml." + quoteIdent(t)
		if _, err := sess.query(`SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence($1, 'id')::pg_catalog.regclass, max(id))
			FROM `+table+` HAVING max(id) IS NOT NULL`, table); err != nil {
			return err
		}
	}
	if err := sess.Store.AdoptRelations(); err != nil {
		return err
	}
	problems, err := sess.UnverifiedParts()
	if err != nil || len(problems) == 0 {
		return err
	}
	return sess.report(Warning, "%d rows of pgml.files do not verify with this cluster's model signing key: pgml will refuse to load those models "+
		"(SELECT * FROM pgml.verify_models() lists them; a superuser who trusts them runs SELECT pgml.sign_models())", len(problems))
}

// csvHeaderColumns reads the header of a CSV written by dump_all (of this or an older pgml,
// whose files.csv had no digest) and checks that it names columns of the table.
func (sess *Session) csvHeaderColumns(table, path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, WithHint(Errorf(StateUndefinedFile, "could not open file \"%s\" for reading: No such file or directory", path),
			"pgml.load_all reads the files that pgml.dump_all wrote on the server: <path>/"+strings.Join(dumpedTables, ".csv, ")+".csv.")
	}
	if err != nil {
		return nil, Errorf(StateUndefinedFile, "could not open file \"%s\" for reading: %v", path, err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		return nil, Errorf(StateInvalidParameter, "file \"%s\" has no CSV header line: %v", filepath.Base(path), err)
	}
	rows, err := sess.query(`SELECT attname::text FROM pg_catalog.pg_attribute
		WHERE attrelid = pg_catalog.to_regclass($1) AND attnum > 0 AND NOT attisdropped`, "pgml."+quoteIdent(table))
	if err != nil {
		return nil, err
	}
	known := make([]string, len(rows))
	for i, r := range rows {
		known[i] = r.Str(0)
	}
	columns := make([]string, len(header))
	for i, name := range header {
		if !slices.Contains(known, name) {
			return nil, Errorf(StateInvalidParameter, "file \"%s\" has a column %q that pgml.%s does not have", filepath.Base(path), name, table)
		}
		columns[i] = quoteIdent(name)
	}
	return columns, nil
}
