package forest

import "fmt"

// node is one tree node. Trees are stored in preorder, so the left child of
// an internal node is always the next node and only the right child needs an
// index; 16 bytes keep four nodes per cache line during prediction.
type node struct {
	threshold float64
	// feature is the column compared with threshold (rows with
	// x[feature] <= threshold go left), or leafFeature for a leaf.
	feature int32
	// next is the index of the right child for an internal node and the
	// leaf's number (its values start at next×width) for a leaf.
	next int32
}

const leafFeature = -1

// ensemble is the part shared by regressors and classifiers: the trees,
// each with its own node and leaf arrays (so that growing one and keeping
// it costs no second copy of the forest), and a fixed number of values per
// leaf (outputs for regression, class probabilities for classification).
type ensemble struct {
	kind        Kind
	numFeatures int
	width       int
	trees       []tree
	// importance is scikit-learn's feature_importances_ (mean decrease of impurity), nil
	// for a loaded model.
	importance []float64
}

// tree is one grown tree: nodes in preorder with indices local to the
// tree, and width values per leaf numbered from 0.
type tree struct {
	nodes      []node
	leafValues []float64
	// importance is the weighted impurity decrease of the features the tree splits on,
	// known from the fit only (it is not stored); sparse, so that it costs no more than
	// the tree whatever the number of features.
	importance []featureDecrease
}

type featureDecrease struct {
	feature  int32
	decrease float64
}

// leaf returns the values of the leaf that row reaches in tree t. The
// loader guarantees every right child lies after its parent and inside its
// tree, so the walk always ends.
func (e *ensemble) leaf(t *tree, row []float64) []float64 {
	nodes := t.nodes
	i := int32(0)
	for {
		n := &nodes[i]
		if n.feature == leafFeature {
			start := int(n.next) * e.width
			return t.leafValues[start : start+e.width]
		}
		if row[n.feature] <= n.threshold {
			i++
		} else {
			i = n.next
		}
	}
}

// averageLeaves writes into dst the mean over trees of the leaf values row
// reaches, summing first and dividing once as sklearn does.
func (e *ensemble) averageLeaves(dst, row []float64) {
	dst = dst[:e.width]
	clear(dst)
	for t := range e.trees {
		for j, v := range e.leaf(&e.trees[t], row) {
			dst[j] += v
		}
	}
	scale := float64(len(e.trees))
	for j := range dst {
		dst[j] /= scale
	}
}

// rows checks the shapes of a Predict call and returns the row count.
func (e *ensemble) rows(dstLen, xLen, perRow int) int {
	p := e.numFeatures
	rows := xLen / p
	if rows*p != xLen || dstLen != rows*perRow {
		panic(fmt.Sprintf("forest: prediction with %d values for %d features into %d outputs", xLen, p, dstLen))
	}
	return rows
}

func (e *ensemble) Algorithm() string { return e.kind.Name() }
func (e *ensemble) NumFeatures() int  { return e.numFeatures }

// Kind is the split rule the forest was grown with.
func (e *ensemble) Kind() Kind { return e.kind }

// NumTrees is n_estimators.
func (e *ensemble) NumTrees() int { return len(e.trees) }

// NumNodes is the total number of nodes over all trees.
func (e *ensemble) NumNodes() int {
	n := 0
	for _, t := range e.trees {
		n += len(t.nodes)
	}
	return n
}

// Depth returns the depth of tree t (a lone leaf has depth 0), like
// sklearn's tree_.max_depth.
func (e *ensemble) Depth(t int) int {
	nodes := e.trees[t].nodes
	// Preorder: a node's depth is one more than its parent's, and the
	// parent of node i is the nearest earlier node whose subtree covers i,
	// which a stack of open right boundaries tracks.
	type open struct{ depth, rightChild int }
	deepest := 0
	var stack []open
	depth := 0
	for i := range nodes {
		for len(stack) > 0 && stack[len(stack)-1].rightChild == i {
			depth = stack[len(stack)-1].depth
			stack = stack[:len(stack)-1]
		}
		deepest = max(deepest, depth)
		if nodes[i].feature != leafFeature {
			stack = append(stack, open{depth + 1, int(nodes[i].next)})
			depth++
		}
	}
	return deepest
}
