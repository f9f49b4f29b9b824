package lifecycle

import (
	"math"
	"runtime"
	"runtime/debug"
	"sync"
)

// goMemoryLimit is pgml.go_memory_limit in bytes: the Go heap's soft limit between trainings.
var goMemoryLimit int64 = math.MaxInt64

// SetGoMemoryLimit applies pgml.go_memory_limit (bytes; 0 means none).
func SetGoMemoryLimit(bytes int64) {
	goMemoryLimit = math.MaxInt64
	if bytes > 0 {
		goMemoryLimit = bytes
	}
	debug.SetMemoryLimit(goMemoryLimit)
}

// holdHeapTo makes the garbage collector keep the Go heap near bytes beyond what it holds
// now, for a training admitted with that need: garbage of earlier phases is collected
// instead of doubling the heap (the collector's default), so the backend's peak stays close
// to the admitted estimate. The returned function restores the setting (once, however often
// it is called).
func holdHeapTo(bytes int64) func() {
	runtime.GC() // what is live now, not the garbage of reading and splitting
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	limit := min(int64(stats.HeapAlloc)+bytes+heapSlack, goMemoryLimit)
	debug.SetMemoryLimit(limit)
	return sync.OnceFunc(func() { debug.SetMemoryLimit(goMemoryLimit) })
}

// heapSlack is room beyond the estimate for the runtime's own structures and small
// allocations nobody estimates.
const heapSlack = 32 << 20

// ReleaseMemory hands memory freed by a large job back to the OS: Go keeps it otherwise.
func ReleaseMemory() {
	debug.FreeOSMemory()
}
