package cluster

import (
	"context"
	"math"
	"math/rand"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// MiniBatchKMeansName is the registry name of MiniBatchKMeans.
const MiniBatchKMeansName = "mini_batch_kmeans"

// MiniBatchKMeans is a fitted sklearn.cluster.MiniBatchKMeans.
type MiniBatchKMeans struct {
	centroids
	steps int
}

// Algorithm returns MiniBatchKMeansName.
func (m *MiniBatchKMeans) Algorithm() string { return MiniBatchKMeansName }

// Steps is the number of mini-batches processed before stopping.
func (m *MiniBatchKMeans) Steps() int { return m.steps }

// FitMiniBatchKMeans clusters the rows of x with Sculley's (2010) mini-batch
// k-means, following sklearn 1.2: n_init seedings are computed on one random
// sample of 3×batch_size rows and the best on that sample is kept; then
// max_iter epochs of random batches (drawn with replacement) move each
// centre towards the mean of all points it has seen, with the per-centre
// learning rate 1/count. Clusters that receive little data (fewer than
// reassignment_ratio times the largest count) are periodically moved to
// random batch points. It stops early when the smoothed batch inertia has
// not improved for max_no_improvement batches, or when the centres move by
// at most tol (relative to the mean feature variance; 0 disables it).
func FitMiniBatchKMeans(ctx context.Context, x algorithms.Matrix, hp algorithms.Hyperparams) (*MiniBatchKMeans, error) {
	cfg, err := parseMiniBatch(hp)
	if err != nil {
		return nil, err
	}
	if err := checkTrainingData(ctx, x, cfg.numClusters); err != nil {
		return nil, err
	}
	n, p, k := x.Rows, x.Cols, cfg.numClusters
	batchSize := min(cfg.batchSize, n)
	initSize := 3 * batchSize
	if initSize < k {
		initSize = 3 * k
	}
	initSize = min(initSize, n)
	tol, err := scaledTolerance(ctx, x, cfg.tol)
	if err != nil {
		return nil, err
	}
	check := cancel.New(ctx)
	if err := check.Err(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewSource(cfg.seed))

	// Seed on one sample and compare the seedings' inertia on it.
	sample := gatherRows(x, randomRows(rng, n, initSize))
	var centres []float64
	bestInertia := math.Inf(1)
	seeding := newSeedingSpace(sample.Rows)
	for run := 0; run < cfg.numInit; run++ {
		c, err := initialCentres(ctx, sample, k, cfg.init, rng, seeding)
		if err != nil {
			return nil, err
		}
		inertia, err := totalInertia(check, sample, c)
		if err != nil {
			return nil, err
		}
		if inertia < bestInertia {
			centres, bestInertia = c, inertia
		}
	}

	s := miniBatchState{
		x: x, k: k, rng: rng, ratio: cfg.reassignmentRatio,
		centres: centres, counts: make([]float64, k),
		labels: make([]int, batchSize), sums: make([]float64, k*p), batchCounts: make([]float64, k),
	}
	steps := cfg.maxIter * n / batchSize
	stopper := earlyStopping{alpha: math.Min(float64(batchSize)*2/float64(n+1), 1), patience: cfg.maxNoImprovement}
	previous := make([]float64, len(centres))
	batch := make([]int, batchSize)
	done := 0
	for step := 0; step < steps; step++ {
		if err := check.Add(batchSize * (3*k*p + p)); err != nil {
			return nil, err
		}
		for i := range batch {
			batch[i] = rng.Intn(n)
		}
		copy(previous, s.centres)
		batchInertia := s.step(batch, batchSize)
		done = step + 1
		shift := 0.0
		if tol > 0 {
			for j, v := range s.centres {
				d := v - previous[j]
				shift += d * d
			}
		}
		if step > 0 && stopper.stop(batchInertia/float64(batchSize), tol > 0 && shift <= tol) {
			break
		}
	}
	inertia, err := totalInertia(check, x, s.centres)
	if err != nil {
		return nil, err
	}
	return &MiniBatchKMeans{
		centroids: centroids{numFeatures: p, centres: s.centres, inertia: inertia},
		steps:     done,
	}, nil
}

// miniBatchState is the evolving model of FitMiniBatchKMeans.
type miniBatchState struct {
	x       algorithms.Matrix
	k       int
	rng     *rand.Rand
	ratio   float64
	centres []float64
	counts  []float64 // points seen by each centre

	sinceReassign int
	labels        []int
	sums          []float64
	batchCounts   []float64
}

// step moves the centres towards the batch rows and returns the batch
// inertia against the centres before the move (sklearn's _mini_batch_step).
func (s *miniBatchState) step(batch []int, batchSize int) float64 {
	p := s.x.Cols
	inertia := 0.0
	for j := range s.sums {
		s.sums[j] = 0
	}
	for c := range s.batchCounts {
		s.batchCounts[c] = 0
	}
	for b, i := range batch {
		c, d := nearestCentre(s.x.Row(i), s.centres)
		s.labels[b] = c
		inertia += d
		s.batchCounts[c]++
		for j, v := range s.x.Row(i) {
			s.sums[c*p+j] += v
		}
	}
	for c := 0; c < s.k; c++ {
		m := s.batchCounts[c]
		if m == 0 {
			continue
		}
		total := s.counts[c] + m
		centre := s.centres[c*p : (c+1)*p]
		for j := range centre {
			centre[j] = (centre[j]*s.counts[c] + s.sums[c*p+j]) / total
		}
		s.counts[c] = total
	}
	if s.ratio > 0 && s.dueForReassignment(batchSize) {
		s.reassign(batch)
	}
	return inertia
}

// dueForReassignment is sklearn's _random_reassign: reassign when a centre
// has seen no data yet, or after about 10 points per cluster.
func (s *miniBatchState) dueForReassignment(batchSize int) bool {
	s.sinceReassign += batchSize
	empty := false
	for _, c := range s.counts {
		if c == 0 {
			empty = true
		}
	}
	if empty || s.sinceReassign >= 10*s.k {
		s.sinceReassign = 0
		return true
	}
	return false
}

// reassign moves the centres that saw fewer than ratio×(largest count)
// points onto distinct random rows of the batch, so that a centre stuck in
// an empty region gets another chance.
func (s *miniBatchState) reassign(batch []int) {
	largest := 0.0
	for _, c := range s.counts {
		largest = math.Max(largest, c)
	}
	var low []int
	for c, m := range s.counts {
		if m < s.ratio*largest {
			low = append(low, c)
		}
	}
	// Never reassign more than half the batch's worth of centres: keep the
	// ones with the fewest points.
	if limit := len(batch) / 2; len(low) > limit {
		sort.SliceStable(low, func(a, b int) bool { return s.counts[low[a]] < s.counts[low[b]] })
		low = low[:limit]
	}
	if len(low) == 0 {
		return
	}
	minKept := math.Inf(1)
	isLow := make([]bool, s.k)
	for _, c := range low {
		isLow[c] = true
	}
	for c, m := range s.counts {
		if !isLow[c] {
			minKept = math.Min(minKept, m)
		}
	}
	p := s.x.Cols
	picks := s.rng.Perm(len(batch))[:len(low)]
	for r, c := range low {
		copy(s.centres[c*p:(c+1)*p], s.x.Row(batch[picks[r]]))
		// sklearn gives a moved centre the smallest count of the others,
		// so that it neither dominates nor is moved again at once.
		if !math.IsInf(minKept, 1) {
			s.counts[c] = minKept
		}
	}
}

// earlyStopping is sklearn's _mini_batch_convergence: an exponentially
// weighted average of the per-point batch inertia that must keep improving.
type earlyStopping struct {
	alpha     float64
	patience  int // 0: never stop for lack of improvement
	started   bool
	average   float64
	best      float64
	sinceBest int
}

func (e *earlyStopping) stop(batchInertia float64, centresConverged bool) bool {
	if !e.started {
		e.started, e.average, e.best = true, batchInertia, math.Inf(1)
	} else {
		e.average = e.average*(1-e.alpha) + batchInertia*e.alpha
	}
	if centresConverged {
		return true
	}
	if e.average < e.best {
		e.best, e.sinceBest = e.average, 0
	} else {
		e.sinceBest++
	}
	return e.patience > 0 && e.sinceBest >= e.patience
}

func randomRows(rng *rand.Rand, n, size int) []int {
	idx := make([]int, size)
	for i := range idx {
		idx[i] = rng.Intn(n)
	}
	return idx
}

func gatherRows(x algorithms.Matrix, idx []int) algorithms.Matrix {
	data := make([]float64, 0, len(idx)*x.Cols)
	for _, i := range idx {
		data = append(data, x.Row(i)...)
	}
	return algorithms.Matrix{Rows: len(idx), Cols: x.Cols, Data: data}
}

func totalInertia(check *cancel.Checker, x algorithms.Matrix, centres []float64) (float64, error) {
	total := 0.0
	rowWork := 3 * len(centres)
	for i := 0; i < x.Rows; i++ {
		if err := check.Add(rowWork); err != nil {
			return 0, err
		}
		_, d := nearestCentre(x.Row(i), centres)
		total += d
	}
	return total, nil
}
