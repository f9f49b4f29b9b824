package lifecycle

import (
	"strings"

	"github.com/pgml-go/pgml/datasets"
)

// isHubName reports whether source is a Hugging Face hub dataset's name (owner/name), which
// PostgresML 2.x downloads: ^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$. Written out rather
// than a regexp, so that pgml.so links no regexp package and compiles nothing while it loads
// (docs/native-inference.md, "The first predict of a connection"); datasets_test.go checks it
// against that expression.
func isHubName(source string) bool {
	owner, name, found := strings.Cut(source, "/")
	if !found || owner == "" || name == "" || !isAlphanumeric(owner[0]) {
		return false
	}
	return allHubNameBytes(owner) && allHubNameBytes(name)
}

func allHubNameBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlphanumeric(c) && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

func isAlphanumeric(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// LoadDataset is pgml.load_dataset: it creates (or empties) pgml.<source> and inserts the
// embedded toy dataset's rows, at most limit of them (datasets.All for every row). It returns
// the table's name and the number of rows inserted.
func (sess *Session) LoadDataset(source string, limit int) (string, int, error) {
	if isHubName(source) {
		return sess.useHubTable(source)
	}
	load, err := datasets.Prepare(source, limit)
	if err != nil {
		return "", 0, Errorf(StateUndefinedObject, "%s", err.Error())
	}
	if err := sess.createOrEmpty(load, source); err != nil {
		return "", 0, err
	}
	for _, insert := range load.Inserts {
		if err := sess.checkInterrupts(); err != nil {
			return "", 0, err
		}
		if _, err := sess.query(insert); err != nil {
			return "", 0, err
		}
	}
	return load.Table, load.Rows, nil
}

// createOrEmpty creates the dataset's table, or empties an existing one so that views built
// on it survive a reload (PostgresML 2.x dropped it with CASCADE; 1.0 kept stale rows).
func (sess *Session) createOrEmpty(load *datasets.Load, source string) error {
	table := quoteIdent(datasets.Schema) + "." + quoteIdent(source)
	rows, err := sess.query(`SELECT pg_catalog.to_regclass($1) IS NOT NULL`, table)
	if err != nil {
		return err
	}
	if rows[0].Bool(0) {
		_, err := sess.query("TRUNCATE " + table)
		return err
	}
	if _, err := sess.query(load.Create); err != nil {
		return err
	}
	if _, err = sess.query(load.Comment); err != nil {
		return err
	}
	// The table belongs to the extension's owner and depends on the extension (snapshot.go);
	// the toy datasets are public data, readable by every role that may train.
	if _, err := sess.query("GRANT SELECT ON " + table + " TO PUBLIC"); err != nil {
		return err
	}
	return sess.Store.AdoptRelations()
}

// useHubTable stands in for downloading a Hugging Face dataset, which the database server does
// not do: a table pgml."owner/name" that the user filled is used as it is (as 2.x's download
// would have left it), and without one the error says how to make it.
func (sess *Session) useHubTable(source string) (string, int, error) {
	table := quoteIdent(datasets.Schema) + "." + quoteIdent(source)
	rows, err := sess.queryAsCaller(`SELECT pg_catalog.to_regclass($1) IS NOT NULL`, table)
	if err != nil {
		return "", 0, err
	}
	if !rows[0].Bool(0) {
		return "", 0, WithHint(Errorf(StateFeatureMissing,
			"the Hugging Face dataset %q cannot be downloaded: pgml does not reach the network from the database server", source),
			"Create the table "+table+" with the dataset's rows (e.g. \\copy from a file downloaded elsewhere); load_dataset then uses it as it is.")
	}
	rows, err = sess.queryAsCaller(`SELECT pg_catalog.count(*) FROM ` + table)
	if err != nil {
		return "", 0, err
	}
	n := int(rows[0].Int64(0))
	return datasets.Schema + "." + quoteIdent(source), n, sess.notice("the Hugging Face dataset %q is not downloaded: the existing table %s (%d rows) is used as it is", source, table, n)
}
