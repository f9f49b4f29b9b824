package main

/*
#include "shim.h"
*/
import "C"

import (
	"unsafe"

	"github.com/pgml-go/pgml/lifecycle"
)

// spiStore reads the files of a model it loads through pgml's indexes (shim_model_files.c).
var _ lifecycle.IndexedModelFiles = spiStore{}

func (spiStore) ModelFiles(modelID int64) (project string, rows []lifecycle.Row, signed, found bool, err error) {
	var out C.PgmlModelFiles
	if C.pgml_model_files(C.int64_t(modelID), &out) != 0 {
		return "", nil, false, false, errPostgres
	}
	if !bool(out.found) {
		return "", nil, false, false, nil
	}
	return C.GoString(out.project), copyRows(&out.rows), bool(out.signed_rows), true, nil
}

func (spiStore) ModelFileSlice(id, offset, length int64) (data []byte, found bool, err error) {
	var out C.PgmlValue
	if C.pgml_model_file_slice(C.int64_t(id), C.int64_t(offset), C.int64_t(length), &out) != 0 {
		return nil, false, errPostgres
	}
	if bool(out.isnull) {
		return nil, false, nil
	}
	return C.GoBytes(unsafe.Pointer(out.data), out.len), true, nil
}
