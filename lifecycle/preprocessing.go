package lifecycle

import (
	"context"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/preprocess"
)

// pipelinePath names a model's preprocessing (column layout, categories, impute/encode/scale)
// in pgml.files, beside the estimator.
const pipelinePath = "preprocess.pgml"

// fitPipeline builds the preprocessing of the feature columns from the training rows (the
// statistics never see the test rows) and the user's preprocess argument.
// announce reports (NOTICE) preprocess keys that name no feature column.
func (sess *Session) fitPipeline(ctx context.Context, data *trainingData, raw string, train dataSplit, announce bool) (*preprocess.Pipeline, error) {
	cols := make([]preprocess.Column, len(data.features))
	for i, c := range data.features {
		cols[i] = preprocess.Column{Name: c.name, Kind: preprocess.Numeric, Width: data.widths[i]}
		if data.categories[i] != nil || isCategorical(c.typeName) {
			cols[i].Kind, cols[i].Categories = preprocess.Categorical, data.categories[i]
		}
	}
	specs, ignored, err := preprocess.ParseSpecs(raw, cols)
	if err != nil {
		return nil, Errorf(StateInvalidParameter, "preprocess: %s", err.Error())
	}
	if len(ignored) > 0 && announce {
		if err := sess.notice("preprocess names columns that are not features, ignored: %s", strings.Join(ignored, ", ")); err != nil {
			return nil, err
		}
	}
	var target []float64
	if train.y.Cols > 0 {
		target = make([]float64, train.y.Rows)
		for r := range target {
			target[r] = train.y.Data[r*train.y.Cols]
		}
	}
	p, err := preprocess.FitContext(ctx, cols, specs, train.x, target)
	if err != nil {
		return nil, interrupted(ctx, Errorf(StateNullValue, "%s", err.Error()))
	}
	return p, nil
}

// preprocessSplits fits the preprocessing on fit's rows and applies it to fit and held.
func (sess *Session) preprocessSplits(ctx context.Context, data *trainingData, raw string, fit, held dataSplit, announce bool) (*preprocess.Pipeline, dataSplit, dataSplit, error) {
	p, err := sess.fitPipeline(ctx, data, raw, fit, announce)
	if err != nil {
		return nil, fit, held, err
	}
	for _, s := range []*dataSplit{&fit, &held} {
		if p.Identity() || s.x.Rows == 0 {
			continue
		}
		if s.x, err = transformRows(ctx, p, s.x); err != nil {
			return nil, fit, held, err
		}
	}
	return p, fit, held, nil
}

// transformRows applies the preprocessing to every row, in chunks that stop on cancel.
func transformRows(ctx context.Context, p *preprocess.Pipeline, x algorithms.Matrix) (algorithms.Matrix, error) {
	out := algorithms.Matrix{Rows: x.Rows, Cols: p.OutputWidth(), Data: make([]float64, x.Rows*p.OutputWidth())}
	if err := p.TransformContext(ctx, out, x); err != nil {
		return algorithms.Matrix{}, interrupted(ctx, Errorf(StateInvalidParameter, "%s", err.Error()))
	}
	return out, nil
}

func (sess *Session) storePipeline(modelID int64, p *preprocess.Pipeline) error {
	b, err := p.MarshalBinary()
	if err != nil {
		return err
	}
	return sess.storeModelFile(modelID, pipelinePath, b)
}

// loadPipeline returns the model's preprocessing, or nil for models stored without one. The
// bytes are verified (integrity.go) before they are decoded.
func (sess *Session) loadPipeline(modelID int64) (*preprocess.Pipeline, error) {
	listed, err := sess.listModelFiles(modelID)
	if err != nil {
		return nil, err
	}
	return sess.pipelineOf(listed)
}

func (sess *Session) pipelineOf(listed *storedFiles) (*preprocess.Pipeline, error) {
	files, err := sess.read(listed, []string{pipelinePath})
	if err != nil {
		return nil, err
	}
	b, ok := files[pipelinePath]
	if !ok {
		return nil, nil
	}
	p := &preprocess.Pipeline{}
	if err := p.UnmarshalBinary(b); err != nil {
		return nil, Errorf(StateDataException, "model %d: its preprocessing cannot be loaded: %v", listed.modelID, err)
	}
	return p, nil
}
