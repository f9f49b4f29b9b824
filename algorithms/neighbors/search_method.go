package neighbors

import "fmt"

// searchMethod is how neighbours are found: sklearn's algorithm
// hyperparameter. Every method returns the same neighbours (search.go).
type searchMethod uint8

const (
	searchAuto searchMethod = iota
	searchBrute
	searchKDTree
	searchBallTree
	numSearchMethods
)

// defaultLeafSize is sklearn's leaf_size default for the KNeighbors
// estimators.
const defaultLeafSize = 30

// maxTreeFeatures is the most features for which algorithm="auto" builds a
// tree: beyond it sklearn searches by brute force, since bounding boxes
// prune little in many dimensions.
const maxTreeFeatures = 15

var searchMethodName = [numSearchMethods]string{"auto", "brute", "kd_tree", "ball_tree"}

func (m searchMethod) String() string {
	if m < numSearchMethods {
		return searchMethodName[m]
	}
	return fmt.Sprintf("searchMethod(%d)", uint8(m))
}

func searchMethodNames() []string { return searchMethodName[:] }

func parseSearchMethod(s string) (searchMethod, bool) {
	for m, name := range searchMethodName {
		if s == name {
			return searchMethod(m), true
		}
	}
	return 0, false
}

// resolve returns the method used for rows×features training data and k
// neighbours: the one asked for, or the choice sklearn's KNeighbors
// estimators make for "auto" when they are fitted. For the Minkowski
// metrics knn accepts (p ≥ 1) sklearn's auto never picks the ball tree: it
// searches by brute force when there are more than 15 features or when k is
// at least half the training rows (a tree then visits most leaves anyway),
// and through a k-d tree otherwise.
func (m searchMethod) resolve(rows, features, k int) searchMethod {
	if m != searchAuto {
		return m
	}
	if features > maxTreeFeatures || k >= rows/2 {
		return searchBrute
	}
	return searchKDTree
}
