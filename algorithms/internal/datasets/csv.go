package datasets

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
)

// Dir is the absolute path of algorithms/testdata.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

// dataPaths are where Load looks for <name>.csv.gz: the test fixtures, then the datasets
// pgml.load_dataset installs (wine, california_housing are only there).
func dataPaths(name string) []string {
	return []string{
		filepath.Join(Dir(), name+".csv.gz"),
		filepath.Join(Dir(), "..", "..", "datasets", "data", name+".csv.gz"),
	}
}

// Load reads testdata/<name>.csv.gz (or datasets/data/<name>.csv.gz). Columns named in labels form y, in that
// order; the others form x in file order. Booleans become 0/1 and PostgreSQL
// array literals ("{{0,1},{2,3}}") are flattened into one feature per element.
func Load(name string, labels ...string) (x, y algorithms.Matrix, err error) {
	paths := dataPaths(name)
	f, err := os.Open(paths[0])
	if os.IsNotExist(err) {
		f, err = os.Open(paths[1])
	}
	if err != nil {
		return x, y, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return x, y, err
	}
	records, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		return x, y, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) < 2 {
		return x, y, fmt.Errorf("%s: no data rows", name)
	}
	header := records[0]
	labelCol := make([]int, len(labels))
	for k, l := range labels {
		labelCol[k] = -1
		for i, h := range header {
			if h == l {
				labelCol[k] = i
			}
		}
		if labelCol[k] < 0 {
			return x, y, fmt.Errorf("%s: no column %q", name, l)
		}
	}
	isLabel := func(i int) bool {
		for _, c := range labelCol {
			if c == i {
				return true
			}
		}
		return false
	}
	for r, rec := range records[1:] {
		var features []float64
		for i, v := range rec {
			if isLabel(i) {
				continue
			}
			if features, err = appendValues(features, v); err != nil {
				return x, y, fmt.Errorf("%s row %d column %q: %w", name, r+1, header[i], err)
			}
		}
		if r == 0 {
			x.Cols = len(features)
		} else if len(features) != x.Cols {
			return x, y, fmt.Errorf("%s row %d: %d features, want %d", name, r+1, len(features), x.Cols)
		}
		x.Data = append(x.Data, features...)
		for _, c := range labelCol {
			if y.Data, err = appendValues(y.Data, rec[c]); err != nil {
				return x, y, fmt.Errorf("%s row %d column %q: %w", name, r+1, header[c], err)
			}
		}
	}
	x.Rows = len(records) - 1
	y.Rows, y.Cols = x.Rows, len(labels)
	return x, y, nil
}

func appendValues(dst []float64, s string) ([]float64, error) {
	switch s {
	case "true", "t":
		return append(dst, 1), nil
	case "false", "f":
		return append(dst, 0), nil
	}
	if strings.HasPrefix(s, "{") {
		s = strings.NewReplacer("{", "", "}", "").Replace(s)
		for _, e := range strings.Split(s, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(e), 64)
			if err != nil {
				return nil, err
			}
			dst = append(dst, v)
		}
		return dst, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, err
	}
	return append(dst, v), nil
}
