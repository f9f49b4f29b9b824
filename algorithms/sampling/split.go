package sampling

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Methods are the accepted sampling names.
var Methods = []string{"random", "first", "last", "stratified"}

// Split returns row indices for training and test. testSize <= 1 is a
// fraction (test rows = round(n*testSize), at least one) and > 1 an absolute
// count (truncated to a whole number).
//
// "random" shuffles with seed and takes the test rows from the tail; "last"
// and "first" take them from the end or start in input order; "stratified"
// takes a proportional share of each class, chosen with seed, keeping at
// least one training row of every class that has two or more, and interleaves
// the classes in both outputs. labels may be nil for regression, where
// "stratified" behaves as "random". The result is deterministic for a seed.
func Split(n int, labels []float64, testSize float64, sampling string, seed int64) (train, test []int, err error) {
	return SplitContext(context.Background(), n, labels, testSize, sampling, seed)
}

// SplitContext is Split that returns ctx.Err() once ctx is done: grouping
// and interleaving the classes of a stratified split take time with many
// rows or classes.
func SplitContext(ctx context.Context, n int, labels []float64, testSize float64, sampling string, seed int64) (train, test []int, err error) {
	if !contains(Methods, sampling) {
		return nil, nil, fmt.Errorf("unknown test_sampling %q: allowed values are random, first, last, stratified", sampling)
	}
	if n <= 0 {
		return nil, nil, fmt.Errorf("cannot split %d samples", n)
	}
	if math.IsNaN(testSize) || testSize <= 0 {
		return nil, nil, fmt.Errorf("test_size must be positive, got %v", testSize)
	}
	if labels != nil && len(labels) != n {
		return nil, nil, fmt.Errorf("got %d labels for %d samples", len(labels), n)
	}
	numTest := testRows(n, testSize)
	if numTest >= n {
		return nil, nil, fmt.Errorf("test_size = %v is too large. There are only %d samples.", testSize, n)
	}
	numTrain := n - numTest
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))

	switch sampling {
	case "first":
		return sequence(numTest, n), sequence(0, numTest), nil
	case "last":
		return sequence(0, numTrain), sequence(numTrain, n), nil
	case "stratified":
		if labels != nil {
			return stratified(cancel.New(ctx), labels, numTest, testSize, rng)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	perm := rng.Perm(n)
	return perm[:numTrain:numTrain], perm[numTrain:], nil
}

func testRows(n int, testSize float64) int {
	if testSize > 1 {
		return int(math.Min(testSize, float64(math.MaxInt32)))
	}
	// A positive test_size asks for a test set; rounding must not empty it.
	return max(1, int(math.Round(float64(n)*testSize)))
}

func sequence(from, to int) []int {
	s := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}

// stratified allocates numTest rows to classes by largest remainder of
// their proportional share, capped so that every class keeps a training row.
func stratified(check *cancel.Checker, labels []float64, numTest int, testSize float64, rng *rand.Rand) (train, test []int, err error) {
	if err := check.Err(); err != nil {
		return nil, nil, err
	}
	byClass := map[float64][]int{}
	for i, l := range labels {
		if err := check.Add(16); err != nil { // a map access
			return nil, nil, err
		}
		if math.IsNaN(l) {
			return nil, nil, fmt.Errorf("label of row %d is NaN", i)
		}
		byClass[l] = append(byClass[l], i)
	}
	classes := make([]float64, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	sort.Float64s(classes)
	n := len(labels)
	if n-numTest < len(classes) {
		return nil, nil, fmt.Errorf("test_size = %v is too large for stratified sampling: %d training rows cannot hold all %d classes", testSize, n-numTest, len(classes))
	}

	type share struct {
		class     int
		remainder float64
	}
	quota := make([]int, len(classes))
	shares := make([]share, len(classes))
	assigned := 0
	for c, label := range classes {
		exact := float64(numTest) * float64(len(byClass[label])) / float64(n)
		quota[c] = min(int(exact), len(byClass[label])-1)
		assigned += quota[c]
		shares[c] = share{c, exact - float64(quota[c])}
	}
	sort.SliceStable(shares, func(i, j int) bool { return shares[i].remainder > shares[j].remainder })
	// Hand out the rows rounding left over, one per class in order of
	// remainder, as long as the class keeps a training row.
	for assigned < numTest {
		progress := false
		for _, s := range shares {
			if assigned == numTest {
				break
			}
			if quota[s.class] < len(byClass[classes[s.class]])-1 {
				quota[s.class]++
				assigned++
				progress = true
			}
		}
		if !progress {
			break
		}
	}
	// Only singleton classes are left to give rows; they go last since a
	// class seen in training is worth more than one more test row.
	for c := range classes {
		if assigned < numTest && len(byClass[classes[c]]) == 1 && quota[c] == 0 {
			quota[c]++
			assigned++
		}
	}

	trainGroups := make([][]int, len(classes))
	testGroups := make([][]int, len(classes))
	for c, label := range classes {
		rows := byClass[label]
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		testGroups[c] = rows[:quota[c]]
		trainGroups[c] = rows[quota[c]:]
	}
	if train, err = interleave(check, trainGroups, n-numTest); err != nil {
		return nil, nil, err
	}
	if test, err = interleave(check, testGroups, numTest); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// interleave merges the groups proportionally, so that any prefix of the
// result holds the classes in about their overall ratio. Each row costs a
// scan of the groups.
func interleave(check *cancel.Checker, groups [][]int, total int) ([]int, error) {
	out := make([]int, 0, total)
	next := make([]int, len(groups))
	for len(out) < total {
		if err := check.Add(4 * len(groups)); err != nil {
			return nil, err
		}
		// Pick the group furthest behind its share of the output so far.
		best, bestLag := -1, math.Inf(-1)
		for g, rows := range groups {
			if next[g] == len(rows) {
				continue
			}
			lag := float64(len(rows))*float64(len(out)+1)/float64(total) - float64(next[g])
			if lag > bestLag {
				best, bestLag = g, lag
			}
		}
		out = append(out, groups[best][next[best]])
		next[best]++
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
