package main

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/pgml-go/pgml/extension/sqlname"
)

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

// jsonb marks a string parameter as jsonb text.
type jsonb string

// typedNull is a NULL parameter of a given type.
type typedNull uint32

// value is one result value: text output form, or raw bytes for bytea.
type value struct {
	s    string
	null bool
}

type row []value

func (r row) str(i int) string { return r[i].s }

func (r row) int64(i int) int64 {
	n, err := strconv.ParseInt(r[i].s, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("pgml: column %d is not an integer: %q", i, r[i].s))
	}
	return n
}

func (r row) bool(i int) bool { return r[i].s == "t" }

// query runs sql with parameters $1.. through SPI and copies the result into Go memory. It
// runs as the extension's owner with search_path = pg_catalog, pg_temp: it is for pgml's own
// tables only, which no other role may write (docs/privileges.md). Anything a caller names
// is read with queryAsCaller, so that the caller never reads through the owner's rights.
func query(sql string, args ...any) ([]row, error) {
	return execute(sql, false, true, args...)
}

// queryReadOnly is query under the caller's snapshot, for STABLE functions.
func queryReadOnly(sql string, args ...any) ([]row, error) {
	return execute(sql, true, true, args...)
}

// queryAsCaller runs sql as the calling role, under its search_path: for the relations (and
// anything else) a caller names.
func queryAsCaller(sql string, args ...any) ([]row, error) {
	return execute(sql, false, false, args...)
}

func execute(sql string, readOnly, asOwner bool, args ...any) ([]row, error) {
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
	case typedNull:
		return uint32(v), nil, true, nil
	case string:
		return oidText, []byte(v), false, nil
	case jsonb:
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

func copyRows(out *C.PgmlRows) []row {
	nrows, ncols := int(out.nrows), int(out.ncols)
	if nrows == 0 {
		return nil
	}
	values := unsafe.Slice(out.values, nrows*ncols)
	rows := make([]row, nrows)
	for r := range rows {
		rows[r] = make(row, ncols)
		for c := 0; c < ncols; c++ {
			v := values[r*ncols+c]
			if bool(v.isnull) {
				rows[r][c] = value{null: true}
				continue
			}
			rows[r][c] = value{s: C.GoStringN(v.data, v.len)}
		}
	}
	return rows
}

// quoteIdent quotes an identifier taken from the catalog for use in SQL text.
var quoteIdent = sqlname.QuoteIdent

// report sends an INFO/NOTICE/WARNING line to the client.
func report(level C.int, format string, args ...any) error {
	msg := C.CString(fmt.Sprintf(format, args...))
	defer C.free(unsafe.Pointer(msg))
	if C.pgml_report(level, msg) != 0 {
		return errPostgres
	}
	return nil
}

func info(format string, args ...any) error {
	return report(C.PGML_REPORT_INFO, format, args...)
}

func notice(format string, args ...any) error {
	return report(C.PGML_REPORT_NOTICE, format, args...)
}
