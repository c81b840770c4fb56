package elfinfo_test

import (
	"slices"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestFuncNamesHoldInlinedOnes: the names are every function's, plus
// those of functions inlined into all their callers, which have no
// function of their own (os.TempDir in the go command); sorted, once each.
func TestFuncNamesHoldInlinedOnes(t *testing.T) {
	f, err := elfinfo.Open(testbuild.GoCommand(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	funcs, err := f.Funcs()
	if err != nil {
		t.Fatal(err)
	}
	names, err := f.FuncNames()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Error("names not sorted, or repeated")
	}
	isFunc := map[string]bool{}
	for _, fn := range funcs {
		isFunc[fn.Name] = true
		if _, ok := slices.BinarySearch(names, fn.Name); !ok {
			t.Errorf("function %s missing from FuncNames", fn.Name)
			break
		}
	}
	if _, ok := slices.BinarySearch(names, "os.TempDir"); !ok || isFunc["os.TempDir"] {
		t.Errorf("os.TempDir: in FuncNames %v, a function of its own %v; want an inlined name only", ok, isFunc["os.TempDir"])
	}
	if len(names) <= len(isFunc) {
		t.Errorf("%d names for %d functions: no inlined ones", len(names), len(isFunc))
	}
}
