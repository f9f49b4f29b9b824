package search

import (
	"reflect"
	"slices"
	"testing"
)

func seq(lo, hi int) []int {
	s := []int{}
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

func TestFolds(t *testing.T) {
	for _, c := range []struct {
		n, cv int
		want  []Fold
	}{
		{10, 3, []Fold{
			{Train: []int{3, 4, 5, 6, 7, 8, 9}, Held: []int{0, 1, 2}},
			{Train: []int{0, 1, 2, 6, 7, 8, 9}, Held: []int{3, 4, 5}},
			{Train: []int{0, 1, 2, 3, 4, 5, 9}, Held: []int{6, 7, 8}},
		}},
		{4, 2, []Fold{
			{Train: []int{2, 3}, Held: []int{0, 1}},
			{Train: []int{0, 1}, Held: []int{2, 3}},
		}},
		{3, 3, []Fold{
			{Train: []int{1, 2}, Held: []int{0}},
			{Train: []int{0, 2}, Held: []int{1}},
			{Train: []int{0, 1}, Held: []int{2}},
		}},
		{5, 1, nil},
		{5, 0, nil},
		{0, 1, nil},
	} {
		got, err := Folds(c.n, c.cv)
		if err != nil {
			t.Errorf("Folds(%d, %d): %v", c.n, c.cv, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Folds(%d, %d) = %v, want %v", c.n, c.cv, got, c.want)
		}
	}
}

func TestFoldsPartition(t *testing.T) {
	for _, c := range []struct{ n, cv int }{{10, 3}, {101, 5}, {7, 7}, {1000, 10}, {11, 2}} {
		folds, err := Folds(c.n, c.cv)
		if err != nil {
			t.Fatal(err)
		}
		size := c.n / c.cv
		for k, f := range folds {
			if !slices.Equal(f.Held, seq(k*size, (k+1)*size)) {
				t.Errorf("n=%d cv=%d fold %d held %v", c.n, c.cv, k, f.Held)
			}
			// Train and Held partition all rows, Train in order.
			all := slices.Concat(f.Train, f.Held)
			slices.Sort(all)
			if !slices.Equal(all, seq(0, c.n)) || !slices.IsSorted(f.Train) {
				t.Errorf("n=%d cv=%d fold %d does not partition the rows", c.n, c.cv, k)
			}
		}
		// The remainder rows are never held out.
		for r := c.cv * size; r < c.n; r++ {
			for k, f := range folds {
				if slices.Contains(f.Held, r) {
					t.Errorf("n=%d cv=%d: remainder row %d held out in fold %d", c.n, c.cv, r, k)
				}
			}
		}
	}
}

func TestFoldsErrors(t *testing.T) {
	for _, c := range []struct {
		n, cv int
		want  string
	}{
		{3, 4, "cv = 4 is larger than the 3 training rows"},
		{0, 2, "cv = 2 is larger than the 0 training rows"},
		{-1, 5, "cannot cross-validate -1 training rows"},
	} {
		_, err := Folds(c.n, c.cv)
		if err == nil || err.Error() != c.want {
			t.Errorf("Folds(%d, %d) error %v, want %q", c.n, c.cv, err, c.want)
		}
	}
}

func TestSpansAgreeWithFolds(t *testing.T) {
	for _, c := range [][2]int{{10, 3}, {7, 7}, {100, 5}, {5, 1}} {
		folds, err := Folds(c[0], c[1])
		if err != nil {
			t.Fatal(err)
		}
		spans, err := Spans(c[0], c[1])
		if err != nil || len(spans) != len(folds) {
			t.Fatalf("%v: %d spans, %d folds, %v", c, len(spans), len(folds), err)
		}
		for k, s := range spans {
			if !slices.Equal(s.Held(), folds[k].Held) || !slices.Equal(s.Train(c[0]), folds[k].Train) {
				t.Errorf("%v fold %d: span %v differs from the fold", c, k, s)
			}
		}
	}
	if _, err := Folds(1<<20, 1<<10); err == nil {
		t.Error("Folds listed 2^30 row indices")
	}
	if spans, err := Spans(1<<20, 1<<10); err != nil || len(spans) != 1<<10 {
		t.Errorf("Spans(2^20, 2^10) = %d spans, %v", len(spans), err)
	}
}
