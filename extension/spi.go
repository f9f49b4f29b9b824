package main

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/pgml-go/pgml/lifecycle"
)

// spiStore is lifecycle.Store through the C helpers of shim_spi.c, shim_lifecycle.c and
// shim_boundary.c, on the backend's main thread (rule 9 in docs/architecture.md). A helper
// that caught a PostgreSQL error returns non-zero: the store returns errPostgres and every
// caller returns at once.
type spiStore struct{}

// newSession starts a call of the lifecycle with the settings as they are now.
func newSession() *lifecycle.Session {
	return &lifecycle.Session{Store: spiStore{}, Runtimes: registeredRuntimes, Settings: lifecycle.Settings{
		TrainingMemoryLimit: int64(C.pgml_training_memory_limit_kb()) << 10,
		DataDirectory:       C.GoString(C.pgml_data_directory()),
		InRecovery:          bool(C.pgml_in_recovery()),
		FileMode:            os.FileMode(C.pgml_file_create_mode()),
		ProgressInterval:    time.Duration(C.pgml_progress_interval_s()) * time.Second,
	}}
}

// The cursor reads NULL as lifecycle.MissingBits: shim.h must say the same.
var _ = [1]struct{}{}[C.PGML_MISSING_BITS-lifecycle.MissingBits]

func (spiStore) Query(sql string, args ...any) ([]lifecycle.Row, error) {
	return execute(sql, false, true, args...)
}

func (spiStore) QueryReadOnly(sql string, args ...any) ([]lifecycle.Row, error) {
	return execute(sql, true, true, args...)
}

func (spiStore) QueryAsCaller(sql string, args ...any) ([]lifecycle.Row, error) {
	return execute(sql, false, false, args...)
}

// PostgreSQL type OIDs of query parameters.
const (
	oidBool      = 16
	oidBytea     = 17
	oidInt8      = 20
	oidText      = 25
	oidFloat8    = 701
	oidTextArray = 1009
	oidJSONB     = 3802
)

func execute(sql string, readOnly, asOwner bool, args ...any) ([]lifecycle.Row, error) {
	csql := C.CString(sql)
	defer C.free(unsafe.Pointer(csql))

	// Parameters live in C memory: cgo forbids passing Go memory that holds Go pointers.
	n := len(args)
	base := (*C.PgmlParam)(C.calloc(C.size_t(max(n, 1)), C.size_t(unsafe.Sizeof(C.PgmlParam{}))))
	defer C.free(unsafe.Pointer(base))
	params := unsafe.Slice(base, n)
	for i, arg := range args {
		typ, data, isNull, err := encodeParam(arg)
		if err != nil {
			return nil, err
		}
		params[i]._type = C.uint32_t(typ)
		params[i].isnull = C.bool(isNull)
		if !isNull {
			params[i].data = (*C.char)(C.CBytes(data))
			params[i].len = C.int(len(data))
			defer C.free(unsafe.Pointer(params[i].data))
		}
	}
	var out C.PgmlRows
	if C.pgml_spi_query(csql, C.int(n), base, C.bool(readOnly), C.bool(asOwner), &out) != 0 {
		return nil, errPostgres
	}
	return copyRows(&out), nil
}

func encodeParam(arg any) (typ uint32, data []byte, isNull bool, err error) {
	switch v := arg.(type) {
	case nil:
		return oidText, nil, true, nil
	case string:
		return oidText, []byte(v), false, nil
	case lifecycle.JSONB:
		return oidJSONB, []byte(v), false, nil
	case int:
		return oidInt8, []byte(strconv.Itoa(v)), false, nil
	case int64:
		return oidInt8, []byte(strconv.FormatInt(v, 10)), false, nil
	case float64:
		return oidFloat8, []byte(strconv.FormatFloat(v, 'g', -1, 64)), false, nil
	case bool:
		return oidBool, []byte(strconv.FormatBool(v)), false, nil
	case []byte:
		return oidBytea, v, false, nil
	case []string:
		return oidTextArray, []byte(textArrayLiteral(v)), false, nil
	}
	return 0, nil, false, fmt.Errorf("pgml: unsupported query parameter type %T", arg)
}

// textArrayLiteral renders a text[] input literal with every element quoted and escaped.
func textArrayLiteral(items []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func copyRows(out *C.PgmlRows) []lifecycle.Row {
	nrows, ncols := int(out.nrows), int(out.ncols)
	if nrows == 0 {
		return nil
	}
	values := unsafe.Slice(out.values, nrows*ncols)
	rows := make([]lifecycle.Row, nrows)
	for r := range rows {
		rows[r] = make(lifecycle.Row, ncols)
		for c := 0; c < ncols; c++ {
			v := values[r*ncols+c]
			if bool(v.isnull) {
				rows[r][c] = lifecycle.Value{Null: true}
				continue
			}
			rows[r][c] = lifecycle.Value{Text: C.GoStringN(v.data, v.len)}
		}
	}
	return rows
}

// OpenCursor opens the one cursor of training data (rule 13 in docs/architecture.md: one cgo
// call per batch of rows).
func (spiStore) OpenCursor(sql string) (lifecycle.Cursor, error) {
	csql := C.CString(sql)
	defer C.free(unsafe.Pointer(csql))
	if C.pgml_cursor_open(csql) != 0 {
		return nil, errPostgres
	}
	return &spiCursor{}, nil
}

type spiCursor struct {
	widths []C.int // Go memory without pointers: C may write it during a call (cgo's rules)
}

func (c *spiCursor) Fetch(maxRows int, widths []int) ([]float64, int, error) {
	if len(c.widths) != len(widths) {
		c.widths = make([]C.int, len(widths))
	}
	for i, w := range widths {
		c.widths[i] = C.int(w)
	}
	var out *C.double
	var count C.int
	if C.pgml_cursor_fetch(C.int(maxRows), C.int(len(widths)), &c.widths[0], &out, &count) != 0 {
		return nil, 0, errPostgres
	}
	rowWidth := 0
	for i, w := range c.widths {
		widths[i] = int(w)
		rowWidth += max(widths[i], 0)
	}
	return doubles(out, int(count)*rowWidth), int(count), nil
}

func (c *spiCursor) Close() error {
	if C.pgml_cursor_close() != 0 {
		return errPostgres
	}
	return nil
}

func (spiStore) Materialize(table, selectSQL string) error {
	ctable, cselect := C.CString(table), C.CString(selectSQL)
	defer C.free(unsafe.Pointer(ctable))
	defer C.free(unsafe.Pointer(cselect))
	var rows C.int64_t
	if C.pgml_materialize(ctable, cselect, &rows) != 0 {
		return errPostgres
	}
	return nil
}

func (spiStore) AdoptRelations() error {
	var count C.int
	if C.pgml_adopt_relations(&count) != 0 {
		return errPostgres
	}
	return nil
}

var reportLevels = map[lifecycle.Level]C.int{
	lifecycle.Debug: C.PGML_REPORT_DEBUG, lifecycle.Info: C.PGML_REPORT_INFO,
	lifecycle.Notice: C.PGML_REPORT_NOTICE, lifecycle.Warning: C.PGML_REPORT_WARNING,
}

func (spiStore) Report(level lifecycle.Level, message string) error {
	msg := C.CString(message)
	defer C.free(unsafe.Pointer(msg))
	if C.pgml_report(reportLevels[level], msg) != 0 {
		return errPostgres
	}
	return nil
}

// InterruptPending only reads PostgreSQL's flags: safe from any thread (rule 8 in
// docs/architecture.md); C runs CHECK_FOR_INTERRUPTS after Go returned.
func (spiStore) InterruptPending() bool {
	return bool(C.pgml_interrupt_pending())
}
