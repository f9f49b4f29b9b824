package svm

// kernelCache computes rows K(x_i, ·) of the kernel matrix on demand and
// keeps the most recently used ones. SMO touches a few rows over and over
// (those of variables that are still free), so a bounded LRU gives most of
// the speed of the full n×n matrix without its quadratic memory, as
// libsvm's cache does.
type kernelCache struct {
	kernel Kernel
	x      []float64 // training rows, row-major
	// index maps the cache's points to rows of x (nil: point i is row i),
	// so that a pair of classes needs no copy of its rows.
	index []int
	p     int
	norms []float64 // |x_i|²
	// work counts the kernel evaluations' flops since the last drain, for
	// the solver's cancellation checks.
	work int

	rows   [][]float64 // by slot
	owner  []int       // point whose row a slot holds
	slotOf []int       // slot holding a point's row, or -1
	// prev and next link the slots from most (head) to least (tail)
	// recently used.
	prev, next []int
	head, tail int
	capacity   int
}

// minCachedRows is the least capacity: SMO needs rows i and j together.
const minCachedRows = 2

// newKernelCache caches at most budgetBytes of rows (but at least two) of
// the kernel matrix of the rows index of x (all of them when nil).
func newKernelCache(kernel Kernel, x []float64, index []int, p int, budgetBytes float64) *kernelCache {
	n := len(x) / p
	if index != nil {
		n = len(index)
	}
	capacity := n
	if rowBytes := 8 * float64(n); budgetBytes/rowBytes < float64(n) {
		capacity = max(int(budgetBytes/rowBytes), minCachedRows)
	}
	capacity = min(capacity, n)
	c := &kernelCache{
		kernel: kernel, x: x, index: index, p: p, norms: make([]float64, n),
		slotOf: make([]int, n), capacity: capacity, head: -1, tail: -1,
	}
	for i := range c.norms {
		r := c.point(i)
		c.norms[i] = dot(r, r)
	}
	for i := range c.slotOf {
		c.slotOf[i] = -1
	}
	return c
}

// diagonal returns K(x_i, x_i) for every point.
func (c *kernelCache) diagonal() []float64 {
	d := make([]float64, len(c.norms))
	for i := range d {
		xi := c.point(i)
		d[i] = c.kernel.eval(xi, xi, c.norms[i], c.norms[i])
	}
	return d
}

func (c *kernelCache) point(i int) []float64 {
	if c.index != nil {
		i = c.index[i]
	}
	return c.x[i*c.p : (i+1)*c.p]
}

// drainWork returns the flops spent computing kernel values since the last call.
func (c *kernelCache) drainWork() int {
	w := c.work
	c.work = 0
	return w
}

// cacheBytes bounds the memory of a cache of n points with budgetBytes:
// the rows it may keep and its bookkeeping.
func cacheBytes(n int, budgetBytes float64) int64 {
	rows := min(float64(n), max(budgetBytes/(8*float64(n)), minCachedRows))
	return int64(rows)*(8*int64(n)+64) + 24*int64(n)
}

// row returns K(x_i, x_j) for every j. The slice stays valid until the
// cache has been asked for capacity other rows.
func (c *kernelCache) row(i int) []float64 {
	if s := c.slotOf[i]; s >= 0 {
		c.moveToFront(s)
		return c.rows[s]
	}
	var s int
	if len(c.rows) < c.capacity {
		s = len(c.rows)
		c.rows = append(c.rows, make([]float64, len(c.norms)))
		c.owner = append(c.owner, i)
		c.prev = append(c.prev, -1)
		c.next = append(c.next, -1)
	} else {
		s = c.tail
		c.slotOf[c.owner[s]] = -1
		c.unlink(s)
		c.owner[s] = i
	}
	c.slotOf[i] = s
	c.pushFront(s)
	r, xi, ni := c.rows[s], c.point(i), c.norms[i]
	for j := range r {
		r[j] = c.kernel.eval(xi, c.point(j), ni, c.norms[j])
	}
	c.work += len(r) * (2*c.p + 8)
	return r
}

func (c *kernelCache) moveToFront(s int) {
	if c.head != s {
		c.unlink(s)
		c.pushFront(s)
	}
}

func (c *kernelCache) unlink(s int) {
	if c.prev[s] >= 0 {
		c.next[c.prev[s]] = c.next[s]
	} else {
		c.head = c.next[s]
	}
	if c.next[s] >= 0 {
		c.prev[c.next[s]] = c.prev[s]
	} else {
		c.tail = c.prev[s]
	}
	c.prev[s], c.next[s] = -1, -1
}

func (c *kernelCache) pushFront(s int) {
	c.prev[s], c.next[s] = -1, c.head
	if c.head >= 0 {
		c.prev[c.head] = s
	}
	c.head = s
	if c.tail < 0 {
		c.tail = s
	}
}
