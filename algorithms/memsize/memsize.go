// Package memsize estimates how many bytes of Go heap a value keeps alive: what a fitted model
// costs while it sits in the extension's model cache. The estimate walks the value with
// reflection and counts the union of the memory it reaches (what pointers point to, slices'
// backing arrays, strings' bytes, an estimate for each map's table), skipping memory Go does not
// own (unsafe.Pointer: C or Python objects). Every model family is measured by the same code,
// and a field added to a model is counted without anyone remembering to.
//
// It is an estimate within a small factor of the real heap use (allocator size classes and map
// tables are approximated); tests in package native check it against measured heap growth for
// every algorithm. The walk costs time in proportion to the number of allocations, not bytes:
// arrays of pointer-free elements are counted without visiting their elements.
package memsize

import (
	"reflect"
	"slices"
	"unsafe"
)

// Of returns the estimated heap bytes reachable from v, including v itself when it is a
// pointer or an interface holding a value that needed its own allocation.
func Of(v any) int64 {
	if v == nil {
		return 0
	}
	w := walker{visited: map[visit]struct{}{}, pointerFree: map[reflect.Type]bool{}}
	rv := reflect.ValueOf(v)
	if !pointerShaped(rv.Type()) {
		w.boxed += int64(rv.Type().Size()) // the interface's own box
	}
	w.value(rv)
	return w.boxed + w.maps + unionBytes(w.spans)
}

// span is a range of addresses [start, end) that the value refers to.
type span struct{ start, end uintptr }

// visit identifies one walk of the memory at addr as a given type: the same address may be
// reached as a struct and as its first field, or as slices of different lengths.
type visit struct {
	addr   uintptr
	typ    reflect.Type
	length int
}

type walker struct {
	spans       []span
	boxed, maps int64 // bytes outside spans: interface boxes and map tables
	visited     map[visit]struct{}
	pointerFree map[reflect.Type]bool
}

// enter records a visit and reports whether it is the first.
func (w *walker) enter(addr uintptr, typ reflect.Type, length int) bool {
	k := visit{addr, typ, length}
	if _, ok := w.visited[k]; ok {
		return false
	}
	w.visited[k] = struct{}{}
	return true
}

// value counts what v refers to outside its own inline storage.
func (w *walker) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || !w.enter(v.Pointer(), v.Type(), 0) {
			return
		}
		elem := v.Elem()
		if size := elem.Type().Size(); size > 0 {
			w.spans = append(w.spans, span{v.Pointer(), v.Pointer() + size})
		}
		w.value(elem)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		elem := v.Elem()
		if !pointerShaped(elem.Type()) {
			// A non-pointer value stored in an interface lives in a box of its own.
			w.boxed += int64(elem.Type().Size())
		}
		w.value(elem)
	case reflect.Slice:
		if v.IsNil() || v.Cap() == 0 || !w.enter(v.Pointer(), v.Type(), v.Len()) {
			return
		}
		elemType := v.Type().Elem()
		// The capacity is allocated whatever the length.
		if size := uintptr(v.Cap()) * elemType.Size(); size > 0 {
			w.spans = append(w.spans, span{v.Pointer(), v.Pointer() + size})
		}
		if w.hasPointers(elemType) {
			for i := 0; i < v.Len(); i++ {
				w.value(v.Index(i))
			}
		}
	case reflect.Array:
		if w.hasPointers(v.Type().Elem()) {
			for i := 0; i < v.Len(); i++ {
				w.value(v.Index(i))
			}
		}
	case reflect.String:
		if n := v.Len(); n > 0 {
			start := uintptr(unsafe.Pointer(unsafe.StringData(v.String())))
			w.spans = append(w.spans, span{start, start + uintptr(n)})
		}
	case reflect.Struct:
		if !w.hasPointers(v.Type()) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			w.value(v.Field(i))
		}
	case reflect.Map:
		if v.IsNil() || !w.enter(v.Pointer(), v.Type(), 0) {
			return
		}
		w.maps += mapBytes(v)
		keyPointers, valuePointers := w.hasPointers(v.Type().Key()), w.hasPointers(v.Type().Elem())
		if keyPointers || valuePointers {
			iter := v.MapRange()
			for iter.Next() {
				if keyPointers {
					w.value(iter.Key())
				}
				if valuePointers {
					w.value(iter.Value())
				}
			}
		}
	}
	// Chan, Func and UnsafePointer: a channel's buffer, code, and memory that Go does not own
	// are not part of a model's data.
}

// unionBytes is the number of addresses covered by at least one span: a sub-slice, or a
// pointer into an array already counted, adds nothing.
func unionBytes(spans []span) int64 {
	slices.SortFunc(spans, func(a, b span) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	var total int64
	var end uintptr
	for _, s := range spans {
		if s.start > end {
			end = s.start
		}
		if s.end > end {
			total += int64(s.end - end)
			end = s.end
		}
	}
	return total
}

// mapBytes approximates a map's table: its slots plus a control byte each, at the load factor
// the runtime keeps on average (between half and 7/8 full).
func mapBytes(v reflect.Value) int64 {
	const header = 48
	slot := int64(v.Type().Key().Size() + v.Type().Elem().Size() + 1)
	return header + int64(v.Len())*slot*3/2
}

// hasPointers reports whether values of t can refer to other memory, i.e. whether the walk
// must look inside them. Memoized: models hold large arrays of few types.
func (w *walker) hasPointers(t reflect.Type) bool {
	if free, ok := w.pointerFree[t]; ok {
		return !free
	}
	var has bool
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.String, reflect.Map:
		has = true
	case reflect.Array:
		has = t.Len() > 0 && w.hasPointers(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField() && !has; i++ {
			has = w.hasPointers(t.Field(i).Type)
		}
	}
	// Chan, Func and UnsafePointer are not followed (see value): pointer-free for the walk.
	w.pointerFree[t] = !has
	return has
}

// pointerShaped types are stored directly in an interface word, without a box.
func pointerShaped(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	}
	return false
}
