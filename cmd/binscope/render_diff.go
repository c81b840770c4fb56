package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// renderDiffText writes a diff: the totals, then a table per view (or
// the one --by names); for compare reports, that for each cell.
func renderDiffText(w io.Writer, d *diff.Report, by string, width int) error {
	fmt.Fprintf(w, "old: %s%s\nnew: %s%s\n", d.Old, sliceNote(d.OldUniversal, d.OldSize), d.New, sliceNote(d.NewUniversal, d.NewSize))
	for _, warning := range d.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warning)
	}
	if d.Kind == "compare" {
		fmt.Fprintf(w, "total over matched cells: %s\n", totalLine(d))
		renderCellSummary(w, d)
		for _, c := range d.Cells {
			fmt.Fprintf(w, "\ncell %s: ", c.ID)
			switch {
			case c.Diff != nil:
				fmt.Fprintf(w, "%s\n", totalLine(c.Diff))
				if err := renderDiffViews(w, c.Diff, by, "  ", width); err != nil {
					return err
				}
			case c.Reason != "":
				fmt.Fprintf(w, "%s: %s\n", c.Status, c.Reason)
			default:
				fmt.Fprintf(w, "%s\n", c.Status)
			}
		}
		return nil
	}
	fmt.Fprintf(w, "total: %s\n", totalLine(d))
	if err := renderDiffViews(w, d, by, "", width); err != nil {
		return err
	}
	switch {
	case d.Hidden > 0:
		fmt.Fprintf(w, "\n%d rows changed by less than --min-delta %s (hidden), %d unchanged\n", d.Hidden, units.HumanSize(d.MinDelta), d.Unchanged)
	case d.Unchanged > 0:
		fmt.Fprintf(w, "\n%d rows unchanged\n", d.Unchanged)
	}
	return nil
}

// renderCellSummary leads a compare diff with one line per cell and the
// count of each status, before the cells' own tables.
func renderCellSummary(w io.Writer, d *diff.Report) {
	counts := map[diff.Status]int{}
	for _, c := range d.Cells {
		counts[c.Status]++
	}
	var parts []string
	for _, st := range []diff.Status{diff.Changed, diff.Unchanged, diff.Added, diff.Removed, diff.Failed} {
		if counts[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
		}
	}
	fmt.Fprintf(w, "cells: %s\n", strings.Join(parts, ", "))
	for _, c := range d.Cells {
		line := string(c.Status)
		if c.Diff != nil {
			line = totalLine(c.Diff)
		}
		fmt.Fprintf(w, "  %s: %s\n", c.ID, line)
	}
}

// sliceNote says which slice of a universal binary a side of a diff is:
// " (slice arm64 of a universal binary (amd64, arm64), …)"; "" for others.
func sliceNote(u *elfinfo.SliceInfo, size int64) string {
	if u == nil {
		return ""
	}
	return " (" + describeSlice(u, size) + ")"
}

// totalLine renders "12M → 8.1M, -3.6M (-30%), -3671456 bytes".
func totalLine(d *diff.Report) string {
	s := fmt.Sprintf("%s → %s, %s", units.HumanSize(d.OldSize), units.HumanSize(d.NewSize), units.HumanDelta(d.Delta))
	if p := units.Percent(d.Delta, d.OldSize); p != "" {
		s += " (" + p + ")"
	}
	return s + fmt.Sprintf(", %+d bytes", d.Delta)
}

func renderDiffViews(w io.Writer, d *diff.Report, by, indent string, width int) error {
	views := []struct {
		by, title string
		rows      []diff.Row
	}{
		{"section", "SECTION", d.Sections},
		{"module", "MODULE", d.Modules},
		{"package", "PACKAGE", d.Packages},
		{"symbol", "SYMBOL", d.Symbols},
	}
	for _, v := range views {
		if by != "" && by != v.by || by == "" && v.by == "symbol" {
			continue
		}
		fmt.Fprintln(w)
		if len(v.rows) == 0 {
			fmt.Fprintf(w, "%s%s: no changes\n", indent, v.title)
			continue
		}
		t := newTable(v.title, "STATUS", ">OLD", ">NEW", ">DELTA", ">%", ">BYTES", "").fit(width)
		t.droppable("BYTES", "STATUS").elidePaths(v.title, 24)
		for _, r := range v.rows {
			t.add(shorten(diffRowName(r)), string(r.Status), sizeCell(r.Old), sizeCell(r.New), units.HumanDelta(r.Delta), percentCell(r),
				strconv.FormatInt(r.Delta, 10), estMark(r.Estimated))
		}
		if err := t.render(w, indent); err != nil {
			return err
		}
	}
	return nil
}

// diffRowName is a row's name with the module version it has: the old
// one when removed, both when it changed.
func diffRowName(r diff.Row) string {
	v := cmp.Or(r.NewVersion, r.OldVersion)
	switch {
	case r.Status == diff.Changed && r.OldVersion != r.NewVersion:
		v = r.OldVersion + " → " + r.NewVersion
	case r.Status == diff.Removed:
		v = r.OldVersion
	}
	if v == "" {
		return r.Name
	}
	return r.Name + " " + v
}

func percentCell(r diff.Row) string {
	if r.Status == diff.Added {
		return "new"
	}
	return units.Percent(r.Delta, r.Old)
}

// renderDiffCSV writes one line per row of every view (or the one --by
// names): view, cell (for compare reports), name, status, sizes, percent.
func renderDiffCSV(w io.Writer, d *diff.Report, by string) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"cell", "view", "name", "kind", "old_version", "new_version", "status", "old", "new", "delta", "percent", "estimated"})
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	write := func(cell string, x *diff.Report) {
		cw.Write([]string{cell, "total", "", "", "", "", statusOf(x.Delta), i64(x.OldSize), i64(x.NewSize), i64(x.Delta), pct(x.Percent), "false"})
		for _, v := range []struct {
			by   string
			rows []diff.Row
		}{{"section", x.Sections}, {"module", x.Modules}, {"package", x.Packages}, {"symbol", x.Symbols}} {
			if by != "" && by != v.by {
				continue
			}
			for _, r := range v.rows {
				cw.Write([]string{cell, v.by, r.Name, r.Kind, r.OldVersion, r.NewVersion, string(r.Status), i64(r.Old), i64(r.New), i64(r.Delta), pct(r.Percent), strconv.FormatBool(r.Estimated)})
			}
		}
	}
	if d.Kind == "compare" {
		for _, c := range d.Cells {
			if c.Diff != nil {
				write(c.ID, c.Diff)
			} else {
				cw.Write([]string{c.ID, "cell", "", "", "", "", string(c.Status), "", "", "", "", "false"})
			}
		}
	} else {
		write("", d)
	}
	cw.Flush()
	return cw.Error()
}

func statusOf(delta int64) string {
	if delta == 0 {
		return string(diff.Unchanged)
	}
	return string(diff.Changed)
}

func pct(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}
