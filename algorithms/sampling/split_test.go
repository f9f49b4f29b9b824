package sampling

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// checkPartition asserts that train and test are disjoint, cover 0..n-1 and
// have the wanted test size.
func checkPartition(t *testing.T, name string, n, wantTest int, train, test []int) {
	t.Helper()
	if len(test) != wantTest || len(train) != n-wantTest {
		t.Errorf("%s: %d train + %d test rows, want %d + %d", name, len(train), len(test), n-wantTest, wantTest)
	}
	seen := make([]bool, n)
	for _, i := range append(slices.Clone(train), test...) {
		if i < 0 || i >= n || seen[i] {
			t.Fatalf("%s: row %d out of range or repeated", name, i)
		}
		seen[i] = true
	}
}

func TestSplitSizesAndPartition(t *testing.T) {
	labels := make([]float64, 101)
	for i := range labels {
		labels[i] = float64(i % 3)
	}
	for _, method := range Methods {
		for _, c := range []struct {
			size float64
			want int
		}{{0.25, 25}, {0.2, 20}, {10, 10}, {10.9, 10}, {0.001, 1}} {
			train, test, err := Split(101, labels, c.size, method, 7)
			if err != nil {
				t.Fatalf("%s %v: %v", method, c.size, err)
			}
			checkPartition(t, method, 101, c.want, train, test)
		}
	}
}

func TestSplitOrders(t *testing.T) {
	train, test, _ := Split(5, nil, 2, "last", 0)
	if !slices.Equal(train, []int{0, 1, 2}) || !slices.Equal(test, []int{3, 4}) {
		t.Errorf("last: %v %v", train, test)
	}
	train, test, _ = Split(5, nil, 2, "first", 0)
	if !slices.Equal(train, []int{2, 3, 4}) || !slices.Equal(test, []int{0, 1}) {
		t.Errorf("first: %v %v", train, test)
	}
	train, _, _ = Split(1000, nil, 0.5, "random", 1)
	if slices.IsSorted(train) {
		t.Error("random split kept the input order")
	}
}

func TestSplitDeterministic(t *testing.T) {
	labels := []float64{0, 1, 0, 1, 0, 1, 0, 1, 2, 2, 2, 2}
	for _, method := range []string{"random", "stratified"} {
		a1, b1, _ := Split(len(labels), labels, 0.5, method, 42)
		a2, b2, _ := Split(len(labels), labels, 0.5, method, 42)
		a3, b3, _ := Split(len(labels), labels, 0.5, method, 43)
		if !slices.Equal(a1, a2) || !slices.Equal(b1, b2) {
			t.Errorf("%s: same seed gave different splits", method)
		}
		if slices.Equal(a1, a3) && slices.Equal(b1, b3) {
			t.Errorf("%s: seeds 42 and 43 gave the same split", method)
		}
	}
}

func TestStratifiedProportions(t *testing.T) {
	// 60 / 30 / 10 rows of three classes, plus a class with two rows.
	var labels []float64
	for c, count := range map[float64]int{0: 60, 1: 30, 2: 10, 3.5: 2} {
		for i := 0; i < count; i++ {
			labels = append(labels, c)
		}
	}
	train, test, err := Split(len(labels), labels, 0.5, "stratified", 3)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, "stratified", len(labels), 51, train, test)
	count := func(rows []int, class float64) int {
		k := 0
		for _, i := range rows {
			if labels[i] == class {
				k++
			}
		}
		return k
	}
	for class, want := range map[float64]int{0: 30, 1: 15, 2: 5, 3.5: 1} {
		if got := count(test, class); got != want {
			t.Errorf("class %v: %d test rows, want %d", class, got, want)
		}
	}
	// Interleaving: the first ten test rows already hold both large classes.
	if count(test[:10], 0) == 0 || count(test[:10], 1) == 0 {
		t.Errorf("classes not interleaved: %v", test[:10])
	}
	// A large test share still leaves each class with a training row.
	train, _, err = Split(len(labels), labels, 0.95, "stratified", 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, class := range []float64{0, 1, 2, 3.5} {
		if count(train, class) == 0 {
			t.Errorf("class %v has no training row at test_size 0.95", class)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	cases := []struct {
		n      int
		labels []float64
		size   float64
		method string
		want   string
	}{
		{10, nil, 0.2, "shuffle", "random, first, last, stratified"},
		{10, nil, 0, "random", "positive"},
		{10, nil, math.NaN(), "random", "positive"},
		{0, nil, 0.2, "random", "0 samples"},
		{10, nil, 10, "random", "test_size = 10 is too large. There are only 10 samples."},
		{10, nil, 1, "last", "too large"},
		{4, []float64{0, 1, 2, 3}, 2, "stratified", "classes"},
		{4, []float64{0, 1}, 0.5, "stratified", "labels"},
	}
	for _, c := range cases {
		_, _, err := Split(c.n, c.labels, c.size, c.method, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Split(%d, %v, %v, %q) error = %v, want one containing %q", c.n, c.labels, c.size, c.method, err, c.want)
		}
	}
}
