package tallqr

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/pgml-go/pgml/algorithms/cancel/canceltest"
)

// RᵀR must equal AᵀA (R is A's triangular factor up to row signs), for tall,
// square and wide matrices, and across several blocks.
func TestGramMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, shape := range [][2]int{{1000, 7}, {7, 7}, {3, 9}, {blockRows, 5}, {2*blockRows + 1, 30}} {
		n, w := shape[0], shape[1]
		a := mat.NewDense(n, w, nil)
		f := New(context.Background(), w)
		row := make([]float64, w)
		for i := 0; i < n; i++ {
			for j := range row {
				row[j] = rng.NormFloat64() * float64(j+1)
			}
			a.SetRow(i, row)
			if err := f.Append(row); err != nil {
				t.Fatal(err)
			}
		}
		r, err := f.R()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < w; i++ {
			for j := 0; j < i; j++ {
				if r[i*w+j] != 0 {
					t.Fatalf("%v: R[%d][%d] = %v below the diagonal", shape, i, j, r[i*w+j])
				}
			}
			if i >= n && r[i*w+i] != 0 {
				t.Fatalf("%v: row %d of R is not zero with %d rows", shape, i, n)
			}
		}
		var want, got mat.Dense
		want.Mul(a.T(), a)
		rm := mat.NewDense(w, w, r)
		got.Mul(rm.T(), rm)
		scale := mat.Norm(&want, math.Inf(1))
		if !mat.EqualApprox(&got, &want, 1e-12*scale) {
			t.Errorf("%v: RᵀR differs from AᵀA", shape)
		}
	}
}

func TestCancelledDuringFold(t *testing.T) {
	ctx := canceltest.NewCountdown(0)
	f := New(ctx, 3)
	var err error
	for i := 0; i < 10*blockRows && err == nil; i++ {
		err = f.Append([]float64{1, float64(i), float64(i * i)})
	}
	if err == nil {
		_, err = f.R()
	}
	if err == nil {
		// Folding 3 columns is cheap: a fold consults the context only
		// after cancel.CheckEvery units, so force a consultation.
		err = ctx.Err()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// Finite values whose squares overflow (numeric 1e300 in a table) give a finite factor: the
// factor of the rows divided by 1e300, times 1e300.
func TestHugeValuesStayFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, w, huge = 600, 4, 1e300
	big, unit := New(context.Background(), w), New(context.Background(), w)
	row, scaled := make([]float64, w), make([]float64, w)
	for i := 0; i < n; i++ {
		for j := range row {
			scaled[j] = rng.NormFloat64()
			row[j] = scaled[j] * huge
		}
		if err := big.Append(row); err != nil {
			t.Fatal(err)
		}
		if err := unit.Append(scaled); err != nil {
			t.Fatal(err)
		}
	}
	rBig, err := big.R()
	if err != nil {
		t.Fatal(err)
	}
	rUnit, err := unit.R()
	if err != nil {
		t.Fatal(err)
	}
	for k := range rBig {
		if math.IsInf(rBig[k], 0) || math.IsNaN(rBig[k]) {
			t.Fatalf("R[%d] = %v", k, rBig[k])
		}
		if want := rUnit[k] * huge; math.Abs(rBig[k]-want) > 1e-12*math.Abs(rUnit[0])*huge {
			t.Errorf("R[%d] = %v, want %v", k, rBig[k], want)
		}
	}
}
