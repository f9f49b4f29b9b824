// Package cluster implements pgml's clustering algorithms: scikit-learn's
// KMeans ("kmeans") and MiniBatchKMeans ("mini_batch_kmeans"), plus the
// mean silhouette coefficient used to score a clustering.
//
// Names, defaults and semantics follow scikit-learn 1.2: k-means++ seeding
// is greedy (2+⌊ln k⌋ candidate centres per step, the best one kept), the
// tolerance is relative to the mean per-feature variance, the best of n_init
// runs by inertia is kept and empty clusters are refilled with the points
// farthest from their centres. Random numbers come from Go's math/rand seeded
// with random_state (0 when absent), so fits are deterministic but do not
// reproduce numpy's random stream: the clusters found can differ from
// sklearn's while being as good (see the parity tests).
//
// The models' Predict writes the index of the nearest centre of each row,
// as a float64. The loaders take the payload after the modelfile header,
// like the other packages.
package cluster
