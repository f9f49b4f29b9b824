// Package decomposition implements pgml's matrix decomposition algorithms:
// scikit-learn's PCA ("pca").
//
// PCA centres the training rows and takes the exact thin SVD of the result
// (gonum's mat.SVD, LAPACK's dgesvd), whatever svd_solver says: sklearn's
// randomized and ARPACK solvers only approximate that decomposition, and on
// the data sizes pgml trains on the exact one is affordable. Component
// signs follow sklearn's svd_flip, so Transform matches sklearn's transform.
//
// algorithms.Task has no decomposition task yet, so Task returns 0 and model
// files are written with task byte 0 and algorithm name "pca"; the lead adds
// the task and wires the loader, which takes the payload after the header as
// in the other packages. Predict writes the transformed rows.
package decomposition
