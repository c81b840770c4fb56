package budget

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
)

// TestCheckMessages: the sentences check prints for a failed linkage rule
// and for a cell that did not build read well and name what matters.
func TestCheckMessages(t *testing.T) {
	dyn := compare.Cell{ID: "dyn", Status: compare.StatusOK, Size: 1, Binary: &analyze.Binary{Facts: &analyze.Facts{
		Format: elfinfo.FormatELF, Linkage: "dynamic", Interpreter: "/lib64/ld-linux-x86-64.so.2", Needed: []string{"libc.so.6"}}}}
	pie := compare.Cell{ID: "pie", Status: compare.StatusOK, Size: 1, Binary: &analyze.Binary{Facts: &analyze.Facts{Format: elfinfo.FormatELF, Linkage: "static-pie"}}}
	// go build prints the package's name as a "# pkg" header above its
	// errors: the error itself is the line worth quoting.
	failed := compare.Cell{ID: "failed", Status: compare.StatusFailed, Reason: "# example.com/app\n./broken.go:5:13: undefined: undefinedThing\n./broken.go:6:2: more"}
	static := Budget{Name: "container", All: true, Rules: []Rule{{Kind: Linkage, Linkage: "static"}}}
	dynamic := Budget{Name: "loader", All: true, Rules: []Rule{{Kind: Linkage, Linkage: "dynamic"}}}
	grow := Budget{Name: "growth", All: true, Rules: []Rule{{Kind: MaxGrowth, Percent: 1, HasPercent: true}}}
	built := compare.Cell{ID: "cgo=0,goos=linux,goarch=amd64,strip=off,tags=", Status: compare.StatusOK, Size: 100}
	opts, _ := buildmatrix.Parse(built.ID)
	built.Options = compare.OptionsOf(opts)
	baseFailed := built
	baseFailed.Status, baseFailed.Size = compare.StatusFailed, 0
	r := Evaluate(Input{Budgets: []Budget{grow}, Cells: []compare.Cell{built}, Baseline: []compare.Cell{baseFailed, {ID: "other", Status: compare.StatusOK}}})
	if got, want := r.Rules[0].Message, "the baseline's cell cgo=0,goos=linux,goarch=amd64,strip=off,tags= did not build, so there is no size to measure growth against"; got != want || r.Rules[0].Status != StatusNoBaseline {
		t.Errorf("growth on a baseline cell that failed: %s %q, want NO BASELINE %q", r.Rules[0].Status, got, want)
	}

	for _, tc := range []struct {
		budget Budget
		cell   compare.Cell
		want   string
	}{
		{static, dyn, "container: dyn is dynamically linked, not statically linked (interpreter /lib64/ld-linux-x86-64.so.2, needs libc.so.6)"},
		{dynamic, pie, "loader: pie is static-pie linked, not dynamically linked"},
		{static, failed, `cell failed did not build, so budget "container" cannot pass: ./broken.go:5:13: undefined: undefinedThing …`},
	} {
		r := Evaluate(Input{Budgets: []Budget{tc.budget}, Cells: []compare.Cell{tc.cell}})
		if got := r.Rules[0].Message; got != tc.want {
			t.Errorf("%s on %s:\n got %s\nwant %s", tc.budget.Name, tc.cell.ID, got, tc.want)
		}
	}
}
