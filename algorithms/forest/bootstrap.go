package forest

import "math/rand/v2"

// treeRNG returns tree t's random stream. It depends only on the forest's
// seed and t, never on which worker grows the tree or when, which is what
// makes a forest independent of n_jobs.
func treeRNG(seed uint64, t int) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix64(seed), splitmix64(seed^splitmix64(uint64(t)+1))))
}

// splitmix64 scrambles nearby seeds (0, 1, 2, …) into unrelated states.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// drawSamples sets g.samples, g.weight and g.features for the next tree. A bootstrap
// draws size rows with replacement and, like sklearn, keeps each distinct row
// once with its multiplicity as weight: impurities match the duplicated
// sample while min_samples_leaf counts distinct rows.
func (g *grower) drawSamples(rows int) {
	// The feature order is redrawn per node but starts from the identity
	// for every tree, so a tree does not depend on the trees its worker
	// grew before it.
	for f := range g.features {
		g.features[f] = int32(f)
	}
	g.samples = g.samples[:0]
	if !g.set.bootstrap {
		for i := range rows {
			g.weight[i] = 1
			g.samples = append(g.samples, int32(i))
		}
		return
	}
	clear(g.weight)
	for range g.set.bootstrapSize {
		g.weight[g.rng.IntN(rows)]++
	}
	for i, w := range g.weight {
		if w > 0 {
			g.samples = append(g.samples, int32(i))
		}
	}
}
