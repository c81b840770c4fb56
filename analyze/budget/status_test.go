package budget

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
	"github.com/google/go-cmp/cmp"
)

// TestNoBaselineIsNotSkipped: a growth rule without a baseline is NO
// BASELINE, counted apart from SKIPPED, which only a cell that was not
// built gets; neither fails the check, and a cell shows NO BASELINE only
// when no other rule judged it.
func TestNoBaselineIsNotSkipped(t *testing.T) {
	built := checkCell("built", false, true, "linux", compare.StatusOK, 7<<20, elfinfo.FormatELF, "static", true)
	growthOnly := checkCell("growth only", true, true, "linux", compare.StatusOK, 7<<20, elfinfo.FormatELF, "static", true)
	skipped := checkCell("skipped", true, false, "linux", compare.StatusSkipped, 0, "", "", false)
	off := false
	budgets := []Budget{
		{Name: "size", Cells: buildmatrix.Selector{CGO: &off}, Rules: []Rule{{Kind: MaxSize, Bytes: 8 << 20, HasBytes: true}}},
		{Name: "size of unstripped", Cells: buildmatrix.Selector{Strip: &off}, Rules: []Rule{{Kind: MaxSize, Bytes: 8 << 20, HasBytes: true}}},
		{Name: "growth", All: true, Rules: []Rule{{Kind: MaxGrowth, Percent: 1, HasPercent: true}}},
	}
	r := Evaluate(Input{Budgets: budgets, Cells: []compare.Cell{built, growthOnly, skipped}})
	if diff := cmp.Diff(map[Status]int{StatusPass: 1, StatusNoBaseline: 2, StatusSkipped: 2}, r.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	cells := map[string]Status{}
	for _, c := range r.Cells {
		cells[c.ID] = c.Status
	}
	if diff := cmp.Diff(map[string]Status{"built": StatusPass, "growth only": StatusNoBaseline, "skipped": StatusSkipped}, cells); diff != "" {
		t.Errorf("cell statuses (-want +got):\n%s", diff)
	}
	if r.Status != StatusPass {
		t.Errorf("check status = %s, want PASS", r.Status)
	}
	for _, res := range r.Rules {
		if res.Status == StatusSkipped && res.Cell != "skipped" {
			t.Errorf("%s on %s is SKIPPED, but the cell was built", res.Rule, res.Cell)
		}
	}
}

// TestHeadroomOneForm: the headroom of a size rule and the actual value
// of max_headroom are written the same way, as a change in size and its
// percentage of the size; max_headroom's limit is its own percentage,
// which that percentage is compared with.
func TestHeadroomOneForm(t *testing.T) {
	c := checkCell("a", false, true, "linux", compare.StatusOK, 6<<20, elfinfo.FormatELF, "static", true)
	type row struct {
		Rule                       Kind
		Status                     Status
		Actual, Limit, Headroom    string
		LimitPercent               *float64
		ActualBytes, HeadroomBytes *int64
	}
	pct := func(f float64) *float64 { return &f }
	n := func(i int64) *int64 { return &i }
	for _, tc := range []struct {
		name  string
		limit int64
		pct   float64
		want  []row
	}{
		{"loose", 8 << 20, 30, []row{
			{MaxSize, StatusPass, "6.0M", "8.0M", "+2.0M (+33%)", nil, n(6 << 20), n(2 << 20)},
			{MaxHeadroom, StatusFail, "+2.0M (+33%)", "+30%", "", pct(30), n(6 << 20), n(2 << 20)},
		}},
		{"tight enough", 8 << 20, 40, []row{
			{MaxSize, StatusPass, "6.0M", "8.0M", "+2.0M (+33%)", nil, n(6 << 20), n(2 << 20)},
			{MaxHeadroom, StatusPass, "+2.0M (+33%)", "+40%", "", pct(40), n(6 << 20), n(2 << 20)},
		}},
		{"over the limit", 5 << 20, 10, []row{
			{MaxSize, StatusFail, "6.0M", "5.0M", "-1.0M (-17%)", nil, n(6 << 20), n(-1 << 20)},
			{MaxHeadroom, StatusPass, "-1.0M (-17%)", "+10%", "", pct(10), n(6 << 20), n(-1 << 20)},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := Budget{Name: "h", All: true, Rules: []Rule{
				{Kind: MaxSize, Bytes: tc.limit, HasBytes: true},
				{Kind: MaxHeadroom, Percent: tc.pct, HasPercent: true, Limit: tc.limit},
			}}
			r := Evaluate(Input{Budgets: []Budget{b}, Cells: []compare.Cell{c}})
			var got []row
			for _, res := range r.Rules {
				got = append(got, row{res.Rule, res.Status, res.Actual, res.Limit, res.Headroom, res.LimitPercent, res.ActualBytes, res.HeadroomBytes})
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
		})
	}
	r := Evaluate(Input{Budgets: []Budget{{Name: "h", All: true, Rules: []Rule{{Kind: MaxHeadroom, Percent: 30, HasPercent: true, Limit: 8 << 20}}}}, Cells: []compare.Cell{c}})
	want := "h: the max_size of 8.0M leaves +2.0M (+33%) of headroom over the 6.0M of a, more than the +30% allowed: tighten max_size to 7.7M or less"
	if got := r.Rules[0].Message; got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}

// TestSuggestLimit: the max_size max_headroom suggests, read back as a
// config reads it, lies between the size and the most the rule allows,
// where units.HumanSize rounds 9.64M up to 9.7M, too loose a limit.
func TestSuggestLimit(t *testing.T) {
	for _, tc := range []struct {
		lo, hi int64
		want   string
	}{
		{8421538, 10105845, "9.6M"},
		{12092970, 14511564, "13.8M"},
		{6 << 20, 78 * (1 << 20) / 10, "7.7M"}, // 7.8M is 0.8 bytes more
		{1100000, 1111000, "1.05M"},            // 1.0M is below the size
		{3000, 3030, "2.95K"},
		{1000, 1010, "1010B"},
		{3 << 30, 33 * (1 << 30) / 10, "3.3G"},
	} {
		got := suggestLimit(tc.lo, tc.hi)
		if got != tc.want {
			t.Errorf("suggestLimit(%d, %d) = %s, want %s", tc.lo, tc.hi, got, tc.want)
		}
		if n, err := units.ParseSize(got); err != nil || n < tc.lo || n > tc.hi {
			t.Errorf("suggestLimit(%d, %d) = %s, which reads as %d (%v): outside the range", tc.lo, tc.hi, got, n, err)
		}
	}
}

// TestGrowthLimitNumbers: a growth rule's JSON carries its limits as
// numbers, whatever its status, beside the text of the LIMIT column.
func TestGrowthLimitNumbers(t *testing.T) {
	base := checkCell("a", false, false, "linux", compare.StatusOK, 10_000_000, elfinfo.FormatELF, "static", false)
	grown := base
	grown.Size = 10_400_000
	pct := func(f float64) *float64 { return &f }
	n := func(i int64) *int64 { return &i }
	type limits struct {
		Limit   string
		Percent *float64
		Bytes   *int64
	}
	for _, tc := range []struct {
		name     string
		rule     Rule
		baseline []compare.Cell
		want     limits
	}{
		{"percent", Rule{Kind: MaxGrowth, Percent: 5, HasPercent: true}, []compare.Cell{base}, limits{"+5%", pct(5), nil}},
		{"bytes", Rule{Kind: WarnGrowth, Bytes: 300 << 10, HasBytes: true}, []compare.Cell{base}, limits{"+300K", nil, n(300 << 10)}},
		{"both", Rule{Kind: MaxGrowth, Percent: 2.5, HasPercent: true, Bytes: 50 << 10, HasBytes: true}, []compare.Cell{base}, limits{"+2.5% and +50K", pct(2.5), n(50 << 10)}},
		{"no baseline", Rule{Kind: MaxGrowth, Percent: 1, HasPercent: true, Bytes: 50 << 10, HasBytes: true}, nil, limits{"+1% and +50K", pct(1), n(50 << 10)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(Input{Budgets: []Budget{{Name: "g", All: true, Rules: []Rule{tc.rule}}}, Cells: []compare.Cell{grown}, Baseline: tc.baseline})
			res := r.Rules[0]
			if diff := cmp.Diff(tc.want, limits{res.Limit, res.LimitPercent, res.LimitBytes}); diff != "" {
				t.Errorf("limits (-want +got):\n%s", diff)
			}
		})
	}
}

// Cells built without a package's C code get one warning per set of
// packages, naming every cell that shares it, and the verdict stays the
// budgets'.
func TestCgoStubWarnings(t *testing.T) {
	cells := []compare.Cell{
		{ID: "a", Status: compare.StatusOK, Size: 10, CgoStubs: []string{"example.com/db"}},
		{ID: "b", Status: compare.StatusOK, Size: 10},
		{ID: "c", Status: compare.StatusOK, Size: 10, CgoStubs: []string{"example.com/db"}},
		{ID: "d", Status: compare.StatusOK, Size: 10, CgoStubs: []string{"example.com/db", "example.com/gl"}},
	}
	r := Evaluate(Input{Budgets: []Budget{{Name: "b", All: true, Rules: []Rule{{Kind: MaxSize, Bytes: 100, HasBytes: true}}}}, Cells: cells})
	want := []CgoStubs{
		{Cells: []string{"a", "c"}, Packages: []string{"example.com/db"}},
		{Cells: []string{"d"}, Packages: []string{"example.com/db", "example.com/gl"}},
	}
	if diff := cmp.Diff(want, r.CgoStubs); diff != "" {
		t.Errorf("cgo_stubs (-want +got):\n%s", diff)
	}
	wantWarn := []string{
		"a; c: " + analyze.CgoStubNote([]string{"example.com/db"}),
		"d: " + analyze.CgoStubNote([]string{"example.com/db", "example.com/gl"}),
	}
	if diff := cmp.Diff(wantWarn, r.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if r.Status != StatusPass {
		t.Errorf("status = %s, want PASS: a warning is not a verdict", r.Status)
	}
	if got := r.Cells[3].CgoStubs; len(got) != 2 {
		t.Errorf("cell d cgo_stubs = %v", got)
	}
	if r := Evaluate(Input{Cells: cells[1:2]}); r.Warnings == nil || len(r.Warnings) != 0 || r.CgoStubs == nil || len(r.CgoStubs) != 0 {
		t.Errorf("no stubs: warnings = %#v, cgo_stubs = %#v, want empty lists", r.Warnings, r.CgoStubs)
	}
}
