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
// turning bin splits into thresholds on the original values. The walk keeps
// its own stack: a tree without depth or leaf limits can be as deep as it
// has rows, too deep for recursion.
func appendTree(nodes []node, grown []grownNode, data *binnedData) []node {
	// pending holds grown nodes still to place, each with the index of the
	// placed parent whose right child it is (-1 for a left child or the root).
	type pending struct{ grown, rightOf int }
	stack := []pending{{0, -1}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p.rightOf >= 0 {
			nodes[p.rightOf].right = int32(len(nodes))
		}
		n := grown[p.grown]
		if n.leaf {
			nodes = append(nodes, node{feature: leafFeature, value: n.value})
			continue
		}
		at := len(nodes)
		nodes = append(nodes, node{feature: int32(n.feature), value: data.edges[n.feature][n.bin]})
		stack = append(stack, pending{n.right, at}, pending{n.left, -1})
	}
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
