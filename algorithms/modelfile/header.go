package modelfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/pgml-go/pgml/algorithms"
)

// Magic opens every model file.
const Magic = "PGMLMODL"

// Version is the format version written by this package. Readers reject newer
// versions because a newer writer may have changed any payload.
const Version uint16 = 1

const maxNameLen = 255

// Header identifies the estimator whose payload follows it.
type Header struct {
	Algorithm string
	Task      algorithms.Task
}

// ErrNotModel is returned for bytes that do not start with Magic.
var ErrNotModel = errors.New("modelfile: not a pgml model (bad magic bytes)")

// NewEncoder starts a model file with h; the payload is appended to it.
func NewEncoder(h Header) *Encoder {
	e := &Encoder{buf: make([]byte, 0, 64)}
	e.buf = append(e.buf, Magic...)
	e.buf = binary.LittleEndian.AppendUint16(e.buf, Version)
	e.buf = binary.LittleEndian.AppendUint16(e.buf, uint16(len(h.Algorithm)))
	e.buf = append(e.buf, h.Algorithm...)
	e.buf = append(e.buf, uint8(h.Task))
	return e
}

// ReadHeader parses the header of b and returns it with the payload that
// follows, which shares storage with b.
func ReadHeader(b []byte) (Header, []byte, error) {
	if len(b) < len(Magic) || string(b[:len(Magic)]) != Magic {
		return Header{}, nil, ErrNotModel
	}
	d := NewDecoder(b[len(Magic):])
	version := d.Uint16()
	if d.Err() == nil && version != Version {
		if version > Version {
			return Header{}, nil, fmt.Errorf("modelfile: format version %d is newer than the supported version %d; upgrade pgml to load this model", version, Version)
		}
		return Header{}, nil, fmt.Errorf("modelfile: unknown format version %d (supported: %d)", version, Version)
	}
	nameLen := int(d.Uint16())
	if d.Err() == nil && nameLen > maxNameLen {
		return Header{}, nil, fmt.Errorf("modelfile: corrupt header: algorithm name of %d bytes", nameLen)
	}
	name := string(d.bytes(nameLen))
	task := algorithms.Task(d.Uint8())
	if err := d.Err(); err != nil {
		return Header{}, nil, fmt.Errorf("modelfile: truncated header: %w", err)
	}
	if name == "" || !utf8.ValidString(name) {
		return Header{}, nil, fmt.Errorf("modelfile: corrupt header: invalid algorithm name %q", name)
	}
	if !task.Valid() {
		return Header{}, nil, fmt.Errorf("modelfile: corrupt header: unknown task %d", int(task))
	}
	return Header{Algorithm: name, Task: task}, d.b, nil
}
