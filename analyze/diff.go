package analyze

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/binscope/binscope/elfinfo"
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
	// What lies in no section, so that the rows explain the whole delta:
	// a Mach-O symbol table removed by -s is no section's.
	oldS = append(oldS, entry{name: "(" + RowSymbolTable + ")", kind: string(elfinfo.KindSymtab), size: old.SymbolTableOutside},
		entry{name: "(" + RowHeaders + ")", kind: string(elfinfo.KindOther), size: old.HeadersAndPadding})
	newS = append(newS, entry{name: "(" + RowSymbolTable + ")", kind: string(elfinfo.KindSymtab), size: new.SymbolTableOutside},
		entry{name: "(" + RowHeaders + ")", kind: string(elfinfo.KindOther), size: new.HeadersAndPadding})
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
// report of another schema version, is an error that says what it is;
// so is a size report whose numbers cannot be binscope's (a negative
// size, packages that do not sum to the size).
func DecodeReport(data []byte) (kind string, size *SizeReport, compare *CompareReport, err error) {
	fail := func(format string, args ...any) (string, *SizeReport, *CompareReport, error) {
		return "", nil, nil, fmt.Errorf("%w: "+format, append([]any{ErrNotReport}, args...)...)
	}
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		return fail("invalid JSON: %v", jsonErr(data, err))
	}
	// Valid JSON is not empty; its first byte tells what it is.
	if c := bytes.TrimLeft(data, " \t\r\n")[0]; c != '{' {
		what := "number"
		switch c {
		case '[':
			what = "array"
		case '"':
			what = "string"
		case 't', 'f':
			what = "boolean"
		case 'n':
			what = "null"
		}
		return fail("a JSON %s, not an object", what)
	}
	var probe struct {
		SchemaVersion json.RawMessage `json:"schema_version"`
		Cells         json.RawMessage `json:"cells"`
		Packages      json.RawMessage `json:"packages"`
		Sections      json.RawMessage `json:"sections"`
		Binaries      json.RawMessage `json:"binaries"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return fail("%v", typeErr(err))
	}
	var version int
	switch {
	case probe.SchemaVersion == nil:
		return fail("no schema_version")
	case json.Unmarshal(probe.SchemaVersion, &version) != nil:
		return fail("schema_version is %s, want %d", probe.SchemaVersion, SchemaVersion)
	case version != SchemaVersion:
		return fail("schema_version %d, want %d", version, SchemaVersion)
	case probe.Cells != nil:
		compare = &CompareReport{}
		if err := json.Unmarshal(data, compare); err != nil {
			return fail("compare report: %v", typeErr(err))
		}
		for _, c := range compare.Cells {
			if c.Size < 0 {
				return fail("compare report: cell %s has size %d", c.ID, c.Size)
			}
		}
		return ReportCompare, nil, compare, nil
	case probe.Packages != nil && probe.Sections != nil:
		size = &SizeReport{}
		if err := json.Unmarshal(data, size); err != nil {
			return fail("size report: %v", typeErr(err))
		}
		if err := checkSizeReport(size, data); err != nil {
			return fail("size report: %v", err)
		}
		return ReportSize, size, nil, nil
	case probe.Binaries != nil:
		return fail("an inspect report (run binscope size on the binary instead)")
	}
	return fail("has neither cells nor packages and sections")
}

// checkSizeReport refuses a size report whose numbers binscope cannot
// have written: the rows of the package view sum to the size.
func checkSizeReport(r *SizeReport, data []byte) error {
	var has struct {
		Size *int64 `json:"size"`
	}
	if json.Unmarshal(data, &has) != nil || has.Size == nil {
		return errors.New("no size")
	}
	if r.Size < 0 {
		return fmt.Errorf("size %d is negative", r.Size)
	}
	var sum int64
	for _, p := range r.Packages {
		if p.Size < 0 || p.Size > r.Size-sum {
			return fmt.Errorf("package %q of %d bytes: the packages hold more than the size, %d bytes", p.Name, p.Size, r.Size)
		}
		sum += p.Size
	}
	if sum != r.Size {
		return fmt.Errorf("the packages hold %d bytes, not the size, %d bytes", sum, r.Size)
	}
	for _, s := range r.Sections {
		if s.FileSize < 0 || s.VMSize < 0 {
			return fmt.Errorf("section %q has a negative size", s.Name)
		}
	}
	return nil
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

// typeErr words a JSON value of the wrong type in JSON's terms:
// "sections" is a number, want an array.
func typeErr(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	want := "a " + te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Slice, reflect.Array:
		want = "an array"
	case reflect.Struct, reflect.Map:
		want = "an object"
	case reflect.Bool:
		want = "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		want = "a number"
	}
	return fmt.Errorf("%q is %s, want %s", cmp.Or(te.Field, "the document"), jsonKind(te.Value), want)
}

// jsonKind names what json.UnmarshalTypeError calls a value: "number 1.5"
// is a number.
func jsonKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	}
	return "a " + kind
}
