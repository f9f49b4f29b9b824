package boosting

import (
	"context"
	"sync/atomic"

	"github.com/pgml-go/pgml/algorithms/safego"
)

// minParallelWork is the number of row×feature visits below which one
// goroutine beats the cost of waking others.
const minParallelWork = 1 << 15

// forEachFeature calls fn(f) for every f in features, using up to workers
// goroutines when work (an estimate of row visits) is large enough. Callers
// write results only to per-feature slots, so the outcome is identical for
// any number of workers. A panic on a worker is re-raised on the caller's
// goroutine, where the training's recover turns it into an error. One call
// is at most one pass over the binned data (a node's histograms, a chunk of
// gradients), so the caller checks for cancellation between calls, with
// work as the units.
func forEachFeature(features []int, workers, work int, fn func(f int)) {
	if workers > len(features) {
		workers = len(features)
	}
	if workers <= 1 || work < minParallelWork {
		for _, f := range features {
			fn(f)
		}
		return
	}
	var next atomic.Int64
	g, _ := safego.WithContext(context.Background())
	for w := 0; w < workers; w++ {
		g.Go(func() error {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(features) {
					return nil
				}
				fn(features[k])
			}
		})
	}
	_ = safego.Repanic(g.Wait())
}
