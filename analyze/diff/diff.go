// Package diff compares two size reports, or two compare reports cell by
// cell, by section, module, package and symbol.
package diff

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// Report is what changed between two size reports, or, for two
// compare reports, between each pair of cells built with the same
// options. Rows are sorted by the size of their delta, largest first,
// then by name.
type Report struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"` // "size" or "compare"
	Old           string   `json:"old"`  // path of the old input, as given
	New           string   `json:"new"`
	OldSize       int64    `json:"old_size"`
	NewSize       int64    `json:"new_size"`
	Delta         int64    `json:"delta"`
	Percent       *float64 `json:"percent"` // null when the old size is 0
	MinDelta      int64    `json:"min_delta"`

	Sections []Row `json:"sections"`
	Modules  []Row `json:"modules"`
	Packages []Row `json:"packages"`
	// Symbols is filled when both inputs carry a symbol view.
	Symbols []Row `json:"symbols,omitempty"`
	// Hidden counts the rows of all views whose change is smaller than
	// MinDelta; Unchanged those that did not change at all. Neither is
	// listed.
	Hidden    int `json:"hidden"`
	Unchanged int `json:"unchanged"`

	// Cells holds, for two compare reports, one diff per cell.
	Cells []CellDiff `json:"cells,omitempty"`
	// Warnings say why the figures may not mean what a diff means: two
	// compare reports of different programs.
	Warnings []string `json:"warnings,omitempty"`

	// OldUniversal and NewUniversal say, when a side is a slice of a
	// Mach-O universal binary, which slice was compared (the size report's
	// Universal).
	OldUniversal *elfinfo.SliceInfo `json:"old_universal,omitempty"`
	NewUniversal *elfinfo.SliceInfo `json:"new_universal,omitempty"`
}

// Status is what happened to a row or a cell between OLD and NEW.
type Status string

// Statuses of rows and cells.
const (
	Added     Status = "added"
	Removed   Status = "removed"
	Changed   Status = "changed"
	Unchanged Status = "unchanged"
	Failed    Status = "failed" // a cell that did not build on either side
)

// Row is one section, module, package or symbol in both reports.
type Row struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind,omitempty"`        // section kind, or symbol kind
	OldVersion string   `json:"old_version,omitempty"` // modules
	NewVersion string   `json:"new_version,omitempty"`
	Status     Status   `json:"status"` // added, removed or changed
	Old        int64    `json:"old"`
	New        int64    `json:"new"`
	Delta      int64    `json:"delta"`
	Percent    *float64 `json:"percent"`   // of Old; null when added
	Estimated  bool     `json:"estimated"` // either side is an estimate
	// OldEstimated and NewEstimated are the parts of Old and New that
	// are estimates (package and module rows; see SizeReport).
	OldEstimated int64 `json:"old_estimated_bytes"`
	NewEstimated int64 `json:"new_estimated_bytes"`
}

// Comparable reports whether the row's change rests on evidence: its
// estimated part did not change, or it changed by more than its estimate
// on either side. A row whose growth could be its estimate shifting (a
// build and its -s -w twin share their unnamed data out differently) is
// not one to blame for growth.
func (r Row) Comparable() bool {
	if r.OldEstimated == r.NewEstimated {
		return true
	}
	d := r.Delta
	if d < 0 {
		d = -d
	}
	return d > max(r.OldEstimated, r.NewEstimated)
}

// CellDiff is one cell of two compare reports, matched by options.
type CellDiff struct {
	ID      string          `json:"id"`
	Options compare.Options `json:"options"`
	Status  Status          `json:"status"` // changed, unchanged, added, removed, or failed when either side did not build
	Reason  string          `json:"reason,omitempty"`
	Diff    *Report         `json:"diff,omitempty"`
}

// Options tune a diff.
type Options struct {
	MinDelta int64 // hide rows whose delta is smaller in absolute value
}

// Sizes compares two size reports: the total, and each section, module and
// package (and symbol, when both have a symbol view), as added, removed
// or changed. A row that is absent or zero on one side is added or
// removed, with its full size as the delta: a stripped binary's missing
// .symtab reads as removed, not as a change of unknown bytes.
func Sizes(old, new *analyze.SizeReport, opts Options) *Report {
	d := &Report{
		SchemaVersion: analyze.SchemaVersion, Kind: "size", Old: old.Path, New: new.Path,
		OldSize: old.Size, NewSize: new.Size, Delta: new.Size - old.Size, Percent: PercentOf(new.Size-old.Size, old.Size),
		MinDelta: opts.MinDelta, OldUniversal: old.Universal, NewUniversal: new.Universal,
	}
	var oldS, newS []entry
	for _, s := range old.Sections {
		oldS = append(oldS, entry{name: s.Name, kind: string(s.Kind), size: s.FileSize})
	}
	for _, s := range new.Sections {
		newS = append(newS, entry{name: s.Name, kind: string(s.Kind), size: s.FileSize})
	}
	// What lies in no section, so that the rows explain the whole delta:
	// a Mach-O symbol table removed by -s is no section's.
	oldS = append(oldS, entry{name: "(" + analyze.RowSymbolTable + ")", kind: string(elfinfo.KindSymtab), size: old.SymbolTableOutside},
		entry{name: "(" + analyze.RowHeaders + ")", kind: string(elfinfo.KindOther), size: old.HeadersAndPadding})
	newS = append(newS, entry{name: "(" + analyze.RowSymbolTable + ")", kind: string(elfinfo.KindSymtab), size: new.SymbolTableOutside},
		entry{name: "(" + analyze.RowHeaders + ")", kind: string(elfinfo.KindOther), size: new.HeadersAndPadding})
	d.Sections = d.rows(oldS, newS)
	d.Modules = d.rows(moduleEntries(old.Modules), moduleEntries(new.Modules))
	d.Packages = d.rows(packageEntries(old.Packages), packageEntries(new.Packages))
	if old.Symbols != nil && new.Symbols != nil {
		d.Symbols = d.rows(symbolEntries(old.Symbols), symbolEntries(new.Symbols))
	}
	return d
}

// Compare compares two compare reports cell by cell, matching cells by
// their options. A cell in one report only is added or removed; a pair
// where either side did not build says so.
func Compare(old, new *compare.Report, oldPath, newPath string, opts Options) *Report {
	d := &Report{SchemaVersion: analyze.SchemaVersion, Kind: "compare", Old: oldPath, New: newPath, MinDelta: opts.MinDelta,
		Sections: []Row{}, Modules: []Row{}, Packages: []Row{}, Cells: []CellDiff{}}
	if op, np := old.Target.Package, new.Target.Package; op != "" && np != "" && op != np {
		d.Warnings = append(d.Warnings, fmt.Sprintf("%s and %s are reports of different programs (%s, %s): cells are matched by their options, so each figure compares one program with the other, not a change", oldPath, newPath, op, np))
	}
	byKey := map[string]*compare.Cell{}
	for i := range old.Cells {
		byKey[old.Cells[i].Options.String()] = &old.Cells[i]
	}
	seen := map[string]bool{}
	for i := range new.Cells {
		nc := &new.Cells[i]
		key := nc.Options.String()
		seen[key] = true
		oc := byKey[key]
		cd := CellDiff{ID: nc.ID, Options: nc.Options}
		switch {
		case oc == nil:
			cd.Status = Added
			if nc.Status == compare.StatusOK {
				d.NewSize += nc.Size
			}
		case oc.Status != compare.StatusOK || nc.Status != compare.StatusOK:
			cd.Status = Failed
			cd.Reason = fmt.Sprintf("old %s, new %s", cellState(oc), cellState(nc))
		default:
			cd.Diff = Sizes(cellReport(oc, oldPath), cellReport(nc, newPath), opts)
			cd.Diff.Kind = "cell"
			cd.Status = Changed
			if cd.Diff.Delta == 0 {
				cd.Status = Unchanged
			}
			d.OldSize += oc.Size
			d.NewSize += nc.Size
		}
		d.Cells = append(d.Cells, cd)
	}
	for i := range old.Cells {
		oc := &old.Cells[i]
		if key := oc.Options.String(); !seen[key] {
			d.Cells = append(d.Cells, CellDiff{ID: oc.ID, Options: oc.Options, Status: Removed})
		}
	}
	d.Delta = d.NewSize - d.OldSize
	d.Percent = PercentOf(d.Delta, d.OldSize)
	// Largest change first, then by id.
	slices.SortStableFunc(d.Cells, func(x, y CellDiff) int {
		return cmp.Or(cmp.Compare(absDelta(y), absDelta(x)), cmp.Compare(x.ID, y.ID))
	})
	return d
}

func absDelta(c CellDiff) int64 {
	if c.Diff == nil {
		return -1
	}
	return magnitude(c.Diff.Delta)
}

func cellState(c *compare.Cell) string {
	if c.Status == compare.StatusOK {
		return "ok"
	}
	if c.Reason != "" {
		return string(c.Status) + " (" + c.Reason + ")"
	}
	return string(c.Status)
}

// cellReport makes a size report of what a compare cell carries.
func cellReport(c *compare.Cell, path string) *analyze.SizeReport {
	r := &analyze.SizeReport{Path: path + "#" + c.ID, Size: c.Size, Packages: c.Packages, Modules: c.Modules}
	if c.Binary != nil && c.Binary.Facts != nil {
		var sum int64
		for _, s := range c.Binary.Sections {
			r.Sections = append(r.Sections, analyze.SectionSize{Name: s.Name, Kind: s.Kind, FileSize: s.FileSize, VMSize: s.VMSize})
			sum += s.FileSize
		}
		r.HeadersAndPadding = max(0, c.Size-sum)
	}
	return r
}

// Grown returns the rows of a view ("modules", "packages", "sections" or
// "symbols") that grew, largest growth first, at most n of them (all when
// n <= 0). Budgets use it to name what made a build bigger.
func (d *Report) Grown(view string, n int) []Row {
	var rows []Row
	switch view {
	case "modules":
		rows = d.Modules
	case "packages":
		rows = d.Packages
	case "sections":
		rows = d.Sections
	case "symbols":
		rows = d.Symbols
	}
	var out []Row
	for _, r := range rows {
		if r.Delta > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y Row) int { return cmp.Or(cmp.Compare(y.Delta, x.Delta), cmp.Compare(x.Name, y.Name)) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

type entry struct {
	name, kind, version string
	size                int64
	est                 bool
	estBytes            int64
}

func moduleEntries(ms []analyze.ModuleSize) []entry {
	out := make([]entry, 0, len(ms))
	for _, m := range ms {
		out = append(out, entry{name: m.Path, version: m.Version, size: m.Size, est: m.Estimated, estBytes: m.EstimatedBytes})
	}
	return out
}

func packageEntries(ps []analyze.PackageSize) []entry {
	out := make([]entry, 0, len(ps))
	for _, p := range ps {
		out = append(out, entry{name: p.Name, size: p.Size, est: p.Estimated, estBytes: p.EstimatedBytes})
	}
	return out
}

func symbolEntries(ss []analyze.SymbolSize) []entry {
	out := make([]entry, 0, len(ss))
	for _, s := range ss {
		out = append(out, entry{name: s.Name, kind: string(s.Kind), size: s.Size, est: s.Estimated})
	}
	return out
}

// rows pairs the entries of two views by name (summing entries of the
// same name) and keeps those that changed by at least MinDelta.
func (d *Report) rows(old, new []entry) []Row {
	type pair struct {
		row      Row
		old, new bool
	}
	idx := map[string]int{}
	var pairs []pair
	get := func(e entry) *pair {
		i, ok := idx[e.name]
		if !ok {
			i = len(pairs)
			idx[e.name] = i
			pairs = append(pairs, pair{row: Row{Name: e.name, Kind: e.kind}})
		}
		return &pairs[i]
	}
	for _, e := range old {
		p := get(e)
		p.row.Old += e.size
		p.row.OldEstimated += e.estBytes
		p.row.OldVersion = e.version
		p.row.Estimated = p.row.Estimated || e.est
		p.old = true
	}
	for _, e := range new {
		p := get(e)
		p.row.New += e.size
		p.row.NewEstimated += e.estBytes
		p.row.NewVersion = e.version
		p.row.Estimated = p.row.Estimated || e.est
		if p.row.Kind == "" {
			p.row.Kind = e.kind
		}
		p.new = true
	}
	out := []Row{}
	for _, p := range pairs {
		r := p.row
		r.Delta = r.New - r.Old
		switch {
		case r.Old == 0 && r.New == 0:
			continue
		case r.Old == 0:
			r.Status = Added
		case r.New == 0:
			r.Status = Removed
			r.Percent = PercentOf(r.Delta, r.Old)
		case r.Delta == 0 && r.OldVersion == r.NewVersion:
			d.Unchanged++
			continue
		default:
			r.Status = Changed
			r.Percent = PercentOf(r.Delta, r.Old)
		}
		if magnitude(r.Delta) < d.MinDelta {
			d.Hidden++
			continue
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(x, y Row) int {
		return cmp.Or(cmp.Compare(magnitude(y.Delta), magnitude(x.Delta)), cmp.Compare(x.Name, y.Name))
	})
	return out
}

func PercentOf(delta, base int64) *float64 {
	p, ok := units.PercentOf(delta, base)
	if !ok {
		return nil
	}
	return &p
}

// magnitude is |n|.
func magnitude(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
