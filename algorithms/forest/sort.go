package forest

import "math/bits"

// sortByValue sorts values ascending and applies the same permutation to
// samples. It is sklearn's introsort: a median-of-three quicksort with a
// three-way partition, because feature columns often repeat one value (zero
// pixels, binary flags) and a two-way partition degrades on them, with a
// heapsort fallback bounding the worst case.
func sortByValue(values []float32, samples []int32) {
	if len(values) > 1 {
		introsort(values, samples[:len(values)], 2*bits.Len(uint(len(values))))
	}
}

// Below this length insertion sort beats partitioning.
const insertionSortMax = 16

func introsort(v []float32, s []int32, depthLimit int) {
	for len(v) > insertionSortMax {
		if depthLimit <= 0 {
			heapsort(v, s)
			return
		}
		depthLimit--
		pivot := median3(v)
		// Invariant: v[:lt] < pivot, v[lt:i] == pivot, v[gt:] > pivot.
		lt, i, gt := 0, 0, len(v)
		for i < gt {
			switch {
			case v[i] < pivot:
				v[i], v[lt] = v[lt], v[i]
				s[i], s[lt] = s[lt], s[i]
				i++
				lt++
			case v[i] > pivot:
				gt--
				v[i], v[gt] = v[gt], v[i]
				s[i], s[gt] = s[gt], s[i]
			default:
				i++
			}
		}
		// Recurse into the smaller side so the stack stays logarithmic.
		if lt < len(v)-gt {
			introsort(v[:lt], s[:lt], depthLimit)
			v, s = v[gt:], s[gt:]
		} else {
			introsort(v[gt:], s[gt:], depthLimit)
			v, s = v[:lt], s[:lt]
		}
	}
	insertionSort(v, s)
}

func median3(v []float32) float32 {
	a, b, c := v[0], v[len(v)/2], v[len(v)-1]
	if a < b {
		if b < c {
			return b
		} else if a < c {
			return c
		}
		return a
	}
	if a < c {
		return a
	} else if b < c {
		return c
	}
	return b
}

func insertionSort(v []float32, s []int32) {
	for i := 1; i < len(v); i++ {
		x, xs := v[i], s[i]
		j := i
		for ; j > 0 && v[j-1] > x; j-- {
			v[j], s[j] = v[j-1], s[j-1]
		}
		v[j], s[j] = x, xs
	}
}

func heapsort(v []float32, s []int32) {
	n := len(v)
	for start := n/2 - 1; start >= 0; start-- {
		siftDown(v, s, start, n)
	}
	for end := n - 1; end > 0; end-- {
		v[0], v[end] = v[end], v[0]
		s[0], s[end] = s[end], s[0]
		siftDown(v, s, 0, end)
	}
}

func siftDown(v []float32, s []int32, root, end int) {
	for {
		child := 2*root + 1
		if child >= end {
			return
		}
		if child+1 < end && v[child] < v[child+1] {
			child++
		}
		if v[root] >= v[child] {
			return
		}
		v[root], v[child] = v[child], v[root]
		s[root], s[child] = s[child], s[root]
		root = child
	}
}
