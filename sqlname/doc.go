// Package sqlname parses and quotes SQL identifiers the way PostgreSQL does, so that names
// given by users are checked before they reach SQL, and names from the catalog are quoted.
// Pure Go: no cgo, no PostgreSQL.
package sqlname
