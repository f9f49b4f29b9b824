package catboost

import (
	"context"
	"math"

	"github.com/pgml-go/pgml/algorithms/safego"
)

// split is one level of a symmetric tree: rows whose feature value exceeds border go right.
type split struct {
	feature int
	border  int // index into the feature's borders
}

// searcher chooses the splits of one symmetric tree, level by level. Every candidate (feature,
// border) is scored over all current leaves at once with CatBoost's Cosine score of the
// weighted derivatives, plus a normal perturbation of random_strength's scale.
type searcher struct {
	q        *quantized
	dims     int
	l2       float64 // scaled by the mean bootstrap weight, as CatBoost does
	features []int   // the features with at least one border
	base     []int   // base[f]: index of feature f's first bin among all features' bins
	bins     int     // total bins of all features
	hist     []float64
	leafOf   []int32
	weight   []float64 // bootstrap weight of each row
	wder     []float64 // weight × derivative, n×dims
	noise    []float64 // the perturbation of each candidate at the current level
	workers  int
	// order[f] lists the rows by bin of feature f, for scoring small data row by row
	// (scoreByRows); nil when the data is too large for it to pay.
	order  [][]int32
	totals []float64 // per leaf of the current level: weight, then weighted derivatives
}

// maxOrderBytes bounds the row orders kept for scoring by rows.
const maxOrderBytes = 256 << 20

func newSearcher(q *quantized, dims, depth, workers int) *searcher {
	s := &searcher{q: q, dims: dims, base: make([]int, len(q.borders)), workers: workers}
	for f, b := range q.borders {
		s.base[f] = s.bins
		s.bins += len(b) + 1
		if len(b) > 0 {
			s.features = append(s.features, f)
		}
	}
	s.hist = make([]float64, s.bins*(1<<(depth-1))*(dims+1))
	s.leafOf = make([]int32, q.rows)
	s.weight = make([]float64, q.rows)
	s.wder = make([]float64, q.rows*dims)
	s.totals = make([]float64, (1<<(depth-1))*(dims+1))
	if n := q.rows; n < maxBorders<<(depth-1) && int64(n)*int64(len(s.features))*4 <= maxOrderBytes {
		s.order = make([][]int32, len(q.borders))
		for _, f := range s.features {
			s.order[f] = orderByBin(q.bins[f*n:(f+1)*n], len(q.borders[f])+1)
		}
	}
	return s
}

// orderByBin returns the row indexes sorted by bin (a counting sort: stable).
func orderByBin(bins []uint8, count int) []int32 {
	start := make([]int, count+1)
	for _, b := range bins {
		start[int(b)+1]++
	}
	for b := 1; b <= count; b++ {
		start[b] += start[b-1]
	}
	order := make([]int32, len(bins))
	for i, b := range bins {
		order[start[b]] = int32(i)
		start[b]++
	}
	return order
}

// byRows reports whether feature f's borders are scored faster row by row than from a
// histogram at a level of the given leaves: when there are fewer rows than (bin, leaf) cells.
func (s *searcher) byRows(f, leaves int) bool {
	return s.order != nil && 2*s.q.rows < (len(s.q.borders[f])+1)*leaves
}

// candidates is the number of (feature, border) pairs.
func (s *searcher) candidates() int { return s.bins - len(s.q.borders) }

// best is a level's winning split; found is false when no feature has a border.
type best struct {
	score float64
	split split
	found bool
}

func (b best) better(o best) bool {
	if !o.found {
		return false
	}
	if !b.found || o.score > b.score {
		return true
	}
	return o.score == b.score && (o.split.feature < b.split.feature ||
		(o.split.feature == b.split.feature && o.split.border < b.split.border))
}

// level finds the best split of the leaves of level d (2^d of them) and moves every row
// to its child. The caller has filled noise for this level.
func (s *searcher) level(ctx context.Context, d int) (split, bool, error) {
	leaves := 1 << d
	parts := min(s.workers, len(s.features))
	if s.q.rows*len(s.features) < 1<<15 {
		parts = 1 // too little work to pay for goroutines
	}
	results := make([]best, parts)
	s.leafTotals(leaves)
	work := func(part int) error {
		for k := part; k < len(s.features); k += parts {
			if err := ctx.Err(); err != nil {
				return err
			}
			f := s.features[k]
			var b best
			if s.byRows(f, leaves) {
				b = s.scoreByRows(f, leaves)
			} else {
				s.histogram(f, leaves)
				b = s.scoreFeature(f, leaves)
			}
			if results[part].better(b) {
				results[part] = b
			}
		}
		return nil
	}
	if parts == 1 {
		if err := work(0); err != nil {
			return split{}, false, err
		}
	} else {
		g, gctx := safego.WithContext(ctx)
		ctx = gctx
		for part := 0; part < parts; part++ {
			g.Go(func() error { return work(part) })
		}
		if err := g.Wait(); err != nil {
			return split{}, false, err
		}
	}
	var winner best
	for _, r := range results {
		if winner.better(r) {
			winner = r
		}
	}
	if !winner.found {
		return split{}, false, nil
	}
	f, j := winner.split.feature, winner.split.border
	bins := s.q.bins[f*s.q.rows : (f+1)*s.q.rows]
	bit := int32(1) << d
	for i, b := range bins {
		if int(b) > j {
			s.leafOf[i] |= bit
		}
	}
	return winner.split, true, nil
}

// histogram sums weights and weighted derivatives of feature f per (bin, leaf).
func (s *searcher) histogram(f, leaves int) {
	stride := s.dims + 1
	n := s.q.rows
	h := s.hist[s.base[f]*leaves*stride : (s.base[f]+len(s.q.borders[f])+1)*leaves*stride]
	clear(h)
	bins := s.q.bins[f*n : (f+1)*n]
	if s.dims == 1 {
		for i, b := range bins {
			c := (int(b)*leaves + int(s.leafOf[i])) * 2
			h[c] += s.weight[i]
			h[c+1] += s.wder[i]
		}
		return
	}
	for i, b := range bins {
		c := (int(b)*leaves + int(s.leafOf[i])) * stride
		h[c] += s.weight[i]
		row := s.wder[i*s.dims : (i+1)*s.dims]
		cell := h[c+1 : c+stride]
		for k, v := range row {
			cell[k] += v
		}
	}
}

// scoreFeature scores every border of feature f: the Cosine score of the children of all
// leaves, Σ avg·Σder / sqrt(Σ avg²·Σweight) with avg = Σder / (Σweight + l2) per child and
// output, then the candidate's noise.
func (s *searcher) scoreFeature(f, leaves int) best {
	stride := s.dims + 1
	nb := len(s.q.borders[f])
	h := s.hist[s.base[f]*leaves*stride : (s.base[f]+nb+1)*leaves*stride]
	width := leaves * stride
	total := make([]float64, width)
	for b := 0; b <= nb; b++ {
		for c, v := range h[b*width : (b+1)*width] {
			total[c] += v
		}
	}
	left := make([]float64, width)
	var out best
	noiseBase := s.base[f] - f // candidates before feature f
	for j := 0; j < nb; j++ {
		for c, v := range h[j*width : (j+1)*width] {
			left[c] += v
		}
		num, den := 0.0, 0.0
		for c := 0; c < width; c += stride {
			n, d := s.children(left[c:c+stride], total[c:c+stride])
			num += n
			den += d
		}
		score := cosine(num, den) + s.noise[noiseBase+j]
		if cand := (best{score: score, split: split{f, j}, found: true}); out.better(cand) {
			out = cand
		}
	}
	return out
}

// children returns the Cosine score's terms of a leaf's two children, the left one's stats
// being left and the leaf's total: Σ over outputs of avg·Σder and avg²·Σweight, with
// avg = Σder / (Σweight + l2); a child without weight adds nothing.
func (s *searcher) children(left, total []float64) (num, den float64) {
	wl, wr := left[0], total[0]-left[0]
	for k := 1; k < len(left); k++ {
		dl, dr := left[k], total[k]-left[k]
		if wl > 0 {
			avg := dl / (wl + s.l2)
			num += avg * dl
			den += avg * avg * wl
		}
		if wr > 0 {
			avg := dr / (wr + s.l2)
			num += avg * dr
			den += avg * avg * wr
		}
	}
	return num, den
}

// cosine is CatBoost's Cosine score from its summed terms (the denominator starts at 1e-100
// so that an all-zero candidate scores 0).
func cosine(num, den float64) float64 { return num / math.Sqrt(den+1e-100) }

// leafTotals sums the weights and weighted derivatives of every leaf of the current level.
func (s *searcher) leafTotals(leaves int) {
	stride := s.dims + 1
	t := s.totals[:leaves*stride]
	clear(t)
	for i, l := range s.leafOf {
		c := int(l) * stride
		t[c] += s.weight[i]
		for k, v := range s.wder[i*s.dims : (i+1)*s.dims] {
			t[c+1+k] += v
		}
	}
}

// scoreByRows scores every border of feature f by walking its rows in bin order: moving a
// row to the left child changes only its leaf's terms, so the score of border j is kept as a
// running sum and read once all rows of bins 0..j moved.
func (s *searcher) scoreByRows(f, leaves int) best {
	stride := s.dims + 1
	nb := len(s.q.borders[f])
	total := s.totals[:leaves*stride]
	left := make([]float64, leaves*stride)
	nums := make([]float64, leaves)
	dens := make([]float64, leaves)
	var num, den float64
	for l := 0; l < leaves; l++ {
		nums[l], dens[l] = s.children(left[l*stride:(l+1)*stride], total[l*stride:(l+1)*stride])
		num += nums[l]
		den += dens[l]
	}
	var out best
	noiseBase := s.base[f] - f
	record := func(j int) {
		score := cosine(num, den) + s.noise[noiseBase+j]
		if cand := (best{score: score, split: split{f, j}, found: true}); out.better(cand) {
			out = cand
		}
	}
	bins := s.q.bins[f*s.q.rows : (f+1)*s.q.rows]
	j := 0
	for _, i := range s.order[f] {
		for b := int(bins[i]); j < b && j < nb; j++ {
			record(j)
		}
		l := int(s.leafOf[i])
		cell := left[l*stride : (l+1)*stride]
		cell[0] += s.weight[i]
		for k, v := range s.wder[int(i)*s.dims : (int(i)+1)*s.dims] {
			cell[1+k] += v
		}
		n, d := s.children(cell, total[l*stride:(l+1)*stride])
		num += n - nums[l]
		den += d - dens[l]
		nums[l], dens[l] = n, d
	}
	for ; j < nb; j++ {
		record(j)
	}
	return out
}
