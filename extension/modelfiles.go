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

func (spiStore) ModelFileSlice(id, offset, length int64, dst []byte) (data []byte, found bool, err error) {
	if free := int64(cap(dst) - len(dst)); free < length {
		dst = append(dst, make([]byte, length)...)[:len(dst)]
	}
	// C copies the slice into dst's spare capacity: the bytes of a model are copied once
	// from PostgreSQL's memory into the buffer the model is decoded from.
	var copied C.int64_t
	spare := unsafe.Pointer(unsafe.SliceData(dst[len(dst):cap(dst)]))
	rc := C.pgml_model_file_slice(C.int64_t(id), C.int64_t(offset), C.int64_t(length), (*C.char)(spare), &copied)
	switch {
	case rc < 0:
		return dst, false, errPostgres
	case rc == 0:
		return dst, false, nil
	}
	return dst[:len(dst)+int(copied)], true, nil
}
