package main

/*
#include "shim.h"
*/
import "C"

import (
	"github.com/pgml-go/pgml/extension/datasets"
)

//export pgmlGoLoadDataset
func pgmlGoLoadDataset(sourceArg, subsetArg C.PgmlText, limit C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		source, ok := goText(sourceArg)
		if !ok {
			return newError(stateNullValue, "source must not be NULL")
		}
		if _, given := goText(subsetArg); given {
			return newError(stateFeatureMissing, "subset applies to Hugging Face datasets, which pgml does not download")
		}
		// C passes a negative limit for NULL (every row) and rejects negative arguments.
		load, err := datasets.Prepare(source, int(max(limit, datasets.All)))
		if err != nil {
			return newError(stateUndefinedObject, "%s", err.Error())
		}
		if err := createOrEmpty(load, source); err != nil {
			return err
		}
		for _, insert := range load.Inserts {
			if err := checkInterrupts(); err != nil {
				return err
			}
			if _, err := query(insert); err != nil {
				return err
			}
		}
		setResultText(out, 0, load.Table)
		out.number = C.int64_t(load.Rows)
		return nil
	})
}

// createOrEmpty creates the dataset's table, or empties an existing one so that views built
// on it survive a reload (PostgresML 2.x dropped it with CASCADE; 1.0 kept stale rows).
func createOrEmpty(load *datasets.Load, source string) error {
	rows, err := query(`SELECT pg_catalog.to_regclass($1) IS NOT NULL`, quoteIdent(datasets.Schema)+"."+quoteIdent(source))
	if err != nil {
		return err
	}
	if rows[0].bool(0) {
		_, err := query("TRUNCATE " + quoteIdent(datasets.Schema) + "." + quoteIdent(source))
		return err
	}
	if _, err := query(load.Create); err != nil {
		return err
	}
	if _, err = query(load.Comment); err != nil {
		return err
	}
	// The table belongs to the extension's owner and depends on the extension (lifecycle.go);
	// the toy datasets are public data, readable by every role that may train.
	if _, err := query("GRANT SELECT ON " + quoteIdent(datasets.Schema) + "." + quoteIdent(source) + " TO PUBLIC"); err != nil {
		return err
	}
	return adoptRelations()
}
