package boosting

// node is one node of a fitted tree in the flat ensemble array. Trees are
// stored in preorder, so a split's left child is the next node and only the
// right child's index is kept.
type node struct {
	// feature is the split's column, or leafFeature for a leaf.
	feature int32
	// right is the index of the right child in ensemble.nodes.
	right int32
	// value is the split threshold (x <= value goes left) or, in a leaf,
	// the shrunk contribution to the raw score.
	value float64
}

const leafFeature = -1

// appendTree appends the grown tree rooted at grown[0] to nodes in preorder,
// turning bin splits into thresholds on the original values.
func appendTree(nodes []node, grown []grownNode, data *binnedData) []node {
	var visit func(i int)
	visit = func(i int) {
		n := grown[i]
		if n.leaf {
			nodes = append(nodes, node{feature: leafFeature, value: n.value})
			return
		}
		at := len(nodes)
		nodes = append(nodes, node{feature: int32(n.feature), value: data.edges[n.feature][n.bin]})
		visit(n.left)
		nodes[at].right = int32(len(nodes))
		visit(n.right)
	}
	visit(0)
	return nodes
}

// treeValue is the leaf value tree t gives row x.
func (e *ensemble) treeValue(t int, x []float64) float64 {
	nodes := e.nodes
	i := int(e.treeStart[t])
	for {
		n := &nodes[i]
		if n.feature < 0 {
			return n.value
		}
		if x[n.feature] <= n.value {
			i++
		} else {
			i = int(n.right)
		}
	}
}

// binnedTreeValue evaluates a grown tree on row i of the binned training
// data; it agrees with treeValue on the original values because bin <= b
// exactly when x <= edges[b].
func binnedTreeValue(grown []grownNode, data *binnedData, i int) float64 {
	k := 0
	for {
		n := &grown[k]
		if n.leaf {
			return n.value
		}
		if int(data.bins[n.feature*data.rows+i]) <= n.bin {
			k = n.left
		} else {
			k = n.right
		}
	}
}
