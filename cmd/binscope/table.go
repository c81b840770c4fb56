package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// table is a plain, borderless text table in the style of go tool nm or
// docker ps: a header row, columns two spaces apart, numbers right-aligned.
//
// A table given a width (fit) is made to fit it, as gh and kubectl fit a
// terminal: first the columns' short headers, then their short cells
// (shorten), then the cells of the columns that may be elided are cut in
// the middle down to their minimum, and where that is not enough the
// droppable columns go, least useful first, with a line under the table
// that names them and --wide. Without a width (a pipe, a file, --wide)
// the table is printed whole.
type table struct {
	cols  []column
	rows  [][]string
	width int // columns to fit, indent included; 0 is no limit
}

type column struct {
	header, short string
	align         tw.Align
	drop          int                 // 0 never dropped; dropped in rising order
	elideMin      int                 // 0 never elided; else the narrowest it is cut to
	elideLast     bool                // cut only once no column is left to drop
	shorten       func(string) string // a shorter form of a cell, tried before eliding
	cut           func(string, int) string
}

// newTable starts a table; a column whose name starts with '>' is
// right-aligned (the '>' is dropped).
func newTable(columns ...string) *table {
	t := &table{}
	for _, c := range columns {
		col := column{header: c, align: tw.AlignLeft}
		if rest, ok := strings.CutPrefix(c, ">"); ok {
			col.header, col.align = rest, tw.AlignRight
		}
		t.cols = append(t.cols, col)
	}
	return t
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// fit sets the width the table must fit, 0 for none.
func (t *table) fit(width int) *table { t.width = width; return t }

func (t *table) col(header string) *column {
	for i := range t.cols {
		if t.cols[i].header == header {
			return &t.cols[i]
		}
	}
	panic("table: no column " + header) // a programming error, caught by every test of the renderer
}

// short gives column header a shorter header, used when the table does not fit.
func (t *table) short(header, short string) *table { t.col(header).short = short; return t }

// droppable lists the columns that may go when the table does not fit,
// the first to go first.
func (t *table) droppable(headers ...string) *table {
	for i, h := range headers {
		t.col(h).drop = i + 1
	}
	return t
}

// elide lets column header's cells be cut in the middle down to min
// columns, after trying shorten (nil for none) on each.
func (t *table) elide(header string, min int, shorten func(string) string) *table {
	c := t.col(header)
	c.elideMin, c.shorten, c.cut = min, shorten, elideMiddle
	return t
}

// elidePaths is elide for a column of import paths, which are cut at the
// front, a path element at a time: …/terraform/internal/backend says
// more than github.com/has…/backend.
func (t *table) elidePaths(header string, min int) *table {
	t.elide(header, min, nil)
	t.col(header).cut = elidePath
	return t
}

// elideLast is elide for a column that names its rows, such as compare's
// options: cut in the middle, two rows could read alike, so its cells are
// cut only once the droppable columns are gone.
func (t *table) elideLast(header string, min int, shorten func(string) string) *table {
	t.elide(header, min, shorten)
	t.col(header).elideLast = true
	return t
}

// elideLabels is elideLast for a column of cells' options, shortened by
// shortLabel and then cut a word at a time (elideLabel).
func (t *table) elideLabels(header string, min int) *table {
	t.elideLast(header, min, shortLabel)
	t.col(header).cut = elideLabel
	return t
}

// layout decides, for the table's width, which columns show, under which
// headers, and how wide each may be (0 is as wide as its cells). dropped
// names the columns that went.
func (t *table) layout(indent int) (keep []int, headers []string, caps []int, dropped []string) {
	n := len(t.cols)
	headers = make([]string, n)
	caps = make([]int, n)
	for i, c := range t.cols {
		headers[i] = c.header
		keep = append(keep, i)
	}
	if t.width <= 0 {
		return keep, headers, caps, nil
	}
	cells := make([][]string, len(t.rows))
	for r := range t.rows {
		cells[r] = slices.Clone(t.rows[r])
	}
	widths := func() []int {
		w := make([]int, n)
		for i := range t.cols {
			w[i] = visibleWidth(headers[i])
			for _, row := range cells {
				if i < len(row) {
					w[i] = max(w[i], visibleWidth(row[i]))
				}
			}
		}
		return w
	}
	total := func(w []int) int {
		sum := indent + 2*(len(keep)-1)
		for _, i := range keep {
			sum += w[i]
		}
		return sum
	}
	w := widths()
	if total(w) <= t.width {
		return keep, headers, caps, nil
	}
	for i, c := range t.cols {
		if c.short != "" {
			headers[i] = c.short
		}
		if c.shorten != nil {
			for _, row := range cells {
				if i < len(row) {
					row[i] = c.shorten(row[i])
				}
			}
		}
	}
	t.rows = cells
	w = widths()
	for {
		over := total(w) - t.width
		if over <= 0 {
			return keep, headers, caps, dropped
		}
		next := -1
		for _, i := range keep {
			if d := t.cols[i].drop; d > 0 && (next < 0 || d < t.cols[next].drop) {
				next = i
			}
		}
		cuttable := func(i int) bool {
			c := t.cols[i]
			return c.elideMin > 0 && w[i] > max(c.elideMin, visibleWidth(headers[i])) && (!c.elideLast || next < 0)
		}
		slack := 0
		for _, i := range keep {
			if cuttable(i) {
				slack += w[i] - max(t.cols[i].elideMin, visibleWidth(headers[i]))
			}
		}
		if slack >= over || next < 0 {
			// Cut the widest elidable column a column at a time, so
			// that several share the cut.
			for ; over > 0; over-- {
				widest := -1
				for _, i := range keep {
					if cuttable(i) && (widest < 0 || w[i] > w[widest]) {
						widest = i
					}
				}
				if widest < 0 {
					break
				}
				w[widest]--
				caps[widest] = w[widest]
			}
			return keep, headers, caps, dropped
		}
		keep = slices.DeleteFunc(keep, func(i int) bool { return i == next })
		dropped = append(dropped, t.cols[next].header)
	}
}

// shows reports whether column header is printed: it was not dropped to
// fit the width.
func (t *table) shows(header string) bool {
	keep, _, _, _ := t.layout(0)
	return slices.ContainsFunc(keep, func(i int) bool { return t.cols[i].header == header })
}

// render writes the table to w, indented by indent, without the trailing
// blanks tablewriter pads the last column with.
func (t *table) render(w io.Writer, indent string) error {
	keep, headers, caps, dropped := t.layout(len(indent))
	pick := func(cells []string, cut bool) []any {
		out := make([]any, 0, len(keep))
		for _, i := range keep {
			s := ""
			if i < len(cells) {
				s = cells[i]
			}
			if cut && caps[i] > 0 {
				s = t.cols[i].cut(s, caps[i])
			}
			out = append(out, s)
		}
		return out
	}
	var align []tw.Align
	for _, i := range keep {
		align = append(align, t.cols[i].align)
	}
	var buf bytes.Buffer
	tbl := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.BorderNone,
			Symbols: tw.NewSymbols(tw.StyleNone),
			Settings: tw.Settings{
				Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off, ShowHeader: tw.Off},
				Lines:      tw.Lines{ShowHeaderLine: tw.Off},
			},
		})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithPadding(tw.Padding{Left: "", Right: "  ", Overwrite: true}),
	)
	tbl.Configure(func(c *tablewriter.Config) {
		c.Row.Alignment.PerColumn = align
		c.Header.Alignment.PerColumn = align
	})
	if !allEmpty(headers) {
		tbl.Header(pick(headers, false)...)
	}
	for _, r := range t.rows {
		if err := tbl.Append(pick(r, true)...); err != nil {
			return err
		}
	}
	if err := tbl.Render(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimRight(dropStrayResets(strings.TrimRight(line, "\n")), " ")
		// A reset left after the padding of the last column: the cell
		// closed its own color.
		for strings.HasSuffix(line, ansiReset) && strings.HasSuffix(strings.TrimSuffix(line, ansiReset), " ") {
			line = strings.TrimRight(strings.TrimSuffix(line, ansiReset), " ")
		}
		if _, err := io.WriteString(w, indent+line+"\n"); err != nil {
			return err
		}
	}
	if len(dropped) > 0 {
		if _, err := fmt.Fprintf(w, "%s(hidden to fit %d columns: %s; --wide shows all)\n", indent, t.width, strings.Join(dropped, ", ")); err != nil {
			return err
		}
	}
	return nil
}

func allEmpty(s []string) bool {
	for _, x := range s {
		if x != "" {
			return false
		}
	}
	return true
}
