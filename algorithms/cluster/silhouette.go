package cluster

import (
	"context"
	"math"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Silhouette is the mean silhouette coefficient of the rows of x labelled
// by labels (any float values; equal values form a cluster), with euclidean
// distances, like sklearn.metrics.silhouette_score without sampling. For a
// row at mean distance a from the rest of its cluster and b from the nearest
// other cluster it is (b−a)/max(a,b); rows alone in their cluster count 0.
//
// sklearn raises an error unless there are between 2 and n−1 distinct
// labels; Silhouette returns NaN instead, as it does when the lengths of x
// and labels disagree. It takes O(n²·p) time and O(n·k) memory, fine for
// some tens of thousands of rows; SilhouetteContext can be stopped.
func Silhouette(x algorithms.Matrix, labels []float64) float64 {
	s, _ := SilhouetteContext(context.Background(), x, labels)
	return s
}

// SilhouetteContext is Silhouette that returns ctx.Err() once ctx is done,
// checking after every row's distances.
func SilhouetteContext(ctx context.Context, x algorithms.Matrix, labels []float64) (float64, error) {
	n, p := x.Rows, x.Cols
	if n != len(labels) || len(x.Data) != n*p || p == 0 {
		return math.NaN(), nil
	}
	cluster, k := denseLabels(labels)
	if k < 2 || k > n-1 {
		return math.NaN(), nil
	}
	size := make([]float64, k)
	for _, c := range cluster {
		size[c]++
	}
	// sums[i*k+c] is the total distance from row i to the rows of cluster
	// c; each distance is computed once and added to both rows.
	sums := make([]float64, n*k)
	check := cancel.New(ctx)
	for i := 0; i < n; i++ {
		if err := check.Add(3 * (n - i) * p); err != nil {
			return math.NaN(), err
		}
		row, ci := x.Row(i), cluster[i]
		for j := i + 1; j < n; j++ {
			d := math.Sqrt(squaredDistance(row, x.Row(j)))
			sums[i*k+cluster[j]] += d
			sums[j*k+ci] += d
		}
	}
	total := 0.0
	for i := 0; i < n; i++ {
		c := cluster[i]
		if size[c] == 1 {
			continue
		}
		intra := sums[i*k+c] / (size[c] - 1)
		inter := math.Inf(1)
		for o := 0; o < k; o++ {
			if o != c {
				inter = math.Min(inter, sums[i*k+o]/size[o])
			}
		}
		if denom := math.Max(intra, inter); denom > 0 {
			total += (inter - intra) / denom
		}
	}
	return total / float64(n), nil
}

// denseLabels maps the distinct values of labels, in sorted order, to
// 0..k-1.
func denseLabels(labels []float64) ([]int, int) {
	distinct := append([]float64(nil), labels...)
	sort.Float64s(distinct)
	k := 0
	for i, v := range distinct {
		if i == 0 || v != distinct[k-1] {
			distinct[k] = v
			k++
		}
	}
	distinct = distinct[:k]
	out := make([]int, len(labels))
	for i, v := range labels {
		out[i] = sort.SearchFloat64s(distinct, v)
	}
	return out, k
}
