package memsize

import (
	"runtime"
	"testing"
	"unsafe"
)

type node struct {
	left, right *node
	values      []float64
}

type withForeign struct {
	handle unsafe.Pointer // memory Go does not own
	weight []float64
}

func TestOfCountsEachAllocationOnce(t *testing.T) {
	data := make([]float64, 1000)
	rows := [][]float64{data[:500], data[500:], data[250:750]} // views into data
	shared := &node{values: make([]float64, 10)}
	cyclic := &node{}
	cyclic.left, cyclic.right = cyclic, cyclic
	strings := []string{"abcdef", "abcdef"[1:3]}
	cases := []struct {
		name string
		v    any
		want int64
	}{
		{"nil", nil, 0},
		{"slice", data, 24 + 8000},
		{"pointer to slice", &data, 24 + 8000},
		{"sub-slices of one array", rows, 24 + 3*24 + 8000},
		{"shared pointer", []*node{shared, shared}, 24 + 2*8 + 40 + 80},
		{"cycle", cyclic, 40},
		{"strings sharing bytes", strings, 24 + 2*16 + 6},
		{"foreign memory skipped", &withForeign{handle: unsafe.Pointer(&data[0]), weight: make([]float64, 4)}, 32 + 32},
		{"pointer-free array inline", &struct{ a [100]int32 }{}, 400},
	}
	for _, c := range cases {
		if got := Of(c.v); got != c.want {
			t.Errorf("%s: Of = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestOfMapIsWithinFactorOfHeap(t *testing.T) {
	const n = 20000
	before := LiveHeap()
	m := make(map[string]float64)
	for i := 0; i < n; i++ {
		m[string(rune('a'+i%26))+string(rune(0x4e00+i))] = float64(i)
	}
	grown := LiveHeap() - before
	est := Of(m)
	runtime.KeepAlive(m)
	if est*2 < grown || est > grown*2 {
		t.Errorf("map of %d strings: estimate %d bytes, heap grew %d", n, est, grown)
	}
}
