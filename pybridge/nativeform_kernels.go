package pybridge

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cluster"
	"github.com/pgml-go/pgml/algorithms/decomposition"
	"github.com/pgml-go/pgml/algorithms/sklearnkernels"
)

// kernelsExport is a kernel model's export (bridge.py export_kernels): its points and
// coefficients travel as blocks of the fit reply.
type kernelsExport struct {
	Algorithm    string            `json:"algorithm"`
	NumFeatures  int               `json:"n_features"`
	Expansions   []expansionExport `json:"expansions"`
	Scale        []float64         `json:"scale"`
	Offset       []float64         `json:"offset"`
	Classes      []float64         `json:"classes"`
	SupportCount []int             `json:"support_count"`
	ProbA        *blockRef         `json:"prob_a"`
	ProbB        *blockRef         `json:"prob_b"`
	Laplace      []laplaceExport   `json:"laplace"`
}

// laplaceExport is a binary Gaussian process classifier's Laplace factor: W_sr_ and the
// lower triangle of L_, row by row.
type laplaceExport struct {
	WSr   blockRef `json:"w_sr"`
	Lower blockRef `json:"lower"`
}

type expansionExport struct {
	Kernel    string    `json:"kernel"`
	Gamma     float64   `json:"gamma"`
	Coef0     float64   `json:"coef0"`
	Degree    float64   `json:"degree"`
	Amplitude float64   `json:"amplitude"`
	Output    int       `json:"output"`
	Width     int       `json:"width"`
	Points    blockRef  `json:"points"`
	Coef      blockRef  `json:"coef"`
	Intercept []float64 `json:"intercept"`
}

// optionalFloat64s is a block that may be absent (nil: no values).
func optionalFloat64s(r *blockRef, blocks [][]byte) ([]float64, error) {
	if r == nil {
		return nil, nil
	}
	return r.float64s(blocks)
}

// nativeForm builds the exported kernel model, or says why it cannot.
func (k *kernelsExport) nativeForm(task algorithms.Task, blocks [][]byte) (algorithms.Model, string) {
	a := sklearnkernels.Arrays{Algorithm: k.Algorithm, Task: task, NumFeatures: k.NumFeatures, Scale: k.Scale,
		Offset: k.Offset, Classes: k.Classes, SupportCount: k.SupportCount}
	for _, x := range k.Expansions {
		kernel, ok := sklearnkernels.KernelOf(x.Kernel)
		if !ok {
			return nil, fmt.Sprintf("the python worker exported an unknown kernel %q", x.Kernel)
		}
		e := sklearnkernels.Expansion{Kernel: sklearnkernels.Kernel{Type: kernel, Gamma: x.Gamma, Coef0: x.Coef0, Degree: x.Degree,
			Amplitude: x.Amplitude}, Intercept: x.Intercept, Output: x.Output, Width: x.Width}
		var errs [2]error
		e.Points, errs[0] = x.Points.float64s(blocks)
		e.Coef, errs[1] = x.Coef.float64s(blocks)
		if err := firstError(errs[:]); err != nil {
			return nil, err.Error()
		}
		a.Expansions = append(a.Expansions, e)
	}
	var errs [2]error
	a.ProbA, errs[0] = optionalFloat64s(k.ProbA, blocks)
	a.ProbB, errs[1] = optionalFloat64s(k.ProbB, blocks)
	if err := firstError(errs[:]); err != nil {
		return nil, err.Error()
	}
	for _, f := range k.Laplace {
		var l sklearnkernels.Laplace
		l.WSr, errs[0] = f.WSr.float64s(blocks)
		l.Lower, errs[1] = f.Lower.float64s(blocks)
		if err := firstError(errs[:]); err != nil {
			return nil, err.Error()
		}
		a.Laplace = append(a.Laplace, l)
	}
	m, err := sklearnkernels.New(a)
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// centresExport is a clusterer's export (bridge.py export_unsupervised): its centres, and
// Birch's label of each subcluster.
type centresExport struct {
	Algorithm   string    `json:"algorithm"`
	NumFeatures int       `json:"n_features"`
	Centres     blockRef  `json:"centres"`
	Labels      *blockRef `json:"labels"`
}

func (c *centresExport) nativeForm(blocks [][]byte) (algorithms.Model, string) {
	centres, err := c.Centres.float64s(blocks)
	if err != nil {
		return nil, err.Error()
	}
	var labels []float64
	if c.Labels != nil {
		if labels, err = c.Labels.float64s(blocks); err != nil {
			return nil, err.Error()
		}
		if labels == nil {
			labels = []float64{}
		}
	}
	m, err := cluster.NewExported(c.Algorithm, c.NumFeatures, centres, labels)
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}

// pcaExport is a PCA's export (bridge.py export_unsupervised).
type pcaExport struct {
	NumFeatures            int      `json:"n_features"`
	Mean                   blockRef `json:"mean"`
	Components             blockRef `json:"components"`
	ExplainedVariance      blockRef `json:"explained_variance"`
	ExplainedVarianceRatio blockRef `json:"explained_variance_ratio"`
	Whiten                 bool     `json:"whiten"`
}

func (p *pcaExport) nativeForm(blocks [][]byte) (algorithms.Model, string) {
	var errs [4]error
	var mean, components, variance, ratio []float64
	mean, errs[0] = p.Mean.float64s(blocks)
	components, errs[1] = p.Components.float64s(blocks)
	variance, errs[2] = p.ExplainedVariance.float64s(blocks)
	ratio, errs[3] = p.ExplainedVarianceRatio.float64s(blocks)
	if err := firstError(errs[:]); err != nil {
		return nil, err.Error()
	}
	m, err := decomposition.NewExported(p.NumFeatures, mean, components, variance, ratio, p.Whiten)
	if err != nil {
		return nil, err.Error()
	}
	return m, ""
}
