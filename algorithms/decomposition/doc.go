// Package decomposition implements pgml's matrix decomposition algorithms:
// scikit-learn's PCA ("pca").
//
// PCA centres the training rows and takes the exact thin SVD of the result
// (gonum's mat.SVD, LAPACK's dgesvd), whatever svd_solver says: sklearn's
// randomized and ARPACK solvers only approximate that decomposition, and on
// the data sizes pgml trains on the exact one is affordable. Component
// signs follow sklearn's svd_flip, so Transform matches sklearn's transform.
//
// The loader takes the payload after the modelfile header, as in the other
// packages. Predict writes the transformed rows.
package decomposition
