package sampling

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

func TestArrangeMatchesGather(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 1000} {
		for _, cols := range []int{1, 3} {
			x := algorithms.Matrix{Rows: n, Cols: cols, Data: make([]float64, n*cols)}
			y := algorithms.Matrix{Rows: n, Cols: 1, Data: make([]float64, n)}
			for i := range x.Data {
				x.Data[i] = float64(i)
			}
			for i := range y.Data {
				y.Data[i] = -float64(i)
			}
			order := rng.Perm(n)
			if err := Arrange(context.Background(), order, x, y); err != nil {
				t.Fatal(err)
			}
			for i, src := range order {
				for j := 0; j < cols; j++ {
					if got, want := x.Data[i*cols+j], float64(src*cols+j); got != want {
						t.Fatalf("n=%d cols=%d: x[%d][%d] = %v, want %v", n, cols, i, j, got, want)
					}
				}
				if got := y.Data[i]; got != -float64(src) {
					t.Fatalf("n=%d: y[%d] = %v, want %v", n, i, got, -float64(src))
				}
			}
		}
	}
}

func TestArrangeRejectsNonPermutations(t *testing.T) {
	x := algorithms.Matrix{Rows: 3, Cols: 1, Data: []float64{1, 2, 3}}
	for _, order := range [][]int{{0, 0, 1}, {0, 1, 3}, {0, 1}} {
		if err := Arrange(context.Background(), order, x); err == nil {
			t.Errorf("Arrange accepted order %v", order)
		}
	}
}

func TestArrangeStopsWhenDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := 1 << 21 // enough work to reach a check
	x := algorithms.Matrix{Rows: n, Cols: 1, Data: make([]float64, n)}
	order := make([]int, n)
	for i := range order {
		order[i] = (i + 1) % n // one cycle through every row
	}
	if err := Arrange(ctx, order, x); !errors.Is(err, context.Canceled) {
		t.Errorf("Arrange on a done context = %v, want context.Canceled", err)
	}
}
