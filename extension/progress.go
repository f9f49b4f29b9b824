package main

/*
#include "shim.h"
*/
import "C"

import (
	"encoding/binary"
	"time"
	"unicode/utf8"

	"github.com/pgml-go/pgml/lifecycle"
)

// postgresEpoch is TimestampTz's zero, 2000-01-01 UTC.
var postgresEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func timestampTz(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Sub(postgresEpoch).Microseconds()
}

// packText puts s into dst, 8 bytes per value in the machine's byte order (C reads the
// values' bytes back as a string), cut to len(dst)*8 bytes at a character boundary.
func packText(dst []C.int64_t, s string) {
	if len(s) > len(dst)*8 {
		s = s[:len(dst)*8]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	var b [8]byte
	for i := range dst {
		clear(b[:])
		if len(s) > i*8 {
			copy(b[:], s[i*8:])
		}
		dst[i] = C.int64_t(binary.NativeEndian.Uint64(b[:]))
	}
}

// PublishProgress writes p into the backend's progress slot (shim_progress.c).
func (spiStore) PublishProgress(p *lifecycle.Progress) {
	var v [C.PGML_PROGRESS_NPARAMS]C.int64_t
	v[C.PGML_PROGRESS_LAYOUT] = C.PGML_PROGRESS_LAYOUT_VERSION
	v[C.PGML_PROGRESS_PROJECT_ID] = C.int64_t(p.ProjectID)
	packText(v[C.PGML_PROGRESS_PROJECT_NAME:C.PGML_PROGRESS_NPARAMS], p.Project)
	packText(v[C.PGML_PROGRESS_ALGORITHM:C.PGML_PROGRESS_RUNTIME], p.Algorithm)
	packText(v[C.PGML_PROGRESS_RUNTIME:C.PGML_PROGRESS_RUNTIME+1], p.Runtime)
	packText(v[C.PGML_PROGRESS_UNIT:C.PGML_PROGRESS_UNIT+1], p.Unit)
	v[C.PGML_PROGRESS_DONE] = C.int64_t(p.Done)
	v[C.PGML_PROGRESS_TOTAL] = C.int64_t(p.Total)
	v[C.PGML_PROGRESS_SEARCH] = C.int64_t(packFields([]int{p.Fold, p.Folds, p.Candidate, p.Candidates}, []uint{16, 16, 16, 16}))
	v[C.PGML_PROGRESS_STARTED] = C.int64_t(timestampTz(p.Started))
	v[C.PGML_PROGRESS_PHASE_STARTED] = C.int64_t(timestampTz(p.PhaseStarted))
	v[C.PGML_PROGRESS_ESTIMATED_END] = C.int64_t(timestampTz(p.EstimatedEnd))
	// The slot holds a phase as its position + 1 (shim_progress.c's phase_names).
	phase := 0
	for i, name := range lifecycle.Phases {
		if name == p.Phase {
			phase = i + 1
		}
	}
	v[C.PGML_PROGRESS_SHAPE] = C.int64_t(packFields([]int{phase, p.Features, p.TrainRows}, []uint{8, 24, 32}))
	C.pgml_progress_publish(&v[0])
}

// packFields packs values high to low into 64 bits, each in its width, saturated: a count
// too large for its field shows as the field's largest value.
func packFields(values []int, widths []uint) uint64 {
	var packed uint64
	for i, v := range values {
		limit := uint64(1)<<widths[i] - 1
		packed = packed<<widths[i] | min(uint64(max(v, 0)), limit)
	}
	return packed
}

// EndProgress frees the slot: the training leaves pgml.training_progress.
func (spiStore) EndProgress() {
	C.pgml_progress_end()
}
