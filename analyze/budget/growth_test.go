package budget

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
)

// TestGrowthNamesEvidenceOnly: "grew most" names the rows whose growth
// rests on evidence. runtime's growth is no more than its estimate, which
// changed: it is the estimate moving, not runtime growing, and it is not
// named; net's estimate changed too, but it grew by more than it; main's
// estimate did not change.
func TestGrowthNamesEvidenceOnly(t *testing.T) {
	pkg := func(name string, size, est int64) analyze.PackageSize {
		return analyze.PackageSize{Name: name, Size: size, EstimatedBytes: est, Estimated: est > 0}
	}
	old := &compare.Cell{Size: 10 << 20, Packages: []analyze.PackageSize{
		pkg("main", 100<<10, 0), pkg("runtime", 500<<10, 50<<10), pkg("net", 300<<10, 10<<10), pkg("fmt", 60<<10, 1<<10),
	}}
	new := &compare.Cell{Size: 11 << 20, Packages: []analyze.PackageSize{
		pkg("main", 400<<10, 0), pkg("runtime", 540<<10, 90<<10), pkg("net", 500<<10, 20<<10), pkg("fmt", 61<<10, 1<<10),
	}}
	g := growth(old, new)
	if g == nil {
		t.Fatal("no growth")
	}
	var names []string
	for _, r := range g.Packages {
		names = append(names, r.Name)
	}
	want := []string{"main", "net", "fmt"}
	if len(names) != len(want) {
		t.Fatalf("grew most: %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("grew most: %v, want %v", names, want)
		}
	}
}
