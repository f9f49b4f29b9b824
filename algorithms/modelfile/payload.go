package modelfile

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// ErrTruncated is wrapped by decoding errors when the input ends early.
var ErrTruncated = errors.New("unexpected end of data")

// Encoder appends little-endian values to a model file.
type Encoder struct {
	buf []byte
	// check, when set, is consulted as bytes are written; err keeps the
	// context's error, after which writes are dropped.
	check *cancel.Checker
	err   error
}

// WithContext makes e stop writing once ctx is done (a forest of millions
// of nodes takes seconds to encode); Err then reports why.
func (e *Encoder) WithContext(ctx context.Context) *Encoder {
	e.check = cancel.New(ctx)
	if err := e.check.Err(); err != nil {
		e.err = err
	}
	return e
}

// Grow makes room for n more bytes, so that a file of known size is
// written without the copies of a growing buffer. The room is allocated,
// not written: slices.Grow appends zeroes, which faults in every page of a
// large buffer in one uninterruptible step (0.45 s for a 144 MB knn model);
// here pages are touched as values are written, between context checks.
func (e *Encoder) Grow(n int) {
	if cap(e.buf)-len(e.buf) >= n {
		return
	}
	buf := make([]byte, len(e.buf), max(len(e.buf)+n, 2*cap(e.buf)))
	copy(buf, e.buf)
	e.buf = buf
}

// Err is the context's error if it stopped the encoding.
func (e *Encoder) Err() error { return e.err }

// Bytes returns the encoded file.
func (e *Encoder) Bytes() []byte { return e.buf }

// writing reports whether n more bytes may be written.
func (e *Encoder) writing(n int) bool {
	if e.check == nil {
		return true
	}
	if e.err != nil {
		return false
	}
	if err := e.check.Add(n); err != nil {
		e.err = err
		return false
	}
	return true
}

func (e *Encoder) Uint8(v uint8) {
	if e.writing(1) {
		e.buf = append(e.buf, v)
	}
}

func (e *Encoder) Uint32(v uint32) {
	if e.writing(4) {
		e.buf = binary.LittleEndian.AppendUint32(e.buf, v)
	}
}

func (e *Encoder) Float64(v float64) {
	if e.writing(8) {
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v))
	}
}

// Float64s writes len(v) as a uint32 and then the values.
func (e *Encoder) Float64s(v []float64) {
	e.Uint32(uint32(len(v)))
	e.Float64Values(v)
}

// float64Run is how many values Float64Values writes between two consultations of the
// context: a checker's call per value made encoding 144 MB of knn rows take 3 s.
const float64Run = 1 << 14

// Float64Values writes the values of v, without a length.
func (e *Encoder) Float64Values(v []float64) {
	e.Grow(8 * len(v))
	for len(v) > 0 {
		n := min(len(v), float64Run)
		if !e.writing(8 * n) {
			return
		}
		for _, f := range v[:n] {
			e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(f))
		}
		v = v[n:]
	}
}

// Decoder reads little-endian values. The first failure is sticky: later
// reads return zero values and Err reports that failure, so callers check
// once at the end.
type Decoder struct {
	b   []byte
	err error
}

// NewDecoder reads from b.
func NewDecoder(b []byte) *Decoder { return &Decoder{b: b} }

// Err returns the first decoding failure.
func (d *Decoder) Err() error { return d.err }

// Finish returns Err, or an error if unread bytes remain, since trailing
// garbage means the payload is not what its writer produced.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%d unexpected trailing bytes", len(d.b))
	}
	return nil
}

// More reports whether unread bytes remain (and nothing failed): a payload that grew a
// trailing section reads it only when its writer wrote one.
func (d *Decoder) More() bool { return d.err == nil && len(d.b) != 0 }

// Fail records err unless a failure was already recorded.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *Decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.err = ErrTruncated
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *Decoder) Uint8() uint8 {
	b := d.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *Decoder) Uint16() uint16 {
	b := d.bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

func (d *Decoder) Uint32() uint32 {
	b := d.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *Decoder) Float64() float64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// Float64s reads a slice written by Encoder.Float64s. The length is checked
// against the remaining input before allocating, so a corrupt length cannot
// exhaust memory.
func (d *Decoder) Float64s() []float64 {
	n := int(d.Uint32())
	if d.err != nil {
		return nil
	}
	if n > len(d.b)/8 {
		d.err = fmt.Errorf("slice of %d values: %w", n, ErrTruncated)
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = d.Float64()
	}
	return v
}
