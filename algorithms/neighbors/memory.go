package neighbors

import (
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
)

// FitMemory is the memory in bytes a fit on rows×features training data
// with outputs target columns allocates, almost all of which the model
// keeps: its copy of the rows (8 bytes a value, like the input), its copy
// of the targets (a classifier keeps a sorted copy of the labels and a
// class index per row), and the search index when hp resolves to a tree: 4
// bytes a row for the order of the stored rows, and per node (about
// 2·rows/leaf_size of them) its range and 2·features values (k-d tree) or
// features values (ball tree). The index builds in place, without a second
// copy of the rows. Loading a model file allocates as much again besides
// the file. hp must be valid (parseHyperparams); the error says why not.
func FitMemory(task algorithms.Task, rows, features, outputs int, hp algorithms.Hyperparams) (int64, error) {
	params, err := parseHyperparams(hp)
	if err != nil {
		return 0, err
	}
	n, p := int64(rows), int64(features)
	bytes := 8 * n * p
	if task == algorithms.Classification {
		bytes += 8*n + int64(unsafe.Sizeof(int(0)))*n
	} else {
		bytes += 8 * n * int64(outputs)
	}
	method := params.method.resolve(rows, features, min(params.k, rows))
	if method == searchBrute {
		return bytes, nil
	}
	nodes := int64(numTreeNodes(rows, params.leafSize))
	nodeBytes := int64(unsafe.Sizeof(treeNode{})) + 8*int64(boundsPerNode(method, features))
	return bytes + int64(unsafe.Sizeof(uint32(0)))*n + nodes*nodeBytes, nil
}
