package neighbors

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// referenceNearest is the answer every search method must give, computed
// the plainest way: every row's reduced distance, with the terms added in
// feature order and each rounded (as scan does), then the k smallest by
// distance and training index. A NaN distance counts as +Inf.
func referenceNearest(x algorithms.Matrix, p float64, k int, query []float64) []neighbor {
	all := make([]neighbor, x.Rows)
	for i := range all {
		var sum float64
		for j, v := range x.Row(i) {
			d := math.Abs(query[j] - v)
			switch p {
			case 2:
				sum += float64(d * d)
			case 1:
				sum += d
			default:
				sum += math.Pow(d, p)
			}
		}
		if math.IsNaN(sum) {
			sum = math.Inf(1)
		}
		all[i] = neighbor{sum, i}
	}
	slices.SortFunc(all, func(a, b neighbor) int {
		return cmp.Or(cmp.Compare(a.dist, b.dist), cmp.Compare(a.index, b.index))
	})
	return all[:k]
}

// searchCase is one randomly drawn training set, search settings and
// queries.
type searchCase struct {
	name    string
	x       algorithms.Matrix
	p       float64
	k       int
	leaf    int
	queries [][]float64
}

// drawSearchCase draws shapes where searches go wrong: one row, k equal to
// the rows, one feature or thirty, exact duplicates, integer grids where
// many rows are equidistant, values whose squares overflow or underflow,
// and queries on training rows, halfway between grid points, far away or
// not finite.
func drawSearchCase(rng *rand.Rand) searchCase {
	rows := []int{1, 2, 3, 5, 17, 31, 32, 61, 100, 250, 700}[rng.IntN(11)]
	features := []int{1, 1, 2, 3, 4, 5, 8, 13, 16, 30}[rng.IntN(10)]
	p := []float64{2, 2, 1, 1, 1.5, 3, 0.5 + rng.Float64()*8}[rng.IntN(7)]
	p = max(p, 1)
	kind := []string{"normal", "duplicates", "grid", "constant", "huge", "tiny"}[rng.IntN(6)]
	c := searchCase{
		name: fmt.Sprintf("%s %d×%d p=%v", kind, rows, features, p),
		x:    algorithms.Matrix{Rows: rows, Cols: features, Data: make([]float64, rows*features)},
		p:    p,
		leaf: []int{1, 2, 3, 5, 30, 1000}[rng.IntN(6)],
	}
	pool := make([]float64, 3*features)
	for i := range pool {
		pool[i] = rng.NormFloat64()
	}
	for i := 0; i < rows; i++ {
		row := c.x.Row(i)
		for j := range row {
			switch kind {
			case "normal":
				row[j] = rng.NormFloat64()
			case "duplicates":
				row[j] = pool[rng.IntN(3)*features+j]
			case "grid":
				row[j] = float64(rng.IntN(4))
			case "constant":
				row[j] = 7
			case "huge":
				row[j] = rng.NormFloat64() * 1e160
			case "tiny":
				row[j] = rng.NormFloat64() * 1e-160
			}
		}
	}
	switch rng.IntN(4) {
	case 0:
		c.k = rows
	case 1:
		c.k = 1
	default:
		c.k = 1 + rng.IntN(rows)
	}
	scale := 1.0
	switch kind {
	case "huge":
		scale = 1e160
	case "tiny":
		scale = 1e-160
	}
	for q := 0; q < 12; q++ {
		query := make([]float64, features)
		switch q % 6 {
		case 0:
			copy(query, c.x.Row(rng.IntN(rows)))
		case 1:
			for j := range query {
				query[j] = float64(rng.IntN(9)) / 2
			}
		case 2:
			for j := range query {
				query[j] = rng.NormFloat64() * 1e6 * scale
			}
		case 3:
			for j := range query {
				query[j] = rng.NormFloat64() * scale
			}
			query[rng.IntN(features)] = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)]
		default:
			for j := range query {
				query[j] = rng.NormFloat64() * scale
			}
		}
		c.queries = append(c.queries, query)
	}
	return c
}

// TestSearchMethodsAgreeWithReference checks that brute force, the k-d tree
// and the ball tree return exactly the reference neighbours — the same
// rows, in the same order, with the same distances — on many random shapes.
func TestSearchMethodsAgreeWithReference(t *testing.T) {
	const seed = 20240901
	rng := rand.New(rand.NewPCG(seed, 1))
	trees := 0
	for n := range 600 {
		c := drawSearchCase(rng)
		y := algorithms.Matrix{Rows: c.x.Rows, Cols: 1, Data: make([]float64, c.x.Rows)}
		for _, method := range []string{"brute", "kd_tree", "ball_tree"} {
			hp := algorithms.Hyperparams{"n_neighbors": float64(c.k), "p": c.p, "algorithm": method, "leaf_size": float64(c.leaf)}
			set, err := newTrainingSet(context.Background(), c.x, y, hp)
			if err != nil {
				t.Fatalf("case %d (seed %d) %s %v: %v", n, seed, c.name, hp, err)
			}
			if set.tree != nil {
				trees++
			}
			sc := set.getScratch(0)
			for qi, query := range c.queries {
				if err := set.nearest(query, sc, nil); err != nil {
					t.Fatal(err)
				}
				want := referenceNearest(c.x, c.p, c.k, query)
				if !slices.Equal(sc.heap, want) {
					t.Fatalf("case %d (seed %d) %s k=%d leaf=%d %s, query %d %v:\ngot  %v\nwant %v",
						n, seed, c.name, c.k, c.leaf, method, qi, query, sc.heap, want)
				}
			}
		}
	}
	if trees < 600 {
		t.Errorf("only %d tree searches were tested", trees)
	}
}

// TestBatchPredictionsAgree compares whole predictions of brute-force and
// tree models over batches large enough to be taken leaf by leaf.
func TestBatchPredictionsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, features := range []int{1, 3, 8} {
		for _, grid := range []bool{false, true} {
			x := algorithms.Matrix{Rows: 3000, Cols: features, Data: make([]float64, 3000*features)}
			labels := algorithms.Matrix{Rows: 3000, Cols: 1, Data: make([]float64, 3000)}
			for i := range x.Data {
				if grid {
					x.Data[i] = float64(rng.IntN(5))
				} else {
					x.Data[i] = rng.NormFloat64()
				}
			}
			for i := range labels.Data {
				labels.Data[i] = float64(rng.IntN(3))
			}
			queries := make([]float64, 500*features)
			for i := range queries {
				queries[i] = float64(rng.IntN(9))/2 - 0.5
			}
			for _, weights := range []string{"uniform", "distance"} {
				name := fmt.Sprintf("%d features, grid %v, %s", features, grid, weights)
				var want, wantProba []float64
				for _, method := range []string{"brute", "kd_tree", "ball_tree"} {
					hp := algorithms.Hyperparams{"n_neighbors": 7.0, "weights": weights, "algorithm": method}
					c, err := FitClassifier(context.Background(), x, labels, hp)
					if err != nil {
						t.Fatal(err)
					}
					r, err := FitRegressor(context.Background(), x, labels, hp)
					if err != nil {
						t.Fatal(err)
					}
					got := make([]float64, 2*500)
					c.Predict(got[:500], queries)
					r.Predict(got[500:], queries)
					proba := make([]float64, 3*500)
					c.PredictProba(proba, queries)
					if want == nil {
						want, wantProba = got, proba
						continue
					}
					if !slices.Equal(got, want) || !slices.Equal(proba, wantProba) {
						t.Errorf("%s: %s predictions differ from brute force", name, method)
					}
				}
			}
		}
	}
}

func TestAutoChoosesAsSklearn(t *testing.T) {
	cases := []struct {
		rows, features, k int
		want              searchMethod
	}{
		{1000, 8, 5, searchKDTree},
		{1000, 15, 5, searchKDTree},
		{1000, 16, 5, searchBrute},
		{1000, 8, 499, searchKDTree},
		{1000, 8, 500, searchBrute},
		{11, 2, 5, searchBrute},
		{1, 1, 1, searchBrute},
	}
	for _, c := range cases {
		if got := searchAuto.resolve(c.rows, c.features, c.k); got != c.want {
			t.Errorf("auto for %d×%d, k=%d: %v, want %v", c.rows, c.features, c.k, got, c.want)
		}
	}
	x, y := benchData(40, 3, 2)
	for _, method := range []searchMethod{searchBrute, searchKDTree, searchBallTree} {
		m, err := FitClassifier(context.Background(), x, y, algorithms.Hyperparams{"algorithm": method.String()})
		if err != nil {
			t.Fatal(err)
		}
		if got := m.set.tree; (got == nil) != (method == searchBrute) || got != nil && got.kind != method {
			t.Errorf("algorithm=%v built %+v", method, got)
		}
	}
}

// TestTreeShape checks sklearn's invariant that every leaf holds between
// leaf_size and 2·leaf_size rows (the whole set when it is smaller), and
// that the rows are a permutation of the training rows.
func TestTreeShape(t *testing.T) {
	for _, rows := range []int{1, 2, 29, 30, 31, 60, 61, 1000, 4097} {
		for _, leaf := range []int{1, 3, 30} {
			x, y := benchData(rows, 2, 0)
			set, err := newTrainingSet(context.Background(), x, y, algorithms.Hyperparams{"algorithm": "kd_tree", "leaf_size": float64(leaf), "n_neighbors": 1.0})
			if err != nil {
				t.Fatal(err)
			}
			tr := set.tree
			seen := make([]bool, rows)
			for i, row := range tr.index {
				if seen[row] || !slices.Equal(set.x[i*2:(i+1)*2], x.Row(int(row))) {
					t.Fatalf("%d rows, leaf %d: stored row %d is not training row %d", rows, leaf, i, row)
				}
				seen[row] = true
			}
			for node := len(tr.nodes) / 2; node < len(tr.nodes); node++ {
				n := tr.nodes[node].end - tr.nodes[node].start
				if rows >= leaf && (n < leaf || n > 2*leaf) || rows < leaf && n != rows {
					t.Errorf("%d rows, leaf %d: leaf %d holds %d rows", rows, leaf, node, n)
				}
			}
		}
	}
}

// TestSearchOnALine puts rows and queries on one line, at steps that are
// not binary fractions: there the triangle inequality the ball tree prunes
// with is an equality, and its bound computed without the error margins of
// bounds.go exceeds some computed distances (hundreds of wrong answers).
func TestSearchOnALine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	direction := []float64{1, 0.3}
	for n := range 1500 {
		rows, features := 2+rng.IntN(40), 1+rng.IntN(2)
		x := algorithms.Matrix{Rows: rows, Cols: features, Data: make([]float64, rows*features)}
		for i := 0; i < rows; i++ {
			v := float64(rng.IntN(30))*0.1 + 0.7
			for j := 0; j < features; j++ {
				x.Data[i*features+j] = v * direction[j]
			}
		}
		y := algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
		p := []float64{1, 2, 3}[rng.IntN(3)]
		k := 1 + rng.IntN(rows)
		leaf := 1 + rng.IntN(3)
		queries := make([][]float64, 10)
		for q := range queries {
			v := float64(rng.IntN(80))*0.05 - 0.5
			for j := 0; j < features; j++ {
				queries[q] = append(queries[q], v*direction[j])
			}
		}
		for _, method := range []string{"kd_tree", "ball_tree"} {
			hp := algorithms.Hyperparams{"n_neighbors": float64(k), "p": p, "algorithm": method, "leaf_size": float64(leaf)}
			set, err := newTrainingSet(context.Background(), x, y, hp)
			if err != nil {
				t.Fatal(err)
			}
			sc := set.getScratch(0)
			for _, query := range queries {
				if err := set.nearest(query, sc, nil); err != nil {
					t.Fatal(err)
				}
				if want := referenceNearest(x, p, k, query); !slices.Equal(sc.heap, want) {
					t.Fatalf("case %d, %v, query %v:\ngot  %v\nwant %v", n, hp, query, sc.heap, want)
				}
			}
		}
	}
}

// TestLargeLeaves: a leaf above maxSortedLeaf rows is left unsorted (and
// scanned whole), one at the limit is sorted; both answer as the reference.
func TestLargeLeaves(t *testing.T) {
	rows := maxSortedLeaf + 100
	x, y := benchData(rows, 3, 0)
	queries, _ := benchData(40, 3, 0)
	for _, leaf := range []int{rows, maxSortedLeaf / 2} {
		set, err := newTrainingSet(context.Background(), x, y, algorithms.Hyperparams{"algorithm": "kd_tree", "leaf_size": float64(leaf)})
		if err != nil {
			t.Fatal(err)
		}
		leaves := set.tree.nodes[len(set.tree.nodes)/2:]
		if sorted := leaves[0].splitFeature != unsortedLeaf; sorted != (leaf < rows) {
			t.Errorf("leaf_size %d: leaf of %d rows sorted: %v", leaf, leaves[0].end-leaves[0].start, sorted)
		}
		sc := set.getScratch(0)
		for i := range queries.Rows {
			if err := set.nearest(queries.Row(i), sc, nil); err != nil {
				t.Fatal(err)
			}
			if want := referenceNearest(x, 2, set.k, queries.Row(i)); !slices.Equal(sc.heap, want) {
				t.Fatalf("leaf_size %d, query %d: got %v, want %v", leaf, i, sc.heap, want)
			}
		}
	}
}

// TestBatchOverSeveralOrderings: a batch longer than maxOrderedQueries is
// taken in several sorted runs, each row predicted once, as brute force.
func TestBatchOverSeveralOrderings(t *testing.T) {
	x, y := benchData(100, 1, 0)
	queries, _ := benchData(maxOrderedQueries+1000, 1, 0)
	var want []float64
	for _, method := range []string{"brute", "kd_tree"} {
		m, err := FitRegressor(context.Background(), x, y, algorithms.Hyperparams{"algorithm": method, "leaf_size": 2.0})
		if err != nil {
			t.Fatal(err)
		}
		got := make([]float64, queries.Rows)
		if err := m.PredictContext(context.Background(), got, queries.Data); err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
		} else if !slices.Equal(got, want) {
			t.Errorf("%s predicts differently from brute force", method)
		}
	}
}
