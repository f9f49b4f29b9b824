package forest

import (
	"context"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// smallForests returns the encodings of a regressor and a classifier of
// each kind, small enough to mutate byte by byte.
func smallForests(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	hp := algorithms.Hyperparams{"n_estimators": 3.0, "max_depth": 3.0, "random_state": 0.0}
	x, y := load(t, "linnerud", "weight", "waste", "pulse")
	xc, yc := load(t, "iris", "target")
	for _, kind := range []Kind{RandomForest, ExtraTrees} {
		r, err := FitRegressor(context.Background(), kind, x, y, hp)
		if err != nil {
			t.Fatal(err)
		}
		c, err := FitClassifier(context.Background(), kind, xc, yc, hp)
		if err != nil {
			t.Fatal(err)
		}
		files[kind.Name()+"/regression"], _ = r.MarshalBinary()
		files[kind.Name()+"/classification"], _ = c.MarshalBinary()
	}
	return files
}

// unmarshal decodes a whole model file, as native.Load does.
func unmarshal(b []byte) (algorithms.Model, error) {
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		return nil, err
	}
	kind := RandomForest
	if h.Algorithm == ExtraTreesName {
		kind = ExtraTrees
	}
	if h.Task == algorithms.Regression {
		return UnmarshalRegressor(kind, payload)
	}
	return UnmarshalClassifier(kind, payload)
}

func TestMarshalRoundTrip(t *testing.T) {
	x, _ := load(t, "iris", "target")
	for name, b := range smallForests(t) {
		m, err := unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, _ := m.MarshalBinary()
		if !slices.Equal(again, b) {
			t.Errorf("%s: re-encoding a loaded forest changes its bytes", name)
		}
		if m.Algorithm()+"/"+m.Task().String() != name {
			t.Errorf("%s: loaded as %s %v", name, m.Algorithm(), m.Task())
		}
		// iris's 4 features serve any 3-feature model too.
		rows := 10
		in := x.Data[:rows*m.NumFeatures()]
		if m.NumFeatures() == 3 {
			in = x.Data[:rows*3]
		}
		got := make([]float64, rows*m.NumOutputs())
		m.Predict(got, in)
		for _, v := range got {
			if math.IsNaN(v) {
				t.Errorf("%s: NaN prediction after round trip", name)
			}
		}
	}
}

func TestUnmarshalRejectsCorruption(t *testing.T) {
	b := smallForests(t)[RandomForestName+"/classification"]
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil || h.Task != algorithms.Classification {
		t.Fatal(h, err)
	}
	// Locate the first node: features, classes, three counts, the roots.
	numClasses := int(binary.LittleEndian.Uint32(payload[4:]))
	counts := 8 + 8*numClasses
	numTrees := int(binary.LittleEndian.Uint32(payload[counts:]))
	firstNode := counts + 12 + 4*numTrees
	rootFeature, rootNext := firstNode+8, firstNode+12

	// A backward edge from the deepest-placed internal node of tree 0.
	m, err := UnmarshalClassifier(RandomForest, payload)
	if err != nil {
		t.Fatal(err)
	}
	lastInternal := 0
	for i, n := range m.trees[0].nodes {
		if n.feature != leafFeature {
			lastInternal = i
		}
	}
	if lastInternal < 2 {
		t.Fatal("tree 0 is too small for a backward edge")
	}

	mutate := func(at int, v uint32) []byte {
		p := slices.Clone(payload)
		binary.LittleEndian.PutUint32(p[at:], v)
		return p
	}
	cases := map[string]struct {
		payload []byte
		want    string
	}{
		"self loop":        {mutate(rootNext, 0), "right child"},
		"backward edge":    {mutate(rootNext+16*lastInternal, 1), "right child"},
		"child past tree":  {mutate(rootNext, 1<<20), "right child"},
		"feature":          {mutate(rootFeature, 99), "feature 99"},
		"leaf number":      {mutate(rootNext+16*4, 1<<30), "leaf"},
		"second root":      {mutate(counts+16, 0), "roots must increase"},
		"more trees":       {mutate(counts, uint32(numTrees+1)), "unexpected end of data"},
		"unsorted classes": {mutate(8+4, 0xffffffff), "classes"},
		"no classes":       {mutate(4, 0), "no classes"},
		"NaN threshold": {func() []byte {
			p := slices.Clone(payload)
			binary.LittleEndian.PutUint64(p[firstNode:], math.Float64bits(math.NaN()))
			return p
		}(), "NaN"},
	}
	for name, c := range cases {
		_, err := UnmarshalClassifier(RandomForest, c.payload)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want one mentioning %q", name, err, c.want)
		}
	}
	for cut := range len(payload) {
		if _, err := UnmarshalClassifier(RandomForest, payload[:cut]); err == nil {
			t.Fatalf("accepted the first %d of %d payload bytes", cut, len(payload))
		}
	}
	if _, err := UnmarshalClassifier(RandomForest, append(slices.Clone(payload), 0)); err == nil {
		t.Error("accepted a trailing byte")
	}
}

// FuzzUnmarshal checks that no input makes the loaders panic or return a
// forest whose prediction panics or loops. Run with:
// go test -fuzz=FuzzUnmarshal ./algorithms/forest
func FuzzUnmarshal(f *testing.F) {
	for _, b := range smallForests(f) {
		f.Add(b)
	}
	f.Add([]byte("PGMLMODL\x01\x00\x0dextra_trees\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := unmarshal(b)
		if err != nil {
			return
		}
		x := make([]float64, 3*m.NumFeatures())
		for i := range x {
			x[i] = float64(i%5) - 2
		}
		if err := algorithms.Predict(m, make([]float64, 3*m.NumOutputs()), x); err != nil {
			t.Fatalf("loaded forest cannot predict: %v", err)
		}
		if c, ok := m.(algorithms.Classifier); ok {
			if err := algorithms.PredictProba(c, make([]float64, 3*len(c.Classes())), x); err != nil {
				t.Fatal(err)
			}
		}
	})
}
