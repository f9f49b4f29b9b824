package lifecycle

import (
	"fmt"
	"strconv"
)

// Store is how the lifecycle reaches PostgreSQL. extension/spi.go implements it with SPI on
// the backend's main thread; store_test.go fakes it in memory. A method that returns an error
// from PostgreSQL has left the transaction aborted: the caller returns the error at once.
type Store interface {
	// Query runs a statement on pgml's own tables as the extension's owner, with
	// search_path = pg_catalog, pg_temp (docs/privileges.md).
	Query(sql string, args ...any) ([]Row, error)
	// QueryReadOnly is Query under the statement's snapshot, for STABLE functions.
	QueryReadOnly(sql string, args ...any) ([]Row, error)
	// QueryAsCaller runs a statement as the calling role, under its search_path: for the
	// relations (and anything else) a caller names.
	QueryAsCaller(sql string, args ...any) ([]Row, error)
	// OpenCursor runs a query of numeric columns as the caller, read in batches.
	OpenCursor(sql string) (Cursor, error)
	// Materialize creates the table pgml.<table> from selectSQL (run as the caller), owned by
	// the extension's owner.
	Materialize(table, selectSQL string) error
	// AdoptRelations makes every relation of schema pgml depend on the extension.
	AdoptRelations() error
	// Report sends a message at level to the client (and the server log).
	Report(level Level, message string) error
	// InterruptPending reports a pending cancel or terminate request; safe from any goroutine.
	InterruptPending() bool
	// PublishProgress shows a training's progress to every session (pgml.training_progress);
	// EndProgress removes it. Main thread only; they cannot fail.
	PublishProgress(p *Progress)
	EndProgress()
}

// Cursor reads a query's rows as float64 values, a batch per call.
type Cursor interface {
	// Fetch reads up to maxRows rows into values, row-major, valid until the next call.
	// widths[i] is the number of values column i gives (an array's length); -1 until known.
	// A NULL reads as a NaN whose bits are MissingBits.
	Fetch(maxRows int, widths []int) (values []float64, rows int, err error)
	Close() error
}

// MissingBits is the NaN a cursor reads for NULL (shim.h's PGML_MISSING_BITS): no arithmetic
// produces its payload, so a NULL is told from a NaN stored in the data.
const MissingBits = 0x7ff8000000000bad

// Level is the level of a reported message.
type Level int

const (
	Debug   Level = iota // DEBUG1: training phases, for tests and diagnosis
	Info                 // INFO
	Notice               // NOTICE
	Warning              // WARNING
)

// JSONB marks a string parameter as jsonb text.
type JSONB string

// Value is one result value: its text output form, or the raw bytes of a bytea.
type Value struct {
	Text string
	Null bool
}

// Row is one result row.
type Row []Value

func (r Row) Str(i int) string { return r[i].Text }

func (r Row) Int64(i int) int64 {
	n, err := strconv.ParseInt(r[i].Text, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("pgml: column %d is not an integer: %q", i, r[i].Text))
	}
	return n
}

func (r Row) Bool(i int) bool { return r[i].Text == "t" }
