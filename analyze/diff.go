package analyze

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// DiffReport is what changed between two size reports, or, for two
// compare reports, between each pair of cells built with the same
// options. Rows are sorted by the size of their delta, largest first,
// then by name.
type DiffReport struct {
	SchemaVersion int      `json:"schema_version"`
	Kind          string   `json:"kind"` // "size" or "compare"
	Old           string   `json:"old"`  // path of the old input, as given
	New           string   `json:"new"`
	OldSize       int64    `json:"old_size"`
	NewSize       int64    `json:"new_size"`
	Delta         int64    `json:"delta"`
	Percent       *float64 `json:"percent"` // null when the old size is 0
	MinDelta      int64    `json:"min_delta"`

	Sections []DiffRow `json:"sections"`
	Modules  []DiffRow `json:"modules"`
	Packages []DiffRow `json:"packages"`
	// Symbols is filled when both inputs carry a symbol view.
	Symbols []DiffRow `json:"symbols,omitempty"`
	// Hidden counts the rows of all views whose change is smaller than
	// MinDelta; Unchanged those that did not change at all. Neither is
	// listed.
	Hidden    int `json:"hidden"`
	Unchanged int `json:"unchanged"`

	// Cells holds, for two compare reports, one diff per cell.
	Cells []CellDiff `json:"cells,omitempty"`
}

// Row statuses of a diff.
const (
	DiffAdded     = "added"
	DiffRemoved   = "removed"
	DiffChanged   = "changed"
	DiffUnchanged = "unchanged"
)

// DiffRow is one section, module, package or symbol in both reports.
type DiffRow struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind,omitempty"`        // section kind, or symbol kind
	OldVersion string   `json:"old_version,omitempty"` // modules
	NewVersion string   `json:"new_version,omitempty"`
	Status     string   `json:"status"` // added, removed or changed
	Old        int64    `json:"old"`
	New        int64    `json:"new"`
	Delta      int64    `json:"delta"`
	Percent    *float64 `json:"percent"`   // of Old; null when added
	Estimated  bool     `json:"estimated"` // either side is an estimate
}

// CellDiff is one cell of two compare reports, matched by options.
type CellDiff struct {
	ID      string      `json:"id"`
	Options Options     `json:"options"`
	Status  string      `json:"status"` // changed, unchanged, added, removed, or failed when either side did not build
	Reason  string      `json:"reason,omitempty"`
	Diff    *DiffReport `json:"diff,omitempty"`
}

// DiffOptions tune a diff.
type DiffOptions struct {
	MinDelta int64 // hide rows whose delta is smaller in absolute value
}

// Diff compares two size reports: the total, and each section, module and
// package (and symbol, when both have a symbol view), as added, removed
// or changed. A row that is absent or zero on one side is added or
// removed, with its full size as the delta: a stripped binary's missing
// .symtab reads as removed, not as a change of unknown bytes.
func Diff(old, new *SizeReport, opts DiffOptions) *DiffReport {
	d := &DiffReport{
		SchemaVersion: SchemaVersion, Kind: "size", Old: old.Path, New: new.Path,
		OldSize: old.Size, NewSize: new.Size, Delta: new.Size - old.Size, Percent: percentOf(new.Size-old.Size, old.Size),
		MinDelta: opts.MinDelta,
	}
	var oldS, newS []entry
	for _, s := range old.Sections {
		oldS = append(oldS, entry{name: s.Name, kind: string(s.Kind), size: s.FileSize})
	}
	for _, s := range new.Sections {
		newS = append(newS, entry{name: s.Name, kind: string(s.Kind), size: s.FileSize})
	}
	oldS = append(oldS, entry{name: "(" + RowHeaders + ")", kind: "other", size: old.HeadersAndPadding})
	newS = append(newS, entry{name: "(" + RowHeaders + ")", kind: "other", size: new.HeadersAndPadding})
	d.Sections = d.rows(oldS, newS)
	d.Modules = d.rows(moduleEntries(old.Modules), moduleEntries(new.Modules))
	d.Packages = d.rows(packageEntries(old.Packages), packageEntries(new.Packages))
	if old.Symbols != nil && new.Symbols != nil {
		d.Symbols = d.rows(symbolEntries(old.Symbols), symbolEntries(new.Symbols))
	}
	return d
}

// DiffCompare compares two compare reports cell by cell, matching cells by
// their options. A cell in one report only is added or removed; a pair
// where either side did not build says so.
func DiffCompare(old, new *CompareReport, oldPath, newPath string, opts DiffOptions) *DiffReport {
	d := &DiffReport{SchemaVersion: SchemaVersion, Kind: "compare", Old: oldPath, New: newPath, MinDelta: opts.MinDelta,
		Sections: []DiffRow{}, Modules: []DiffRow{}, Packages: []DiffRow{}, Cells: []CellDiff{}}
	byKey := map[string]*Cell{}
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
			cd.Status = DiffAdded
			if nc.Status == StatusOK {
				d.NewSize += nc.Size
			}
		case oc.Status != StatusOK || nc.Status != StatusOK:
			cd.Status = "failed"
			cd.Reason = fmt.Sprintf("old %s, new %s", cellState(oc), cellState(nc))
		default:
			cd.Diff = Diff(cellReport(oc, oldPath), cellReport(nc, newPath), opts)
			cd.Diff.Kind = "cell"
			cd.Status = DiffChanged
			if cd.Diff.Delta == 0 {
				cd.Status = DiffUnchanged
			}
			d.OldSize += oc.Size
			d.NewSize += nc.Size
		}
		d.Cells = append(d.Cells, cd)
	}
	for i := range old.Cells {
		oc := &old.Cells[i]
		if key := oc.Options.String(); !seen[key] {
			d.Cells = append(d.Cells, CellDiff{ID: oc.ID, Options: oc.Options, Status: DiffRemoved})
		}
	}
	d.Delta = d.NewSize - d.OldSize
	d.Percent = percentOf(d.Delta, d.OldSize)
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

func cellState(c *Cell) string {
	if c.Status == StatusOK {
		return "ok"
	}
	if c.Reason != "" {
		return c.Status + " (" + c.Reason + ")"
	}
	return c.Status
}

// cellReport makes a size report of what a compare cell carries.
func cellReport(c *Cell, path string) *SizeReport {
	r := &SizeReport{Path: path + "#" + c.ID, Size: c.Size, Packages: c.Packages, Modules: c.Modules}
	if c.Binary != nil && c.Binary.File != nil {
		var sum int64
		for _, s := range c.Binary.Sections {
			r.Sections = append(r.Sections, SectionSize{Name: s.Name, Kind: s.Kind, FileSize: s.FileSize, VMSize: s.VMSize})
			sum += s.FileSize
		}
		r.HeadersAndPadding = max(0, c.Size-sum)
	}
	return r
}

// Grown returns the rows of a view ("modules", "packages", "sections" or
// "symbols") that grew, largest growth first, at most n of them (all when
// n <= 0). Budgets use it to name what made a build bigger.
func (d *DiffReport) Grown(view string, n int) []DiffRow {
	var rows []DiffRow
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
	var out []DiffRow
	for _, r := range rows {
		if r.Delta > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y DiffRow) int { return cmp.Or(cmp.Compare(y.Delta, x.Delta), cmp.Compare(x.Name, y.Name)) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

type entry struct {
	name, kind, version string
	size                int64
	est                 bool
}

func moduleEntries(ms []ModuleSize) []entry {
	out := make([]entry, 0, len(ms))
	for _, m := range ms {
		out = append(out, entry{name: m.Path, version: m.Version, size: m.Size, est: m.Estimated})
	}
	return out
}

func packageEntries(ps []PackageSize) []entry {
	out := make([]entry, 0, len(ps))
	for _, p := range ps {
		out = append(out, entry{name: p.Name, size: p.Size, est: p.Estimated})
	}
	return out
}

func symbolEntries(ss []SymbolSize) []entry {
	out := make([]entry, 0, len(ss))
	for _, s := range ss {
		out = append(out, entry{name: s.Name, kind: string(s.Kind), size: s.Size, est: s.Estimated})
	}
	return out
}

// rows pairs the entries of two views by name (summing entries of the
// same name) and keeps those that changed by at least MinDelta.
func (d *DiffReport) rows(old, new []entry) []DiffRow {
	type pair struct {
		row      DiffRow
		old, new bool
	}
	idx := map[string]int{}
	var pairs []pair
	get := func(e entry) *pair {
		i, ok := idx[e.name]
		if !ok {
			i = len(pairs)
			idx[e.name] = i
			pairs = append(pairs, pair{row: DiffRow{Name: e.name, Kind: e.kind}})
		}
		return &pairs[i]
	}
	for _, e := range old {
		p := get(e)
		p.row.Old += e.size
		p.row.OldVersion = e.version
		p.row.Estimated = p.row.Estimated || e.est
		p.old = true
	}
	for _, e := range new {
		p := get(e)
		p.row.New += e.size
		p.row.NewVersion = e.version
		p.row.Estimated = p.row.Estimated || e.est
		if p.row.Kind == "" {
			p.row.Kind = e.kind
		}
		p.new = true
	}
	out := []DiffRow{}
	for _, p := range pairs {
		r := p.row
		r.Delta = r.New - r.Old
		switch {
		case r.Old == 0 && r.New == 0:
			continue
		case r.Old == 0:
			r.Status = DiffAdded
		case r.New == 0:
			r.Status = DiffRemoved
			r.Percent = percentOf(r.Delta, r.Old)
		case r.Delta == 0 && r.OldVersion == r.NewVersion:
			d.Unchanged++
			continue
		default:
			r.Status = DiffChanged
			r.Percent = percentOf(r.Delta, r.Old)
		}
		if magnitude(r.Delta) < d.MinDelta {
			d.Hidden++
			continue
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(x, y DiffRow) int {
		return cmp.Or(cmp.Compare(magnitude(y.Delta), magnitude(x.Delta)), cmp.Compare(x.Name, y.Name))
	})
	return out
}

func percentOf(delta, base int64) *float64 {
	if base == 0 {
		return nil
	}
	p := float64(delta) / float64(base) * 100
	return &p
}

// magnitude is |n|.
func magnitude(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// Report kinds DecodeReport tells apart.
const (
	ReportSize    = "size"
	ReportCompare = "compare"
)

// ErrNotReport means a JSON document is not a report binscope can diff.
var ErrNotReport = errors.New("not a binscope size or compare report")

// DecodeReport reads a binscope size or compare report from JSON and
// says which it is. Any other JSON, such as an inspect report or a
// report of another schema version, is an error that says what it is.
func DecodeReport(data []byte) (kind string, size *SizeReport, compare *CompareReport, err error) {
	var probe struct {
		SchemaVersion *int            `json:"schema_version"`
		Cells         json.RawMessage `json:"cells"`
		Packages      json.RawMessage `json:"packages"`
		Sections      json.RawMessage `json:"sections"`
		Binaries      json.RawMessage `json:"binaries"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return "", nil, nil, fmt.Errorf("%w: invalid JSON: %v", ErrNotReport, jsonErr(data, err))
	}
	switch {
	case probe.SchemaVersion == nil:
		return "", nil, nil, fmt.Errorf("%w: no schema_version", ErrNotReport)
	case *probe.SchemaVersion != SchemaVersion:
		return "", nil, nil, fmt.Errorf("%w: schema_version %d, want %d", ErrNotReport, *probe.SchemaVersion, SchemaVersion)
	case probe.Cells != nil:
		compare = &CompareReport{}
		if err := json.Unmarshal(data, compare); err != nil {
			return "", nil, nil, fmt.Errorf("%w: compare report: %v", ErrNotReport, err)
		}
		return ReportCompare, nil, compare, nil
	case probe.Packages != nil && probe.Sections != nil:
		size = &SizeReport{}
		if err := json.Unmarshal(data, size); err != nil {
			return "", nil, nil, fmt.Errorf("%w: size report: %v", ErrNotReport, err)
		}
		return ReportSize, size, nil, nil
	case probe.Binaries != nil:
		return "", nil, nil, fmt.Errorf("%w: an inspect report (run binscope size on the binary instead)", ErrNotReport)
	}
	return "", nil, nil, fmt.Errorf("%w: has neither cells nor packages and sections", ErrNotReport)
}

// jsonErr adds the line of a syntax error.
func jsonErr(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(data)) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		return fmt.Errorf("line %d: %v", line, err)
	}
	return err
}
