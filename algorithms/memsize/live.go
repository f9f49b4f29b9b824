package memsize

import "runtime"

// LiveHeap collects garbage and returns the bytes of live Go heap: what an estimate by Of is
// checked against, as the growth of LiveHeap while values are kept alive.
func LiveHeap() int64 {
	runtime.GC()
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	return int64(s.HeapAlloc)
}
