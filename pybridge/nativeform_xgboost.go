package pybridge

import (
	"bytes"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/xgboost"
)

// xgboostExport is an XGBoost model's export (bridge.py export_xgboost): the booster as
// XGBoost saves it (UBJSON, one block of the fit reply), which the go runtime's xgboost
// models predict natively from (algorithms/treeensemble).
type xgboostExport struct {
	Algorithm   string    `json:"algorithm"`
	NumFeatures int       `json:"n_features"`
	NumTargets  int       `json:"n_targets"`
	Classes     []float64 `json:"classes"`
	Booster     blockRef  `json:"booster"`
}

// nativeForm builds the exported booster's model, or says why it cannot.
func (x *xgboostExport) nativeForm(task algorithms.Task, blocks [][]byte) (algorithms.Model, string) {
	b, err := x.Booster.bytes(blocks, "uint8", 1)
	if err != nil {
		return nil, err.Error()
	}
	// The model keeps the booster's bytes to store them: not the reply's block.
	m, err := xgboost.FromSaved(x.Algorithm, task, x.NumFeatures, x.NumTargets, x.Classes, bytes.Clone(b))
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}
