package preprocess

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// The encoding is JSON so that a stored pipeline stays readable next to the
// snapshot it came from. It holds what cannot be derived: the columns, the
// specs, the statistics (from which the replacements for NaN follow), the
// target means and the scaling of each output column.
const (
	formatName    = "pgml.preprocess"
	formatVersion = 1
)

type wirePipeline struct {
	Format  string       `json:"format"`
	Version int          `json:"version"`
	Columns []wireColumn `json:"columns"`
}

type wireColumn struct {
	Column
	Preprocess Spec         `json:"preprocess"`
	Statistics []Statistics `json:"statistics"`
	Target     []jsonFloat  `json:"target,omitempty"`
	Center     []float64    `json:"center,omitempty"`
	Scale      []float64    `json:"scale,omitempty"`
}

// MarshalBinary encodes p as versioned JSON.
func (p *Pipeline) MarshalBinary() ([]byte, error) {
	if p == nil || len(p.cols) == 0 {
		return nil, errors.New("preprocess: cannot encode an unfitted pipeline")
	}
	w := wirePipeline{Format: formatName, Version: formatVersion, Columns: make([]wireColumn, len(p.cols))}
	for i, f := range p.cols {
		c := wireColumn{Column: f.Column, Preprocess: f.spec, Statistics: f.stats, Center: f.center, Scale: f.scale}
		for _, v := range f.target {
			c.Target = append(c.Target, jsonFloat(v))
		}
		w.Columns[i] = c
	}
	return json.Marshal(w)
}

// UnmarshalBinary decodes what MarshalBinary wrote. It checks everything it
// reads, so a damaged encoding is an error rather than a wrong prediction;
// on error p is unchanged.
func (p *Pipeline) UnmarshalBinary(data []byte) error {
	q, err := decode(data)
	if err != nil {
		return fmt.Errorf("preprocess: decoding pipeline: %w", err)
	}
	*p = *q
	return nil
}

func decode(data []byte) (*Pipeline, error) {
	var w wirePipeline
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&w); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the pipeline")
	}
	if w.Format != formatName {
		return nil, fmt.Errorf("format is %q, want %q", w.Format, formatName)
	}
	if w.Version != formatVersion {
		return nil, fmt.Errorf("unsupported version %d, this build reads version %d", w.Version, formatVersion)
	}
	cols := make([]Column, len(w.Columns))
	specs := make(map[string]Spec, len(w.Columns))
	for i, c := range w.Columns {
		cols[i] = c.Column
		specs[c.Name] = c.Preprocess
	}
	if err := validateColumns(cols); err != nil {
		return nil, err
	}
	for _, c := range cols {
		if err := validateSpec(c, specs[c.Name]); err != nil {
			return nil, err
		}
	}
	p := newPipeline(cols, specs)
	if p.outWidth == 0 {
		return nil, errors.New("the pipeline has no output columns")
	}
	for i := range p.cols {
		if err := p.cols[i].restore(w.Columns[i]); err != nil {
			return nil, fmt.Errorf("column %q: %w", p.cols[i].Name, err)
		}
	}
	return p, nil
}

// restore checks and installs the fitted values of one column.
func (f *fitted) restore(w wireColumn) error {
	if len(w.Statistics) != f.Width {
		return fmt.Errorf("%d statistics for width %d", len(w.Statistics), f.Width)
	}
	f.stats = append([]Statistics(nil), w.Statistics...)
	if f.spec.Encode == EncodeTarget {
		if len(w.Target) != len(f.Categories)+1 {
			return fmt.Errorf("%d target means for %d categories and NULL", len(w.Target), len(f.Categories))
		}
		f.target = make([]float64, len(w.Target))
		for k, v := range w.Target {
			f.target[k] = float64(v)
		}
	} else if len(w.Target) != 0 {
		return errors.New("target means without target encoding")
	}
	f.buildCodes()
	if err := f.setFill(); err != nil {
		return err
	}
	if f.Kind == Categorical && f.code == nil {
		// one_hot fills with a code.
		if v := f.fill[0]; !math.IsNaN(v) {
			if _, ok := f.codeOf(v); !ok {
				return f.codeError(v)
			}
		}
	}
	if f.spec.Scale == ScalePreserve || f.outWidth == 0 {
		if len(w.Center) != 0 || len(w.Scale) != 0 {
			return errors.New("scaling values without scaling")
		}
		return nil
	}
	if len(w.Center) != f.outWidth || len(w.Scale) != f.outWidth {
		return fmt.Errorf("%d centres and %d scales for %d output columns", len(w.Center), len(w.Scale), f.outWidth)
	}
	for k := range w.Center {
		if c, s := w.Center[k], w.Scale[k]; math.IsNaN(c) || math.IsInf(c, 0) || !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("invalid scaling (%v, %v) for output column %d", c, s, k+1)
		}
	}
	f.center = append([]float64(nil), w.Center...)
	f.scale = append([]float64(nil), w.Scale...)
	return nil
}
