package treeensemble

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The subset of Universal Binary JSON that XGBoost writes (its
// src/common/json.cc UBJWriter): objects whose keys carry no 'S' marker,
// plain and typed arrays ('[' '$' type '#' count), strings, integers,
// float32 and float64 numbers, booleans and null. The bytes come from
// pgml.files, so the reader trusts nothing: every count is checked against
// the bytes left before anything is allocated, and nesting is bounded.

// maxDepth bounds nesting; XGBoost's models nest about six levels.
const maxDepth = 64

type ubjReader struct {
	b     []byte
	depth int
}

var errTruncated = errors.New("ubjson: truncated")

// parseUBJSON decodes one value that must span all of b. Objects become
// map[string]any, plain arrays []any, typed arrays []float32 ('d'),
// []float64 ('D'), []int64 (any integer type), strings string, integers
// int64, numbers float64, booleans bool and null nil.
func parseUBJSON(b []byte) (any, error) {
	r := &ubjReader{b: b}
	v, err := r.value()
	if err != nil {
		return nil, err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("ubjson: %d bytes after the value", len(r.b))
	}
	return v, nil
}

func (r *ubjReader) take(n int) ([]byte, error) {
	if n < 0 || n > len(r.b) {
		return nil, errTruncated
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p, nil
}

func (r *ubjReader) marker() (byte, error) {
	for {
		p, err := r.take(1)
		if err != nil {
			return 0, err
		}
		if p[0] != 'N' { // no-op
			return p[0], nil
		}
	}
}

// integer reads an integer of the type marker t.
func (r *ubjReader) integer(t byte) (int64, error) {
	switch t {
	case 'i':
		p, err := r.take(1)
		if err != nil {
			return 0, err
		}
		return int64(int8(p[0])), nil
	case 'U':
		p, err := r.take(1)
		if err != nil {
			return 0, err
		}
		return int64(p[0]), nil
	case 'I':
		p, err := r.take(2)
		if err != nil {
			return 0, err
		}
		return int64(int16(binary.BigEndian.Uint16(p))), nil
	case 'l':
		p, err := r.take(4)
		if err != nil {
			return 0, err
		}
		return int64(int32(binary.BigEndian.Uint32(p))), nil
	case 'L':
		p, err := r.take(8)
		if err != nil {
			return 0, err
		}
		return int64(binary.BigEndian.Uint64(p)), nil
	}
	return 0, fmt.Errorf("ubjson: %q is not an integer type", t)
}

// length reads a count or a string length: an integer that must fit in
// the bytes left (each element takes at least one byte).
func (r *ubjReader) length() (int, error) {
	t, err := r.marker()
	if err != nil {
		return 0, err
	}
	n, err := r.integer(t)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > int64(len(r.b)) {
		return 0, fmt.Errorf("ubjson: length %d exceeds the %d bytes left", n, len(r.b))
	}
	return int(n), nil
}

func (r *ubjReader) value() (any, error) {
	t, err := r.marker()
	if err != nil {
		return nil, err
	}
	return r.valueOf(t)
}

func (r *ubjReader) valueOf(t byte) (any, error) {
	switch t {
	case 'Z':
		return nil, nil
	case 'T':
		return true, nil
	case 'F':
		return false, nil
	case 'i', 'U', 'I', 'l', 'L':
		return r.integer(t)
	case 'd':
		p, err := r.take(4)
		if err != nil {
			return nil, err
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(p))), nil
	case 'D':
		p, err := r.take(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(p)), nil
	case 'C':
		p, err := r.take(1)
		if err != nil {
			return nil, err
		}
		return string(p), nil
	case 'S':
		return r.str()
	case '[':
		return r.nested(r.array)
	case '{':
		return r.nested(r.object)
	}
	return nil, fmt.Errorf("ubjson: unknown type marker %q", t)
}

func (r *ubjReader) str() (string, error) {
	n, err := r.length()
	if err != nil {
		return "", err
	}
	p, err := r.take(n)
	return string(p), err
}

func (r *ubjReader) nested(read func() (any, error)) (any, error) {
	if r.depth >= maxDepth {
		return nil, errors.New("ubjson: nested too deeply")
	}
	r.depth++
	defer func() { r.depth-- }()
	return read()
}

// elementSize is the size of one element of a typed array, for the check
// of its count against the bytes left (0: variable, at least 1).
func elementSize(t byte) int {
	switch t {
	case 'i', 'U', 'C':
		return 1
	case 'I':
		return 2
	case 'l', 'd':
		return 4
	case 'L', 'D':
		return 8
	case 'Z', 'T', 'F':
		return 0 // no payload per element
	}
	return 1
}

func (r *ubjReader) array() (any, error) {
	if len(r.b) > 0 && r.b[0] == '$' {
		r.b = r.b[1:]
		t, err := r.marker()
		if err != nil {
			return nil, err
		}
		if p, err := r.take(1); err != nil || p[0] != '#' {
			return nil, errors.New("ubjson: typed array without a count")
		}
		return r.typedArray(t)
	}
	count := -1
	if len(r.b) > 0 && r.b[0] == '#' {
		r.b = r.b[1:]
		n, err := r.length()
		if err != nil {
			return nil, err
		}
		count = n
	}
	var out []any
	for i := 0; count < 0 || i < count; i++ {
		t, err := r.marker()
		if err != nil {
			return nil, err
		}
		if count < 0 && t == ']' {
			break
		}
		v, err := r.valueOf(t)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func (r *ubjReader) typedArray(t byte) (any, error) {
	t0, err := r.marker()
	if err != nil {
		return nil, err
	}
	n64, err := r.integer(t0)
	if err != nil {
		return nil, err
	}
	size := elementSize(t)
	if n64 < 0 || (size > 0 && n64 > int64(len(r.b)/size)) || (size == 0 && n64 > int64(len(r.b))+1<<20) {
		return nil, fmt.Errorf("ubjson: typed array of %d elements exceeds the %d bytes left", n64, len(r.b))
	}
	n := int(n64)
	switch t {
	case 'd':
		p, _ := r.take(4 * n)
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(binary.BigEndian.Uint32(p[4*i:]))
		}
		return out, nil
	case 'D':
		p, _ := r.take(8 * n)
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(binary.BigEndian.Uint64(p[8*i:]))
		}
		return out, nil
	case 'i', 'U', 'I', 'l', 'L':
		out := make([]int64, n)
		for i := range out {
			if out[i], err = r.integer(t); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	out := make([]any, 0, min(n, len(r.b)+1))
	for i := 0; i < n; i++ {
		v, err := r.valueOf(t)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (r *ubjReader) object() (any, error) {
	if len(r.b) > 0 && (r.b[0] == '$' || r.b[0] == '#') {
		return nil, errors.New("ubjson: optimized objects are not supported")
	}
	out := map[string]any{}
	for {
		if len(r.b) > 0 && r.b[0] == '}' {
			r.b = r.b[1:]
			return out, nil
		}
		key, err := r.str()
		if err != nil {
			return nil, err
		}
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		out[key] = v
	}
}
