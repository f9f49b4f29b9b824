// Package modelcache is the bounded per-backend cache of loaded models: least recently used
// models are dropped once the sizes of the cached models add up to more than the limit. The
// models the running statement used last (up to StatementModels of them) are kept until the
// statement is over, even beyond the limit: a model larger than the limit serves the statement
// that needs it, and a statement alternating between a few models does not reload them for
// every row. A statement going through many models (a loop over projects) keeps only its last
// few, so memory stays bounded within a statement too.
//
// Callers that keep a model between calls (the C call sites of the prediction functions) keep a
// Handle: a slot and the slot's generation. Evicting a model bumps its slot's generation, so a
// stale handle is recognized by one comparison on the hot path and the caller resolves the
// model again; a handle never reaches a dropped or reused slot.
//
// The cache belongs to one backend and is used from its main thread only: no locking.
// Pure Go: no cgo, no PostgreSQL.
package modelcache

import (
	"slices"
	"time"
)

// Handle names a cached model: slot index in the low 32 bits, generation in the high 32 bits.
// The zero Handle is never valid.
type Handle uint64

// Description is what the cache reports about a model (pgml.model_cache()).
type Description struct {
	ModelID   int64
	Project   string
	Algorithm string
	Runtime   string
	Bytes     int64 // estimated memory the loaded model holds
}

// Entry is one cached model as reported by Entries.
type Entry struct {
	Description
	Hits     int64 // calls served by the cached model
	LastUsed time.Time
	LoadedAt time.Time
}

// StatementModels is how many of the running statement's most recently used models are kept
// beyond the limit until the statement ends.
const StatementModels = 4

const none = -1

type slot[V any] struct {
	generation uint32 // odd while the slot holds a model, even while it is free
	value      V
	entry      Entry
	statement  int64 // the last statement that used the model
	prev, next int32 // recency list: prev is more recent
}

// Cache maps model ids to loaded models of type V.
type Cache[V any] struct {
	limit     int64
	total     int64
	catalog   uint64 // identity of the catalog the cached models were read from
	statement int64  // the statement running now, as told by Find and Add
	slots     []slot[V]
	free      []int32
	byID      map[int64]int32
	head      int32 // most recently used
	tail      int32 // least recently used
	release   func(V, Description)
}

// New returns an empty cache holding at most limit bytes between statements; release is
// called for every model the cache drops (to free what it holds outside the Go heap).
func New[V any](limit int64, release func(V, Description)) *Cache[V] {
	return &Cache[V]{limit: limit, byID: map[int64]int32{}, head: none, tail: none, release: release}
}

// Get returns the model a handle names, or false when the handle is stale (the model was
// dropped): the prediction hot path, one comparison and a counter.
func (c *Cache[V]) Get(h Handle) (V, bool) {
	i := uint32(h)
	if uint64(i) < uint64(len(c.slots)) {
		if s := &c.slots[i]; s.generation == uint32(h>>32) {
			s.entry.Hits++
			return s.value, true
		}
	}
	var zero V
	return zero, false
}

// Find returns the cached model of modelID for a statement, marking it used now. A different
// catalog (the extension was dropped and created again) empties the cache first: model ids of
// another catalog name other models.
func (c *Cache[V]) Find(catalog uint64, modelID, statement int64, now time.Time) (Handle, V, bool) {
	c.enter(catalog, statement)
	i, ok := c.byID[modelID]
	if !ok {
		var zero V
		return 0, zero, false
	}
	c.use(i, now)
	c.shrink(StatementModels)
	return c.handle(i), c.slots[i].value, true
}

// Add caches a model loaded for a statement and returns its handle. Least recently used models
// are dropped until the new one fits, except the statement's last few (see StatementModels);
// the new model itself is never dropped here, however large.
func (c *Cache[V]) Add(catalog uint64, statement int64, d Description, value V, now time.Time) Handle {
	c.enter(catalog, statement)
	if old, ok := c.byID[d.ModelID]; ok {
		c.drop(old)
	}
	c.total += d.Bytes // counted before shrinking, so that the new model fits
	c.shrink(StatementModels - 1)
	var i int32
	if n := len(c.free); n > 0 {
		i, c.free = c.free[n-1], c.free[:n-1]
	} else {
		c.slots = append(c.slots, slot[V]{})
		i = int32(len(c.slots) - 1)
	}
	s := &c.slots[i]
	s.generation++ // even (free) -> odd (in use)
	s.value = value
	s.entry = Entry{Description: d, LoadedAt: now}
	s.prev, s.next = none, none
	c.byID[d.ModelID] = i
	c.use(i, now)
	return c.handle(i)
}

// Trim drops least recently used models until the cache is within its limit, including models
// of the last statement: called when a transaction ends, so that a model larger than the limit
// is dropped once the statement that needed it is over.
func (c *Cache[V]) Trim() {
	c.shrink(0)
}

// Clear drops every model.
func (c *Cache[V]) Clear() {
	for c.tail != none {
		c.drop(c.tail)
	}
}

// DropWhere drops the models whose description matches: their handles become stale.
func (c *Cache[V]) DropWhere(match func(Description) bool) {
	for i := c.head; i != none; {
		next := c.slots[i].next
		if match(c.slots[i].entry.Description) {
			c.drop(i)
		}
		i = next
	}
}

// SetLimit changes the limit; the cache shrinks to it at the next Trim, Find or Add.
func (c *Cache[V]) SetLimit(limit int64) { c.limit = limit }

// OverLimit reports whether Trim would drop something.
func (c *Cache[V]) OverLimit() bool { return c.total > c.limit }

// Bytes is the sum of the cached models' sizes.
func (c *Cache[V]) Bytes() int64 { return c.total }

// Entries lists the cached models, most recently used first.
func (c *Cache[V]) Entries() []Entry {
	out := make([]Entry, 0, len(c.byID))
	for i := c.head; i != none; i = c.slots[i].next {
		out = append(out, c.slots[i].entry)
	}
	return out
}

func (c *Cache[V]) handle(i int32) Handle {
	return Handle(uint64(c.slots[i].generation)<<32 | uint64(uint32(i)))
}

// enter records the catalog and statement of a lookup; from now on, models of the previous
// statement are no longer kept beyond the limit.
func (c *Cache[V]) enter(catalog uint64, statement int64) {
	if catalog != c.catalog {
		c.Clear()
		c.catalog = catalog
	}
	c.statement = statement
}

// use marks slot i as used by the current statement and moves it to the front.
func (c *Cache[V]) use(i int32, now time.Time) {
	s := &c.slots[i]
	s.statement = c.statement
	s.entry.LastUsed = now
	if c.head == i {
		return
	}
	c.unlink(i)
	s.prev, s.next = none, c.head
	if c.head != none {
		c.slots[c.head].prev = i
	}
	c.head = i
	if c.tail == none {
		c.tail = i
	}
}

// shrink drops least recently used models while the cache is over its limit, except the keep
// models the current statement used last.
func (c *Cache[V]) shrink(keep int) {
	if c.total <= c.limit {
		return
	}
	var kept [StatementModels]int32
	n := 0
	for i := c.head; i != none && n < keep; i = c.slots[i].next {
		if c.slots[i].statement == c.statement {
			kept[n] = i
			n++
		}
	}
	for i := c.tail; c.total > c.limit && i != none; {
		prev := c.slots[i].prev
		if !slices.Contains(kept[:n], i) {
			c.drop(i)
		}
		i = prev
	}
}

func (c *Cache[V]) unlink(i int32) {
	s := &c.slots[i]
	if s.prev != none {
		c.slots[s.prev].next = s.next
	} else if c.head == i {
		c.head = s.next
	}
	if s.next != none {
		c.slots[s.next].prev = s.prev
	} else if c.tail == i {
		c.tail = s.prev
	}
	s.prev, s.next = none, none
}

// drop evicts slot i: its handles become stale and release frees what the model holds.
func (c *Cache[V]) drop(i int32) {
	s := &c.slots[i]
	c.unlink(i)
	delete(c.byID, s.entry.ModelID)
	c.total -= s.entry.Bytes
	value, d := s.value, s.entry.Description
	var zero V
	s.value, s.entry = zero, Entry{}
	s.generation++ // odd (in use) -> even (free): every handle to it is stale
	c.free = append(c.free, i)
	if c.release != nil {
		c.release(value, d)
	}
}
