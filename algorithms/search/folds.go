package search

import "fmt"

// Span is one cross-validation fold of n training rows: rows [Lo, Hi) are
// held out, the others are trained on. Unlike Fold it holds no row lists,
// so a caller can make one fold's rows at a time.
type Span struct{ Lo, Hi int }

// Held returns the held-out rows.
func (s Span) Held() []int { return sequence(s.Lo, s.Hi) }

// Train returns the rows trained on, of n.
func (s Span) Train(n int) []int {
	return append(sequence(0, s.Lo), sequence(s.Hi, n)...)
}

func sequence(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// Spans returns the folds of Folds without their row lists: O(cv) memory
// whatever n.
func Spans(n, cv int) ([]Span, error) {
	if n < 0 {
		return nil, fmt.Errorf("cannot cross-validate %d training rows", n)
	}
	if cv < 2 {
		return nil, nil
	}
	size := n / cv
	if size < 1 {
		return nil, fmt.Errorf("cv = %d is larger than the %d training rows", cv, n)
	}
	spans := make([]Span, cv)
	for k := range spans {
		spans[k] = Span{k * size, (k + 1) * size}
	}
	return spans, nil
}

// maxFoldIndices bounds the row indices Folds materialises (cv·n): 1 GiB.
const maxFoldIndices = 1 << 27

// Fold is one cross-validation split of the training rows: fit on Train,
// score on Held. Indices refer to the training rows in training order.
type Fold struct {
	Train, Held []int
}

// Folds cuts n training rows into cv contiguous folds of n/cv rows (rounded
// down), like scikit-learn's KFold without shuffling except that the
// n - cv*(n/cv) rows left over at the end are never held out: they are
// always trained on. The rows are already in the order chosen by
// test_sampling, so no further shuffling is done.
//
// cv < 2 means no folds: Folds returns nil, and the caller fits each
// candidate on the whole training split and scores it on the test split.
//
// Every fold owns its Train slice; the Held slices share one backing array,
// so callers must not append to them.
func Folds(n, cv int) ([]Fold, error) {
	spans, err := Spans(n, cv)
	if err != nil || spans == nil {
		return nil, err
	}
	if int64(cv)*int64(n) > maxFoldIndices {
		return nil, fmt.Errorf("cv = %d folds of %d rows would list %d row indices, more than %d; use fewer folds (or Spans, which lists none)", cv, n, int64(cv)*int64(n), maxFoldIndices)
	}
	rows := sequence(0, n)
	folds := make([]Fold, cv)
	for k, s := range spans {
		train := make([]int, 0, n-(s.Hi-s.Lo))
		train = append(train, rows[:s.Lo]...)
		train = append(train, rows[s.Hi:]...)
		folds[k] = Fold{Train: train, Held: rows[s.Lo:s.Hi:s.Hi]}
	}
	return folds, nil
}
