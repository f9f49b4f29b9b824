package modelcache

import (
	"slices"
	"testing"
	"time"
)

type model struct {
	id     int64
	closed bool
}

type fixture struct {
	t       *testing.T
	c       *Cache[*model]
	dropped []int64
	now     time.Time
}

func newFixture(t *testing.T, limit int64) *fixture {
	f := &fixture{t: t, now: time.Unix(1700000000, 0)}
	f.c = New(limit, func(m *model, d Description) {
		if m.id != d.ModelID {
			t.Errorf("release of model %d described as %d", m.id, d.ModelID)
		}
		m.closed = true
		f.dropped = append(f.dropped, m.id)
	})
	return f
}

// load returns the handle of id for statement, adding it with size bytes when not cached.
func (f *fixture) load(statement, id, bytes int64) (Handle, *model) {
	f.t.Helper()
	f.now = f.now.Add(time.Second)
	if h, m, ok := f.c.Find(1, id, statement, f.now); ok {
		return h, m
	}
	m := &model{id: id}
	return f.c.Add(1, statement, Description{ModelID: id, Bytes: bytes}, m, f.now), m
}

func (f *fixture) cached() []int64 {
	var ids []int64
	for _, e := range f.c.Entries() {
		ids = append(ids, e.ModelID)
	}
	return ids
}

func (f *fixture) expect(what string, want ...int64) {
	f.t.Helper()
	if got := f.cached(); !slices.Equal(got, want) {
		f.t.Errorf("%s: cached %v (most recent first), want %v", what, got, want)
	}
}

func TestLeastRecentlyUsedDropped(t *testing.T) {
	f := newFixture(t, 300)
	f.load(1, 10, 100)
	f.load(2, 11, 100)
	f.load(3, 12, 100)
	f.expect("three models of 100 bytes within 300", 12, 11, 10)
	f.load(4, 10, 100) // 10 is now the most recent
	f.load(5, 13, 100)
	f.expect("a fourth model drops the least recently used", 13, 10, 12)
	if !slices.Equal(f.dropped, []int64{11}) {
		t.Errorf("dropped %v, want [11]", f.dropped)
	}
	if f.c.Bytes() != 300 {
		t.Errorf("Bytes = %d, want 300", f.c.Bytes())
	}
}

func TestStaleHandleDetected(t *testing.T) {
	f := newFixture(t, 100)
	h, m := f.load(1, 10, 100)
	if got, ok := f.c.Get(h); !ok || got != m {
		t.Fatalf("Get(fresh handle) = %v, %v", got, ok)
	}
	f.load(2, 11, 100) // drops 10; its slot is reused by 11
	if _, ok := f.c.Get(h); ok {
		t.Fatalf("Get(handle of a dropped model) succeeded")
	}
	if !m.closed {
		t.Errorf("the dropped model was not released")
	}
	h2, m2 := f.load(3, 10, 100) // 10 again, in the slot 11 had
	if got, ok := f.c.Get(h2); !ok || got != m2 || m2 == m {
		t.Errorf("reloaded model: Get = %v, %v", got, ok)
	}
	if _, ok := f.c.Get(h); ok {
		t.Errorf("the first handle of model 10 is valid again after its slot was reused twice")
	}
	if _, ok := f.c.Get(0); ok {
		t.Errorf("the zero handle is valid")
	}
}

func TestModelsOfTheRunningStatementKept(t *testing.T) {
	f := newFixture(t, 150)
	a, _ := f.load(1, 10, 100)
	b, _ := f.load(1, 11, 100) // same statement: 10 stays although the total is over the limit
	if _, ok := f.c.Get(a); !ok {
		t.Errorf("a model of the running statement was dropped to make room")
	}
	f.expect("both models of one statement", 11, 10)
	f.c.Trim() // the transaction ended
	f.expect("after the statement, within the limit again", 11)
	if _, ok := f.c.Get(b); !ok {
		t.Errorf("the most recent model was dropped by Trim")
	}
}

func TestModelLargerThanLimitUsedThenDropped(t *testing.T) {
	f := newFixture(t, 100)
	f.load(1, 10, 50)
	h, m := f.load(2, 11, 1000)
	if got, ok := f.c.Get(h); !ok || got != m {
		t.Fatalf("the large model is not usable by its statement")
	}
	f.expect("the large model of the running statement", 11)
	f.c.Trim()
	f.expect("after its statement")
	if !m.closed || f.c.Bytes() != 0 {
		t.Errorf("the large model was not released (closed %v, bytes %d)", m.closed, f.c.Bytes())
	}
	// Without a Trim (a transaction block), the next statement drops it.
	f.load(3, 11, 1000)
	f.load(4, 12, 10)
	f.expect("the next statement", 12)
}

func TestNewCatalogEmptiesCache(t *testing.T) {
	f := newFixture(t, 1000)
	h, m := f.load(1, 1, 10)
	if _, _, ok := f.c.Find(2, 1, 2, f.now); ok {
		t.Fatalf("model 1 of catalog 1 found under catalog 2")
	}
	if _, ok := f.c.Get(h); ok || !m.closed {
		t.Errorf("a model of the old catalog survives (handle valid: %v, closed: %v)", ok, m.closed)
	}
	f.expect("after the catalog changed")
}

func TestZeroLimitKeepsOnlyTheStatementsModels(t *testing.T) {
	f := newFixture(t, 0)
	h, _ := f.load(1, 10, 10)
	if _, ok := f.c.Get(h); !ok {
		t.Fatalf("with a zero limit the statement cannot use its model")
	}
	f.c.Trim()
	f.expect("zero limit after the statement")
}

func TestEntriesReportUse(t *testing.T) {
	f := newFixture(t, 1000)
	h, _ := f.load(1, 10, 10)
	loaded := f.now
	for i := 0; i < 5; i++ {
		f.c.Get(h)
	}
	f.load(2, 10, 10)
	e := f.c.Entries()
	if len(e) != 1 || e[0].Hits != 5 || !e[0].LoadedAt.Equal(loaded) || !e[0].LastUsed.Equal(f.now) || e[0].Bytes != 10 {
		t.Errorf("Entries = %+v, want 5 hits, loaded at %v, last used at %v, 10 bytes", e, loaded, f.now)
	}
	f.c.SetLimit(5)
	if !f.c.OverLimit() {
		t.Errorf("OverLimit after lowering the limit under the cached bytes = false")
	}
	f.c.Trim()
	f.expect("after lowering the limit")
}

func BenchmarkGet(b *testing.B) {
	c := New[*model](1<<20, nil)
	h := c.Add(1, 1, Description{ModelID: 1, Bytes: 1}, &model{id: 1}, time.Now())
	for i := 0; i < b.N; i++ {
		if _, ok := c.Get(h); !ok {
			b.Fatal("stale")
		}
	}
}

// A statement going through many models keeps only its last few beyond the limit.
func TestStatementThroughManyModelsStaysBounded(t *testing.T) {
	f := newFixture(t, 100)
	for id := int64(1); id <= 20; id++ {
		f.load(1, id, 100)
	}
	f.expect("one statement, twenty models of the limit's size", 20, 19, 18, 17)
	f.c.Trim()
	f.expect("after the statement", 20)
}

// pgml.nativize makes backends drop the models they loaded through the interpreter, and only those.
func TestDropWhereDropsTheMatchingModels(t *testing.T) {
	f := newFixture(t, 1000)
	h1, m1 := f.load(1, 1, 10)
	f.c.Add(1, 1, Description{ModelID: 2, Runtime: "python", Bytes: 10}, &model{id: 2}, f.now)
	f.c.Add(1, 1, Description{ModelID: 3, Runtime: "python", Bytes: 10}, &model{id: 3}, f.now)
	f.c.DropWhere(func(d Description) bool { return d.Runtime == "python" })
	f.expect("after dropping the python models", 1)
	slices.Sort(f.dropped)
	if !slices.Equal(f.dropped, []int64{2, 3}) || f.c.Bytes() != 10 {
		t.Fatalf("dropped %v, %d bytes left", f.dropped, f.c.Bytes())
	}
	if got, ok := f.c.Get(h1); !ok || got != m1 {
		t.Fatalf("the model kept lost its handle")
	}
}
