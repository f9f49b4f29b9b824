package cancel

import "slices"

// sortRun is how many values SortFloat64s sorts in one step.
const sortRun = 1 << 15

// SortFloat64s sorts v ascending like slices.Sort, adding the work to check
// between steps (runs of 32k values sorted one at a time, then merged
// pairwise), so that sorting millions of values stops within milliseconds
// of a cancel instead of after the whole sort. buf is scratch of len(v)
// values. NaN, which training data never holds, sorts anywhere.
func SortFloat64s(check *Checker, v, buf []float64) error {
	n := len(v)
	for lo := 0; lo < n; lo += sortRun {
		hi := min(lo+sortRun, n)
		if err := check.Add(16 * (hi - lo)); err != nil {
			return err
		}
		slices.Sort(v[lo:hi])
	}
	if n <= sortRun {
		return nil
	}
	src, dst := v, buf[:n]
	for width := sortRun; width < n; width *= 2 {
		for lo := 0; lo < n; lo += 2 * width {
			mid, hi := min(lo+width, n), min(lo+2*width, n)
			if err := check.Add(2 * (hi - lo)); err != nil {
				return err
			}
			merge(dst[lo:hi], src[lo:mid], src[mid:hi])
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
	return nil
}

// merge writes the sorted a and b into dst, which holds len(a)+len(b).
func merge(dst, a, b []float64) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if b[j] < a[i] {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}
