package main

import (
	"bytes"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// table is a plain, borderless text table in the style of go tool nm or
// docker ps: a header row, columns two spaces apart, numbers right-aligned.
type table struct {
	header []string
	align  []tw.Align
	rows   [][]string
}

// newTable starts a table; a column whose name starts with '>' is
// right-aligned (the '>' is dropped).
func newTable(columns ...string) *table {
	t := &table{}
	for _, c := range columns {
		if rest, ok := strings.CutPrefix(c, ">"); ok {
			t.header = append(t.header, rest)
			t.align = append(t.align, tw.AlignRight)
		} else {
			t.header = append(t.header, c)
			t.align = append(t.align, tw.AlignLeft)
		}
	}
	return t
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// render writes the table to w, indented by indent, without the trailing
// blanks tablewriter pads the last column with.
func (t *table) render(w io.Writer, indent string) error {
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
		c.Row.Alignment.PerColumn = t.align
		c.Header.Alignment.PerColumn = t.align
	})
	if t.header != nil && !allEmpty(t.header) {
		tbl.Header(anySlice(t.header)...)
	}
	for _, r := range t.rows {
		if err := tbl.Append(anySlice(r)...); err != nil {
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
		line = strings.TrimRight(line, " \n")
		// tablewriter closes a row holding colored cells with one more
		// reset after the padding; the cells close their own colors.
		for strings.HasSuffix(line, ansiReset) && strings.HasSuffix(strings.TrimSuffix(line, ansiReset), " ") {
			line = strings.TrimRight(strings.TrimSuffix(line, ansiReset), " ")
		}
		if _, err := io.WriteString(w, indent+line+"\n"); err != nil {
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

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
