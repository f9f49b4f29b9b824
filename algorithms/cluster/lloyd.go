package cluster

import (
	"context"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// lloydResult is the outcome of one k-means run.
type lloydResult struct {
	centres    []float64
	inertia    float64
	iterations int
}

// lloyd refines centres (modified in place) by Lloyd's algorithm, as
// sklearn's _kmeans_single_lloyd: it stops when no label changes or when the
// total squared shift of the centres is at most tol, and then labels the
// points with the final centres.
// labels and distances (n each) are scratch the runs of a fit share.
func lloyd(ctx context.Context, x algorithms.Matrix, centres []float64, maxIter int, tol float64, labels []int, distances []float64) (lloydResult, error) {
	n, p := x.Rows, x.Cols
	k := len(centres) / p
	next := make([]float64, len(centres))
	counts := make([]int, k)
	for i := range labels {
		labels[i] = -1
	}
	iter := 0
	converged := false
	check := cancel.New(ctx)
	// Assigning a row compares it with every centre.
	rowWork := 3 * k * p
	for iter < maxIter {
		if err := check.Err(); err != nil {
			return lloydResult{}, err
		}
		iter++
		changed := false
		for i := 0; i < n; i++ {
			if err := check.Add(rowWork); err != nil {
				return lloydResult{}, err
			}
			c, d := nearestCentre(x.Row(i), centres)
			if c != labels[i] {
				changed = true
			}
			labels[i], distances[i] = c, d
		}
		if err := check.Add(n * (p + 2)); err != nil {
			return lloydResult{}, err
		}
		updateCentres(x, labels, distances, next, counts)
		shift := 0.0
		for j, v := range next {
			d := v - centres[j]
			shift += d * d
		}
		copy(centres, next)
		// The labels were computed with the previous centres; unchanged
		// labels mean those centres were already the means.
		if !changed {
			converged = true
			break
		}
		if shift <= tol {
			break
		}
	}
	inertia := 0.0
	if !converged {
		for i := 0; i < n; i++ {
			if err := check.Add(rowWork); err != nil {
				return lloydResult{}, err
			}
			labels[i], distances[i] = nearestCentre(x.Row(i), centres)
		}
	}
	for i := 0; i < n; i++ {
		if err := check.Add(3 * p); err != nil {
			return lloydResult{}, err
		}
		if converged {
			distances[i] = squaredDistance(x.Row(i), centres[labels[i]*p:(labels[i]+1)*p])
		}
		inertia += distances[i]
	}
	return lloydResult{centres: centres, inertia: inertia, iterations: iter}, nil
}

// updateCentres writes the mean of each cluster into centres. A cluster
// left empty takes the point farthest from its own centre (distances holds
// squared distances to the assigned centres), which is moved out of its
// cluster, as sklearn's _relocate_empty_clusters does.
func updateCentres(x algorithms.Matrix, labels []int, distances, centres []float64, counts []int) {
	p := x.Cols
	for j := range centres {
		centres[j] = 0
	}
	for c := range counts {
		counts[c] = 0
	}
	for i, c := range labels {
		counts[c]++
		row, centre := x.Row(i), centres[c*p:(c+1)*p]
		for j, v := range row {
			centre[j] += v
		}
	}
	var empty []int
	for c, m := range counts {
		if m == 0 {
			empty = append(empty, c)
		}
	}
	if len(empty) > 0 {
		far := make([]int, len(labels))
		for i := range far {
			far[i] = i
		}
		sort.SliceStable(far, func(a, b int) bool { return distances[far[a]] > distances[far[b]] })
		for e, c := range empty {
			i := far[e]
			old := labels[i]
			row := x.Row(i)
			for j, v := range row {
				centres[old*p+j] -= v
				centres[c*p+j] = v
			}
			counts[old]--
			counts[c] = 1
			labels[i] = c
		}
	}
	for c, m := range counts {
		if m == 0 {
			continue // only when there are fewer distinct points than clusters
		}
		inv := 1 / float64(m)
		for j := c * p; j < (c+1)*p; j++ {
			centres[j] *= inv
		}
	}
}
