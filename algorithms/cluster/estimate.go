package cluster

import "github.com/pgml-go/pgml/algorithms"

// EstimateKMeans bounds the bytes FitKMeans allocates beyond x for n rows of
// p features: each row's label and distance to its centre (16·n), the
// k-means++ seeding's four distance vectors (32·n), the order used to
// relocate an empty cluster (8·n), shared by the n_init runs, and a few
// sets of k centres, with a tenth more for the collector's timing. It checks
// the hyperparameters as the fit would, including n_clusters ≤ n.
func EstimateKMeans(n, p int, hp algorithms.Hyperparams) (int64, error) {
	c, err := parseKMeans(hp)
	if err != nil {
		return 0, err
	}
	if err := checkClusters(c.numClusters, n); err != nil {
		return 0, err
	}
	return 56*int64(n)*11/10 + centresBytes(c.numClusters, p), nil
}

// EstimateMiniBatchKMeans bounds the bytes FitMiniBatchKMeans allocates
// beyond x: the seeding sample of 3·batch_size rows (at least 3·k, at most
// n) with its seeding vectors, the batch and its labels, and a few sets of
// k centres. Nothing else grows with n.
func EstimateMiniBatchKMeans(n, p int, hp algorithms.Hyperparams) (int64, error) {
	c, err := parseMiniBatch(hp)
	if err != nil {
		return 0, err
	}
	if err := checkClusters(c.numClusters, n); err != nil {
		return 0, err
	}
	batch := min(c.batchSize, n)
	sample := int64(min(max(3*batch, 3*c.numClusters), n))
	return sample*(8*int64(p)+48)*11/10 + 24*int64(batch) + centresBytes(c.numClusters, p), nil
}

func centresBytes(k, p int) int64 {
	return 8*6*int64(k)*int64(p) + 32*int64(k) + 4096
}
