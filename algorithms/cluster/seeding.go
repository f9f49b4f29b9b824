package cluster

import (
	"context"
	"math"
	"math/rand"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// seedingSpace is the per-row scratch of k-means++, allocated once for all
// of a fit's seedings.
type seedingSpace struct {
	closest, cumulative, candidate, bestClosest []float64
}

func newSeedingSpace(n int) *seedingSpace {
	return &seedingSpace{make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
}

// initialCentres returns k rows of x chosen as first centres.
func initialCentres(ctx context.Context, x algorithms.Matrix, k int, init Init, rng *rand.Rand, ws *seedingSpace) ([]float64, error) {
	if init == InitRandom {
		centres := make([]float64, 0, k*x.Cols)
		for _, i := range rng.Perm(x.Rows)[:k] {
			centres = append(centres, x.Row(i)...)
		}
		return centres, nil
	}
	return kMeansPlusPlus(ctx, x, k, rng, ws)
}

// kMeansPlusPlus is sklearn's greedy k-means++ (Arthur and Vassilvitskii,
// 2007): each new centre is drawn with probability proportional to the
// squared distance to the nearest chosen centre, but 2+⌊ln k⌋ candidates are
// drawn and the one that lowers the total squared distance most is kept,
// which avoids most of the bad seedings plain k-means++ makes.
func kMeansPlusPlus(ctx context.Context, x algorithms.Matrix, k int, rng *rand.Rand, ws *seedingSpace) ([]float64, error) {
	n, p := x.Rows, x.Cols
	trials := 2 + int(math.Log(float64(k)))
	centres := make([]float64, 0, k*p)
	first := rng.Intn(n)
	centres = append(centres, x.Row(first)...)

	check := cancel.New(ctx)
	closest := ws.closest // squared distance to the nearest centre
	potential := 0.0
	for i := range closest {
		if err := check.Add(3 * p); err != nil {
			return nil, err
		}
		closest[i] = squaredDistance(x.Row(i), x.Row(first))
		potential += closest[i]
	}
	cumulative, candidate, bestClosest := ws.cumulative, ws.candidate, ws.bestClosest
	for len(centres) < k*p {
		if err := check.Add(n); err != nil {
			return nil, err
		}
		sum := 0.0
		for i, d := range closest {
			sum += d
			cumulative[i] = sum
		}
		bestIndex, bestPotential := -1, math.Inf(1)
		for t := 0; t < trials; t++ {
			// When every point already coincides with a centre the
			// potential is 0 and any point will do.
			target := rng.Float64() * sum
			c := sort.SearchFloat64s(cumulative, target)
			if c >= n {
				c = n - 1
			}
			pot := 0.0
			for i := range candidate {
				if err := check.Add(3 * p); err != nil {
					return nil, err
				}
				candidate[i] = math.Min(closest[i], squaredDistance(x.Row(i), x.Row(c)))
				pot += candidate[i]
			}
			if pot < bestPotential {
				bestIndex, bestPotential = c, pot
				copy(bestClosest, candidate)
			}
		}
		centres = append(centres, x.Row(bestIndex)...)
		copy(closest, bestClosest)
	}
	return centres, nil
}
