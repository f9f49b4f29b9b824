package boosting

import (
	"math/bits"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// binnedData is the training matrix with every value replaced by the index
// of its bin, stored column by column so a histogram pass over one feature
// reads contiguous bytes.
type binnedData struct {
	rows, cols int
	// bins[f*rows+i] is the bin of row i in feature f.
	bins []uint8
	// edges[f] are feature f's ascending bin boundaries: bin b holds the
	// values in (edges[f][b-1], edges[f][b]], so there are len(edges[f])+1
	// bins and x <= edges[f][b] exactly when x falls in a bin <= b.
	edges [][]float64
	// offset[f] is where feature f's bins start in a histogram.
	offset []int
	// totalBins is the length of a histogram over all features.
	totalBins int
}

// binFeatures computes bin edges as sklearn's HistGradientBoosting does:
// midpoints between consecutive distinct values when there are at most
// maxBins of them, otherwise the midpoint-interpolated quantiles at
// 1/maxBins, …, (maxBins−1)/maxBins with duplicates removed. Unlike sklearn
// every row is used, not a random 200,000, so binning needs no seed.
// Sorting every column of a large table takes a while, so ctx is checked
// between features.
func binFeatures(check *cancel.Checker, x algorithms.Matrix, maxBins int) (*binnedData, error) {
	d := &binnedData{
		rows:   x.Rows,
		cols:   x.Cols,
		bins:   make([]uint8, x.Rows*x.Cols),
		edges:  make([][]float64, x.Cols),
		offset: make([]int, x.Cols+1),
	}
	sorted, buf := make([]float64, x.Rows), make([]float64, x.Rows)
	for f := 0; f < x.Cols; f++ {
		if err := check.Add(4 * x.Rows); err != nil {
			return nil, err
		}
		for i := range sorted {
			sorted[i] = x.Data[i*x.Cols+f]
		}
		if err := cancel.SortFloat64s(check, sorted, buf); err != nil {
			return nil, err
		}
		d.edges[f] = binEdges(sorted, maxBins)
		out := d.bins[f*x.Rows : (f+1)*x.Rows]
		edges := d.edges[f]
		searchWork := bits.Len(uint(len(edges))) + 2
		const chunk = 1 << 14
		for lo := 0; lo < x.Rows; lo += chunk {
			hi := min(lo+chunk, x.Rows)
			if err := check.Add((hi - lo) * searchWork); err != nil {
				return nil, err
			}
			for i := lo; i < hi; i++ {
				out[i] = uint8(sort.SearchFloat64s(edges, x.Data[i*x.Cols+f]))
			}
		}
		d.offset[f+1] = d.offset[f] + len(d.edges[f]) + 1
	}
	d.totalBins = d.offset[x.Cols]
	return d, nil
}

// binEdges returns the edges for one feature's sorted values.
func binEdges(sorted []float64, maxBins int) []float64 {
	distinct := 1
	for i := 1; i < len(sorted) && distinct <= maxBins; i++ {
		if sorted[i] != sorted[i-1] {
			distinct++
		}
	}
	if distinct <= maxBins {
		edges := make([]float64, 0, distinct-1)
		for i := 1; i < len(sorted); i++ {
			if a, b := sorted[i-1], sorted[i]; b != a {
				edges = append(edges, a+(b-a)/2)
			}
		}
		return edges
	}
	edges := make([]float64, 0, maxBins-1)
	n := float64(len(sorted))
	for q := 1; q < maxBins; q++ {
		// numpy's percentile(method="midpoint"): halfway between the two
		// order statistics around the fractional rank.
		rank := float64(q) / float64(maxBins) * (n - 1)
		lo := int(rank)
		hi := min(lo+1, len(sorted)-1)
		if float64(lo) == rank {
			hi = lo
		}
		e := sorted[lo] + (sorted[hi]-sorted[lo])/2
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	return edges
}

// column returns feature f's bins.
func (d *binnedData) column(f int) []uint8 { return d.bins[f*d.rows : (f+1)*d.rows] }

// numBins is feature f's bin count.
func (d *binnedData) numBins(f int) int { return len(d.edges[f]) + 1 }
