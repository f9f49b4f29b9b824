package modelfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

func encodeSample() []byte {
	e := NewEncoder(Header{Algorithm: "linear", Task: algorithms.Classification})
	e.Uint32(3)
	e.Float64s([]float64{1.5, -2, 0})
	e.Uint8(7)
	return e.Bytes()
}

func TestRoundTrip(t *testing.T) {
	b := encodeSample()
	h, payload, err := ReadHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	if h.Algorithm != "linear" || h.Task != algorithms.Classification {
		t.Errorf("header = %+v", h)
	}
	d := NewDecoder(payload)
	n := d.Uint32()
	v := d.Float64s()
	tag := d.Uint8()
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	if n != 3 || len(v) != 3 || v[0] != 1.5 || v[1] != -2 || v[2] != 0 || tag != 7 {
		t.Errorf("decoded %d %v %d", n, v, tag)
	}
}

func TestLayout(t *testing.T) {
	b := encodeSample()
	if !bytes.HasPrefix(b, []byte("PGMLMODL")) {
		t.Fatalf("missing magic: %q", b[:8])
	}
	if v := binary.LittleEndian.Uint16(b[8:]); v != 1 {
		t.Errorf("version = %d, want 1", v)
	}
	if n := binary.LittleEndian.Uint16(b[10:]); n != 6 || string(b[12:18]) != "linear" {
		t.Errorf("name = %d %q", n, b[12:18])
	}
	if b[18] != uint8(algorithms.Classification) {
		t.Errorf("task byte = %d", b[18])
	}
}

func TestRejects(t *testing.T) {
	good := encodeSample()
	newer := append([]byte(nil), good...)
	binary.LittleEndian.PutUint16(newer[8:], 2)
	badTask := append([]byte(nil), good...)
	badTask[18] = 9
	cases := map[string]struct {
		b    []byte
		want string
	}{
		"empty":     {nil, "magic"},
		"magic":     {[]byte("PGMLMODX\x01\x00"), "magic"},
		"newer":     {newer, "newer"},
		"truncated": {good[:15], "truncated"},
		"task":      {badTask, "task"},
	}
	for name, c := range cases {
		_, _, err := ReadHeader(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want one mentioning %q", name, err, c.want)
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	e := &Encoder{}
	e.Uint32(1 << 30) // a length far beyond the data
	d := NewDecoder(e.Bytes())
	if v := d.Float64s(); v != nil || !errors.Is(d.Err(), ErrTruncated) {
		t.Errorf("Float64s with corrupt length = %v, %v", v, d.Err())
	}
	d = NewDecoder([]byte{1, 2, 3})
	d.Uint16()
	if err := d.Finish(); err == nil {
		t.Error("Finish ignored a trailing byte")
	}
}
