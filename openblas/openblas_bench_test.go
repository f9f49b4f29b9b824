package openblas

// Benchmarks comparing pure-Go gonum with OpenBLAS through the helper:
//
//	make -f openblas/Makefile.inc BLAS_OUT_DIR=/tmp/blas
//	CGO_LDFLAGS=-L/tmp/blas LD_LIBRARY_PATH=/tmp/blas go test -run '^$' -bench . -cpu 1 ./openblas/
//
// "gonum" is gonum.Implementation; "openblas" forces the OpenBLAS path
// (thresholds set to 0) so that the crossover sizes used for the default
// thresholds can be read off directly. Note that gonum's Dgemm itself uses
// goroutines for large matrices, so run with -cpu 1 to compare one core
// against single-threaded OpenBLAS.

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

type impls struct {
	name string
	impl blas.Float64
}

func benchImpls() []impls {
	return []impls{{"gonum", gonum.Implementation{}}, {"openblas", Implementation{}}}
}

func BenchmarkDgemm(b *testing.B) {
	for _, n := range benchSizes {
		rnd := rand.New(rand.NewPCG(1, uint64(n)))
		a, bb, c := randMat(rnd, n, n, n), randMat(rnd, n, n, n), randMat(rnd, n, n, n)
		for _, im := range benchImpls() {
			b.Run(fmt.Sprintf("%s/n=%d", im.name, n), func(b *testing.B) {
				forceBLAS(b)
				for b.Loop() {
					im.impl.Dgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, bb, n, 0, c, n)
				}
			})
		}
	}
}

func BenchmarkDsyrk(b *testing.B) {
	for _, n := range benchSizes {
		rnd := rand.New(rand.NewPCG(2, uint64(n)))
		a, c := randMat(rnd, n, n, n), randMat(rnd, n, n, n)
		for _, im := range benchImpls() {
			b.Run(fmt.Sprintf("%s/n=%d", im.name, n), func(b *testing.B) {
				forceBLAS(b)
				for b.Loop() {
					im.impl.Dsyrk(blas.Lower, blas.Trans, n, n, 1, a, n, 0, c, n)
				}
			})
		}
	}
}

func BenchmarkDtrsm(b *testing.B) {
	for _, n := range benchSizes {
		rnd := rand.New(rand.NewPCG(3, uint64(n)))
		a, b0 := triMat(rnd, n, n), randMat(rnd, n, n, n)
		x := make([]float64, len(b0))
		for _, im := range benchImpls() {
			b.Run(fmt.Sprintf("%s/n=%d", im.name, n), func(b *testing.B) {
				forceBLAS(b)
				for b.Loop() {
					copy(x, b0)
					im.impl.Dtrsm(blas.Left, blas.Lower, blas.NoTrans, blas.NonUnit, n, n, 1, a, n, x, n)
				}
			})
		}
	}
}

func BenchmarkDgemv(b *testing.B) {
	for _, n := range []int{16, 32, 64, 128, 256, 512, 1000, 3000} {
		rnd := rand.New(rand.NewPCG(4, uint64(n)))
		a, x, y := randMat(rnd, n, n, n), randMat(rnd, n, 1, 1), randMat(rnd, n, 1, 1)
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, im := range benchImpls() {
				b.Run(fmt.Sprintf("%s/%c/n=%d", im.name, tA, n), func(b *testing.B) {
					forceBLAS(b)
					for b.Loop() {
						im.impl.Dgemv(tA, n, n, 1, a, n, x, 1, 0, y, 1)
					}
				})
			}
		}
	}
}

var benchSizes = []int{2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 256, 1000}
