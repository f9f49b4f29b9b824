package boosting

// binStats sums the gradients, hessians and rows that fall in one bin.
type binStats struct {
	grad, hess float64
	count      int
}

// histogram holds binStats for every bin of every feature, feature f at
// binnedData.offset[f].
type histogram []binStats

// buildFeature fills feature f's part of h from the rows of one node, whose
// gradients and hessians were gathered in row order into grad and hess.
func (h histogram) buildFeature(d *binnedData, f int, rows []int32, grad, hess []float64) {
	out := h[d.offset[f]:d.offset[f+1]]
	clear(out)
	col := d.column(f)
	grad = grad[:len(rows)]
	hess = hess[:len(rows)]
	for i, r := range rows {
		s := &out[col[r]]
		s.grad += grad[i]
		s.hess += hess[i]
		s.count++
	}
}

// subtractFeature sets feature f of h to parent − sibling: the histogram of a
// node's other child costs one pass over the bins instead of over its rows.
func (h histogram) subtractFeature(d *binnedData, f int, parent, sibling histogram) {
	lo, hi := d.offset[f], d.offset[f+1]
	for b := lo; b < hi; b++ {
		h[b] = binStats{
			grad:  parent[b].grad - sibling[b].grad,
			hess:  parent[b].hess - sibling[b].hess,
			count: parent[b].count - sibling[b].count,
		}
	}
}

// histogramPool recycles histograms between nodes and trees; one is live
// per unsplit candidate leaf, so the pool stays as small as the widest tree.
type histogramPool struct {
	size int
	free []histogram
}

func (p *histogramPool) get() histogram {
	if n := len(p.free); n > 0 {
		h := p.free[n-1]
		p.free = p.free[:n-1]
		return h
	}
	return make(histogram, p.size)
}

func (p *histogramPool) put(h histogram) {
	if h != nil {
		p.free = append(p.free, h)
	}
}
