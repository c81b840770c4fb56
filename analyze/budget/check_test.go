package budget

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
	"github.com/google/go-cmp/cmp"
)

func checkCell(id string, cgo, strip bool, goos string, status compare.Status, size int64, format elfinfo.Format, linkage string, stripped bool) compare.Cell {
	c := compare.Cell{
		ID:      id,
		Options: compare.Options{CGO: cgo, GOOS: goos, GOARCH: "amd64", Strip: strip, Tags: []string{}},
		Status:  status,
		Size:    size,
	}
	if status == compare.StatusOK {
		c.Binary = &analyze.Binary{Facts: &analyze.Facts{Format: format, Linkage: linkage, Stripped: stripped, DebugInfo: !stripped}}
	}
	return c
}

func TestCheck(t *testing.T) {
	t0, t1 := true, false
	static := checkCell("static", false, true, "linux", compare.StatusOK, 7<<20, elfinfo.FormatELF, "static", true)
	dynamic := checkCell("dynamic", true, false, "linux", compare.StatusOK, 12<<20, elfinfo.FormatELF, "dynamic", false)
	darwin := checkCell("darwin", false, true, "darwin", compare.StatusOK, 7<<20, elfinfo.FormatMachO, "dynamic", true)
	failed := checkCell("failed", false, false, "linux", compare.StatusFailed, 0, "", "", false)
	failed.Reason = "main.go:3: undefined: x\nmore"
	skipped := checkCell("skipped", true, true, "linux", compare.StatusSkipped, 0, "", "", false)

	budgets := []Budget{
		{Name: "size", All: true, Rules: []Rule{
			{Kind: MaxSize, Line: 3, Bytes: 8 << 20, HasBytes: true},
			{Kind: WarnSize, Line: 4, Bytes: 6 << 20, HasBytes: true},
		}},
		{Name: "static", Cells: buildmatrix.Selector{CGO: &t1}, Rules: []Rule{{Kind: Linkage, Line: 7, Linkage: "static"}}},
		{Name: "cgo stripped", Cells: buildmatrix.Selector{CGO: &t0}, Rules: []Rule{{Kind: Stripped, Line: 9, Want: true}}},
	}
	r := Evaluate(Input{Budgets: budgets, Cells: []compare.Cell{static, dynamic, darwin, failed, skipped}})

	type row struct {
		Budget string
		Rule   Kind
		Cell   string
		Status Status
	}
	var got []row
	for _, res := range r.Rules {
		got = append(got, row{res.Budget, res.Rule, res.Cell, res.Status})
	}
	want := []row{
		{"size", "max_size", "static", StatusPass},
		{"size", "warn_size", "static", StatusWarn},
		{"static", "linkage", "static", StatusPass},
		{"size", "max_size", "dynamic", StatusFail},
		{"size", "warn_size", "dynamic", StatusWarn},
		{"cgo stripped", "stripped", "dynamic", StatusFail},
		{"size", "max_size", "darwin", StatusPass},
		{"size", "warn_size", "darwin", StatusWarn},
		{"static", "linkage", "darwin", StatusNA},
		{"size", "max_size", "failed", StatusError},
		{"size", "warn_size", "failed", StatusError},
		{"static", "linkage", "failed", StatusError},
		{"size", "max_size", "skipped", StatusSkipped},
		{"size", "warn_size", "skipped", StatusSkipped},
		{"cgo stripped", "stripped", "skipped", StatusSkipped},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	if r.Status != StatusError {
		t.Errorf("status = %s, want ERROR (a cell that did not build)", r.Status)
	}
	cells := map[string]Status{}
	for _, c := range r.Cells {
		cells[c.ID] = c.Status
	}
	if diff := cmp.Diff(map[string]Status{"static": StatusWarn, "dynamic": StatusFail, "darwin": StatusWarn, "failed": StatusError, "skipped": StatusSkipped}, cells); diff != "" {
		t.Errorf("cell statuses (-want +got):\n%s", diff)
	}
	if got := r.Rules[3].Message; got != "size: dynamic is 12M (12582912 bytes), over the max_size of 8.0M (8388608 bytes) by 4.0M: it must shrink by 33% to fit" {
		t.Errorf("max_size message = %q", got)
	}
	if got := r.Rules[9].Message; got != `cell failed did not build, so budget "size" cannot pass: main.go:3: undefined: x …` {
		t.Errorf("error message = %q", got)
	}
}

// TestCheckGrowth covers both limits of a growth rule, a cell the
// baseline lacks, and the packages named when a cell grew.
func TestCheckGrowth(t *testing.T) {
	base := checkCell("a", false, false, "linux", compare.StatusOK, 10_000_000, elfinfo.FormatELF, "static", false)
	base.Packages = []analyze.PackageSize{{Name: "main", Size: 1000}, {Name: "fmt", Size: 5000}, {Name: analyze.RowDebugInfo, Size: 100}}
	for _, tc := range []struct {
		name   string
		rule   Rule
		size   int64
		status Status
	}{
		{"percent only, over", Rule{Kind: MaxGrowth, Percent: 5, HasPercent: true}, 10_600_000, StatusFail},
		{"percent only, under", Rule{Kind: MaxGrowth, Percent: 5, HasPercent: true}, 10_400_000, StatusPass},
		{"bytes only, over", Rule{Kind: MaxGrowth, Bytes: 300_000, HasBytes: true}, 10_400_000, StatusFail},
		{"both, only percent over", Rule{Kind: MaxGrowth, Percent: 1, HasPercent: true, Bytes: 300_000, HasBytes: true}, 10_200_000, StatusPass},
		{"both, only bytes over", Rule{Kind: MaxGrowth, Percent: 5, HasPercent: true, Bytes: 300_000, HasBytes: true}, 10_400_000, StatusPass},
		{"both over", Rule{Kind: MaxGrowth, Percent: 1, HasPercent: true, Bytes: 100_000, HasBytes: true}, 10_400_000, StatusFail},
		{"warn tier", Rule{Kind: WarnGrowth, Percent: 1, HasPercent: true}, 10_400_000, StatusWarn},
		{"shrinking", Rule{Kind: MaxGrowth, Percent: 1, HasPercent: true}, 9_000_000, StatusPass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			c.Size = tc.size
			c.Packages = []analyze.PackageSize{{Name: "main", Size: 1000 + tc.size - base.Size}, {Name: "fmt", Size: 5000}, {Name: analyze.RowDebugInfo, Size: 900}}
			r := Evaluate(Input{Budgets: []Budget{{Name: "g", All: true, Rules: []Rule{tc.rule}}}, Cells: []compare.Cell{c}, Baseline: []compare.Cell{base}})
			res := r.Rules[0]
			if res.Status != tc.status {
				t.Fatalf("status = %s, want %s (%s)", res.Status, tc.status, res.Message)
			}
			if res.Status == StatusPass {
				return
			}
			if res.Grew == nil || len(res.Grew.Packages) != 1 || res.Grew.Packages[0].Name != "main" {
				t.Errorf("grew = %+v, want main alone (fixed rows such as debug info are left out)", res.Grew)
			}
		})
	}

	// A cell the baseline lacks is NEW; without a baseline the rule has
	// NO BASELINE; neither fails the check.
	other := checkCell("b", true, false, "linux", compare.StatusOK, 20_000_000, elfinfo.FormatELF, "dynamic", false)
	rule := []Budget{{Name: "g", All: true, Rules: []Rule{{Kind: MaxGrowth, Percent: 1, HasPercent: true}}}}
	r := Evaluate(Input{Budgets: rule, Cells: []compare.Cell{other}, Baseline: []compare.Cell{base, checkCell("c", false, true, "linux", compare.StatusOK, 1, elfinfo.FormatELF, "static", true)}})
	if r.Rules[0].Status != StatusNew || r.Status != StatusPass {
		t.Errorf("no counterpart: rule %s, check %s; want NEW and PASS", r.Rules[0].Status, r.Status)
	}
	r = Evaluate(Input{Budgets: rule, Cells: []compare.Cell{other}})
	if r.Rules[0].Status != StatusNoBaseline || r.Rules[0].Message != NeedBaseline {
		t.Errorf("no baseline: %s %q, want NO BASELINE %q", r.Rules[0].Status, r.Rules[0].Message, NeedBaseline)
	}
}

func TestCheckHeadroom(t *testing.T) {
	c := checkCell("a", false, true, "linux", compare.StatusOK, 6<<20, elfinfo.FormatELF, "static", true)
	for _, tc := range []struct {
		limit  int64
		pct    float64
		status Status
	}{
		{8 << 20, 40, StatusPass}, // 33% above
		{8 << 20, 30, StatusFail},
		{5 << 20, 10, StatusPass}, // the limit is below the size: max_size's business
	} {
		r := Evaluate(Input{Budgets: []Budget{{Name: "h", All: true, Rules: []Rule{{Kind: MaxHeadroom, Percent: tc.pct, HasPercent: true, Limit: tc.limit}}}}, Cells: []compare.Cell{c}})
		if got := r.Rules[0].Status; got != tc.status {
			t.Errorf("limit %d, %v%%: %s, want %s (%s)", tc.limit, tc.pct, got, tc.status, r.Rules[0].Message)
		}
	}
}

func TestUnmatched(t *testing.T) {
	b := []Budget{
		{Name: "all", All: true},
		{Name: "windows", Cells: buildmatrix.Selector{GOOS: "windows"}},
		{Name: "linux", Cells: buildmatrix.Selector{GOOS: "linux"}},
	}
	got := Unmatched(b, []compare.Options{{GOOS: "linux", GOARCH: "amd64"}})
	if len(got) != 1 || got[0].Name != "windows" {
		t.Errorf("Unmatched = %+v, want the windows budget", got)
	}
}
