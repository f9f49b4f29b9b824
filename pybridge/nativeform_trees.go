package pybridge

import (
	"fmt"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/sklearntrees"
)

// treesExport is a tree model's export (bridge.py export_trees): its node and leaf arrays
// travel as blocks of the fit reply, which blockRef names.
type treesExport struct {
	Algorithm   string    `json:"algorithm"`
	Combine     string    `json:"combine"`
	CastFloat32 bool      `json:"cast_float32"`
	NumFeatures int       `json:"n_features"`
	Width       int       `json:"width"`
	Scale       float64   `json:"scale"`
	Init        []float64 `json:"init"`
	Classes     []float64 `json:"classes"`
	Feature     blockRef  `json:"feature"`
	Threshold   blockRef  `json:"threshold"`
	Left        blockRef  `json:"left"`
	Right       blockRef  `json:"right"`
	Missing     blockRef  `json:"missing"`
	Values      blockRef  `json:"values"`
	Roots       blockRef  `json:"roots"`
	TreeOutput  blockRef  `json:"tree_output"`
	TreeWeight  blockRef  `json:"tree_weight"`
}

// blockRef is an array the worker sent as a block (worker.py _native_blocks): the block's
// index among the export's blocks, its numpy dtype and its number of values.
type blockRef struct {
	Block  int    `json:"block"`
	Dtype  string `json:"dtype"`
	Length int    `json:"length"`
}

var treeCombines = map[string]sklearntrees.Combine{
	"mean": sklearntrees.Mean, "mean_probability": sklearntrees.MeanProbability, "raw": sklearntrees.Raw,
	"raw_exp": sklearntrees.RawExp, "logistic": sklearntrees.Logistic, "exponential": sklearntrees.Exponential,
	"log_sum_exp": sklearntrees.LogSumExp, "softmax": sklearntrees.Softmax, "ada_boost": sklearntrees.AdaBoost,
	"weighted_median": sklearntrees.WeightedMedian,
}

// bytes is the referenced block, checked to hold length values of dtype (size bytes each).
func (r blockRef) bytes(blocks [][]byte, dtype string, size int) ([]byte, error) {
	if r.Block < 0 || r.Block >= len(blocks) || r.Dtype != dtype || len(blocks[r.Block]) != r.Length*size {
		return nil, fmt.Errorf("the python worker sent a %s array of %d values as block %d, which it did not send that way", r.Dtype, r.Length, r.Block)
	}
	return blocks[r.Block], nil
}

func (r blockRef) float64s(blocks [][]byte) ([]float64, error) {
	b, err := r.bytes(blocks, "float64", 8)
	return alignedFloat64s(b), err
}

func (r blockRef) int32s(blocks [][]byte) ([]int32, error) {
	b, err := r.bytes(blocks, "int32", 4)
	if err != nil || len(b) == 0 {
		return nil, err
	}
	// Blocks are allocated in float64 storage (blockBytes): aligned for int32 too.
	return unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/4), nil
}

// nativeForm builds the exported tree model, or says why it cannot.
func (t *treesExport) nativeForm(task algorithms.Task, blocks [][]byte) (algorithms.Model, string) {
	combine, ok := treeCombines[t.Combine]
	if !ok {
		return nil, fmt.Sprintf("the python worker exported trees combined in an unknown way %q", t.Combine)
	}
	a := sklearntrees.Arrays{Algorithm: t.Algorithm, Task: task, Combine: combine, CastFloat32: t.CastFloat32,
		NumFeatures: t.NumFeatures, Width: t.Width, Init: t.Init, Scale: t.Scale, Classes: t.Classes}
	var errs [9]error
	a.Feature, errs[0] = t.Feature.int32s(blocks)
	a.Left, errs[1] = t.Left.int32s(blocks)
	a.Right, errs[2] = t.Right.int32s(blocks)
	a.Missing, errs[3] = t.Missing.int32s(blocks)
	a.Roots, errs[4] = t.Roots.int32s(blocks)
	a.TreeOutput, errs[5] = t.TreeOutput.int32s(blocks)
	a.Threshold, errs[6] = t.Threshold.float64s(blocks)
	a.Values, errs[7] = t.Values.float64s(blocks)
	if t.TreeWeight != (blockRef{}) { // exports before weighted medians have none
		a.TreeWeight, errs[8] = t.TreeWeight.float64s(blocks)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err.Error()
		}
	}
	m, err := sklearntrees.New(a)
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}
