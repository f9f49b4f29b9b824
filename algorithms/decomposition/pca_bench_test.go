package decomposition

import (
	"context"
	"testing"
)

func BenchmarkFitPCADigits(b *testing.B) {
	x := loadFeatures(b, "digits")
	for b.Loop() {
		if _, err := FitPCA(context.Background(), x, nil); err != nil {
			b.Fatal(err)
		}
	}
}
