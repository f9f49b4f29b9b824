package faults

import "testing"

func TestSetAndActive(t *testing.T) {
	t.Cleanup(func() { _ = Set("") })
	for _, name := range Names {
		if err := Set(name); err != nil {
			t.Fatalf("Set(%q): %v", name, err)
		}
		for _, other := range Names {
			if got := Active(other); got != (other == name) {
				t.Errorf("with %q set, Active(%q) = %v", name, other, got)
			}
		}
	}
	for _, name := range Stalls {
		if err := Set(name); err != nil || !Active(name) || Active(WorkerPanic) {
			t.Errorf("Set(%q) = %v; active: %v", name, err, Active(name))
		}
	}
	if err := Set("no_such_fault"); err == nil {
		t.Error("Set accepted an unknown fault")
	}
	if err := Set(""); err != nil || Active(WorkerPanic) {
		t.Errorf("Set(\"\") = %v, and WorkerPanic still active: %v", err, Active(WorkerPanic))
	}
}
