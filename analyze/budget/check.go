package budget

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/internal/units"
)

// Status is the verdict of a rule on a cell, of a cell, or of a whole
// check.
type Status string

// Rule and cell statuses of a check, from best to worst for ranking. N/A,
// SKIPPED and NO BASELINE judge nothing: they rank below PASS, so that a
// cell shows one of them only when no rule of it passed, and they never
// make a check fail.
const (
	StatusPass       Status = "PASS"
	StatusNA         Status = "N/A"         // the rule does not apply to the cell (linkage of a Mach-O or PE binary)
	StatusSkipped    Status = "SKIPPED"     // the cell was not built (no C compiler for it)
	StatusNoBaseline Status = "NO BASELINE" // a growth rule with no baseline size to measure against: no --baseline, or the baseline's cell did not build
	StatusNew        Status = "NEW"         // a growth rule on a cell the baseline lacks
	StatusWarn       Status = "WARN"
	StatusFail       Status = "FAIL"
	StatusError      Status = "ERROR" // the cell failed to build: a budget never passes on a binary that was not built
)

var checkRank = map[Status]int{StatusNA: 0, StatusSkipped: 0, StatusNoBaseline: 0, StatusPass: 1, StatusNew: 2, StatusWarn: 3, StatusFail: 4, StatusError: 5}

// Judged reports whether a status is a verdict on the cell (PASS, NEW,
// WARN, FAIL, ERROR) rather than a rule that judged nothing (N/A, SKIPPED,
// NO BASELINE).
func (s Status) Judged() bool { return checkRank[s] >= checkRank[StatusPass] }

// NeedBaseline is the message of a growth rule checked without a
// baseline: the same on every cell, so renderers say it once.
const NeedBaseline = "growth rules need a baseline (--baseline)"

// Report is what binscope check reports: each rule of each budget
// evaluated on each cell it selects.
type Report struct {
	SchemaVersion int             `json:"schema_version"`
	Config        string          `json:"config"`   // the budget file; "" when the rules came from flags
	Source        string          `json:"source"`   // the compare report (--from) or binary checked; "" when built here
	Baseline      string          `json:"baseline"` // the baseline report; "" when none
	Target        *compare.Target `json:"target"`
	Status        Status          `json:"status"` // the worst verdict of any rule: PASS, WARN, FAIL or ERROR
	Cells         []Cell          `json:"cells"`
	Rules         []Result        `json:"rules"`
	// Counts tallies the rule results by status.
	Counts map[Status]int `json:"counts"`
	// Warnings are what a reader of the verdict should know that no rule
	// judges, one sentence each, as diff's: cells that built without a
	// package's C code. They do not change Status or the exit status:
	// the budgets passed or failed on the bytes that were built.
	Warnings []string `json:"warnings"`
	// CgoStubs groups the cells that compiled packages from a !cgo
	// fallback in place of their C code, one entry per set of packages
	// (compare.Cell.CgoStubs); each has its sentence in Warnings.
	CgoStubs []CgoStubs `json:"cgo_stubs"`
	// History is each cell's trend over the size history (check
	// --history), nil without one; its drift warnings are in Warnings.
	History *History `json:"history,omitempty"`
}

// CgoStubs is a set of packages some cells compiled without their C
// code, and those cells.
type CgoStubs struct {
	Cells    []string `json:"cells"` // the cells' ids
	Packages []string `json:"packages"`
}

// Cell is one cell's line of a check: its size, its change against
// the baseline and its worst rule status.
type Cell struct {
	ID           string           `json:"id"`
	Label        string           `json:"label"`
	Options      *compare.Options `json:"options"` // null for a binary checked on its own
	Build        string           `json:"build"`   // ok, failed or skipped
	Reason       string           `json:"reason"`
	Size         int64            `json:"size"`
	BaselineSize *int64           `json:"baseline_size"` // null without a baseline counterpart
	Delta        *int64           `json:"delta"`
	DeltaPercent *float64         `json:"delta_percent"`
	Status       Status           `json:"status"` // the worst status of its rules; N/A, SKIPPED or NO BASELINE only when no rule judged it
	// CgoStubs are the packages this CGO_ENABLED=0 cell compiled from a
	// !cgo fallback in place of their C code (compare.Cell.CgoStubs).
	CgoStubs []string `json:"cgo_stubs,omitempty"`
	// Grew names the modules and packages that grew most over the
	// baseline's counterpart, by comparable figures (diff.Row.Comparable):
	// for a pull request comment, whatever the rules said. Absent without
	// a counterpart or where either side has no package view.
	Grew *Growth `json:"grew,omitempty"`
}

// Result is one rule on one cell.
type Result struct {
	Budget   string `json:"budget"`
	Rule     Kind   `json:"rule"` // the rule's key: max_size, linkage, max_growth…
	Line     int    `json:"line"` // of the rule in the config file; 0 for flags
	Cell     string `json:"cell"`
	Status   Status `json:"status"`
	Actual   string `json:"actual"`   // as the table shows it: 7.5M, dynamic, +320K (+5.2%); max_headroom's is the headroom
	Limit    string `json:"limit"`    // 8M, static, +5% and +300K, +20% (max_headroom)
	Headroom string `json:"headroom"` // of a size rule: the change that reaches the limit, with its percentage of the size: +512K (+6.7%); "" where it means nothing
	Message  string `json:"message"`  // one sentence on a result other than PASS

	// ActualBytes is the size (size and headroom rules) or the growth in
	// bytes (growth rules).
	ActualBytes *int64 `json:"actual_bytes,omitempty"`
	// LimitBytes is a size rule's limit, or a growth rule's limit in
	// bytes (max_growth_bytes, warn_growth_bytes) when it has one.
	LimitBytes *int64 `json:"limit_bytes,omitempty"`
	// LimitPercent is a growth rule's limit in percent (max_growth,
	// warn_growth) when it has one, or max_headroom's.
	LimitPercent *float64 `json:"limit_percent,omitempty"`
	// HeadroomBytes is how far the limit (max_size, for max_headroom) lies
	// above the size; negative over it.
	HeadroomBytes *int64 `json:"headroom_bytes,omitempty"`

	// Grew names, for a growth rule that warns or fails, the modules and
	// packages that grew most, when both reports carry them.
	Grew *Growth `json:"grew,omitempty"`
}

// Growth is the part of a diff that explains a growth rule.
type Growth struct {
	Modules  []diff.Row `json:"modules"`
	Packages []diff.Row `json:"packages"`
}

// growthRows is how many modules and packages a growth result names.
const growthRows = 5

// Input is what Evaluate evaluates.
type Input struct {
	Budgets  []Budget
	Cells    []compare.Cell
	Baseline []compare.Cell // nil without a baseline
}

// Unmatched returns the budgets whose selector picks none of cells: in a
// config, most likely a mistake worth stopping for.
func Unmatched(budgets []Budget, cells []compare.Options) []Budget {
	var out []Budget
	for _, b := range budgets {
		if b.All {
			continue
		}
		if !slices.ContainsFunc(cells, func(o compare.Options) bool { return b.Cells.Match(o.Combination()) }) {
			out = append(out, b)
		}
	}
	return out
}

// GrowthGate is the per-change growth limit of a cell in percent: the
// tightest max_growth rule that judged it, when one did.
func (r *Report) GrowthGate(cell string) (float64, bool) {
	gate, ok := 0.0, false
	for _, res := range r.Rules {
		if res.Cell == cell && res.Rule == MaxGrowth && res.LimitPercent != nil && (!ok || *res.LimitPercent < gate) {
			gate, ok = *res.LimitPercent, true
		}
	}
	return gate, ok
}

// Evaluate evaluates every rule of every budget on every cell it selects.
// Results are ordered by cell (in the input's order), then by budget and
// rule (in the config's order).
func Evaluate(in Input) *Report {
	r := &Report{SchemaVersion: analyze.SchemaVersion, Status: StatusPass, Cells: []Cell{}, Rules: []Result{}, Counts: map[Status]int{}, Warnings: []string{}, CgoStubs: []CgoStubs{}}
	base := map[string]*compare.Cell{}
	for i := range in.Baseline {
		base[in.Baseline[i].Options.String()] = &in.Baseline[i]
	}
	label := map[string]string{}
	for i := range in.Cells {
		c := &in.Cells[i]
		label[c.ID] = cmp.Or(c.Label, c.ID)
		cc := Cell{ID: c.ID, Label: c.Label, Build: string(c.Status), Reason: c.Reason, Size: c.Size, CgoStubs: c.CgoStubs}
		if c.Options.GOOS != "" {
			o := c.Options
			cc.Options = &o
		}
		b := base[c.Options.String()]
		if in.Baseline != nil && len(in.Baseline) == 1 && len(in.Cells) == 1 {
			// One binary against one: match them whatever their options.
			b = &in.Baseline[0]
		}
		if b != nil && b.Status == compare.StatusOK && c.Status == compare.StatusOK {
			bs, d := b.Size, c.Size-b.Size
			cc.BaselineSize, cc.Delta, cc.DeltaPercent = &bs, &d, diff.PercentOf(d, bs)
			if g := growth(b, c); g != nil && (len(g.Packages) > 0 || len(g.Modules) > 0) {
				cc.Grew = g
			}
		}
		if c.Status == compare.StatusSkipped {
			cc.Status = StatusSkipped
		}
		for _, bud := range in.Budgets {
			if !bud.All && !bud.Cells.Match(c.Options.Combination()) {
				continue
			}
			for _, rule := range bud.Rules {
				res := evaluate(bud, rule, c, b, in.Baseline != nil)
				r.Rules = append(r.Rules, res)
				r.Counts[res.Status]++
				if cc.Status == "" || checkRank[res.Status] > checkRank[cc.Status] {
					cc.Status = res.Status
				}
				if checkRank[res.Status] > checkRank[r.Status] && res.Status != StatusNew {
					r.Status = res.Status
				}
			}
		}
		if cc.Status == "" {
			cc.Status = StatusPass // no rule selects the cell
		}
		r.Cells = append(r.Cells, cc)
	}
	r.CgoStubs = cgoStubGroups(r.Cells)
	for _, g := range r.CgoStubs {
		var names []string
		for _, id := range g.Cells {
			names = append(names, label[id])
		}
		// Labels hold commas (-tags=a,b): semicolons part them.
		r.Warnings = append(r.Warnings, strings.Join(names, "; ")+": "+analyze.CgoStubNote(g.Packages))
	}
	return r
}

// cgoStubGroups groups the cells that compiled the same packages without
// their C code, in the order of the cells.
func cgoStubGroups(cells []Cell) []CgoStubs {
	out := []CgoStubs{}
	at := map[string]int{}
	for _, c := range cells {
		if len(c.CgoStubs) == 0 {
			continue
		}
		key := strings.Join(c.CgoStubs, "\x00")
		if i, ok := at[key]; ok {
			out[i].Cells = append(out[i].Cells, c.ID)
			continue
		}
		at[key] = len(out)
		out = append(out, CgoStubs{Cells: []string{c.ID}, Packages: slices.Clone(c.CgoStubs)})
	}
	return out
}

func evaluate(bud Budget, rule Rule, c, base *compare.Cell, haveBaseline bool) Result {
	res := Result{Budget: bud.Name, Rule: rule.Kind, Line: rule.Line, Cell: c.ID, Status: StatusPass}
	switch c.Status {
	case compare.StatusFailed:
		res.Status = StatusError
		res.Message = fmt.Sprintf("cell %s did not build, so budget %q cannot pass: %s", c.ID, bud.Name, firstLine(buildError(c.Reason)))
		return res
	case compare.StatusSkipped:
		res.Status = StatusSkipped
		res.Message = fmt.Sprintf("cell %s was not built: %s", c.ID, firstLine(c.Reason))
		return res
	}
	spec, ok := Lookup(rule.Kind)
	if !ok {
		res.Status = StatusError
		res.Message = fmt.Sprintf("%s: unknown rule %q", bud.Name, rule.Kind)
		return res
	}
	spec.eval(&res, evalInput{budget: bud.Name, rule: rule, cell: c, base: base, haveBaseline: haveBaseline})
	return res
}

// growth diffs the package and module views of two cells, keeping the
// rows that grew most.
func growth(old, new *compare.Cell) *Growth {
	if len(old.Packages) == 0 || len(new.Packages) == 0 {
		return nil
	}
	d := diff.Sizes(&analyze.SizeReport{Size: old.Size, Packages: old.Packages, Modules: old.Modules},
		&analyze.SizeReport{Size: new.Size, Packages: new.Packages, Modules: new.Modules}, diff.Options{})
	var pkgs []diff.Row
	for _, r := range d.Packages {
		// The fixed rows are not code anyone can trim by a dependency.
		if analyze.FixedRow(r.Name) {
			continue
		}
		pkgs = append(pkgs, r)
	}
	return &Growth{Modules: topGrowth(d.Modules), Packages: topGrowth(pkgs)}
}

// topGrowth keeps the rows that grew most by evidence: a row whose
// estimated part changed is named only when it grew by more than its
// estimate (diff.Row.Comparable).
func topGrowth(rows []diff.Row) []diff.Row {
	var out []diff.Row
	for _, r := range rows {
		if r.Delta > 0 && r.Comparable() {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b diff.Row) int { return cmp.Or(cmp.Compare(b.Delta, a.Delta), cmp.Compare(a.Name, b.Name)) })
	if len(out) > growthRows {
		out = out[:growthRows]
	}
	if out == nil {
		out = []diff.Row{}
	}
	return out
}

// grewNames lists the packages that grew most, with their growth.
func grewNames(g *Growth) string {
	if g == nil {
		return ""
	}
	var parts []string
	for _, r := range g.Packages {
		parts = append(parts, fmt.Sprintf("%s %s", r.Name, units.HumanDelta(r.Delta)))
	}
	return strings.Join(parts, ", ")
}

func growthLimit(r Rule) string {
	var parts []string
	if r.HasPercent {
		parts = append(parts, "+"+trimPercent(r.Percent))
	}
	if r.HasBytes {
		parts = append(parts, "+"+units.HumanSize(r.Bytes))
	}
	return strings.Join(parts, " and ")
}

// trimPercent writes a percentage without trailing zeros: 5%, 2.5%.
func trimPercent(p float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", p), "0"), ".") + "%"
}

// buildError drops the "# package" lines go build prints above a
// package's errors, so that the first line is the error itself.
func buildError(reason string) string {
	lines := strings.Split(strings.TrimSpace(reason), "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "# ") {
			return strings.Join(lines[i:], "\n")
		}
	}
	return reason
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
