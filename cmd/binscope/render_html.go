package main

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/analyze/treemap"
	"github.com/binscope/binscope/internal/units"
)

// The HTML report's parts, embedded so that binscope writes one
// self-contained file: no CDN, no web font, no request of any kind (its
// Content-Security-Policy forbids them).
var (
	//go:embed assets/size.html
	sizeHTML string
	//go:embed assets/report.css
	reportCSS string
	//go:embed assets/treemap.js
	treemapJS string
)

// htmlSymbolsPerPackage is how many of each package's symbols the HTML
// report carries, as --symbols-per-package does: the treemap's third
// level, in a file whose size does not grow with the symbol table.
const htmlSymbolsPerPackage = 20

// renderSizeHTML writes the interactive report of a size report: the
// report itself, as --format json writes it, embedded in a
// <script type="application/json">, so that the page can never disagree
// with the JSON, and the script that draws it (assets/treemap.js).
//
// The page is put together by hand, not with html/template: text/template,
// under html/template, calls reflect's MethodByName, which makes the
// linker keep every exported method of every reachable type. That cost
// binscope 2.0M (+29%) stripped and failed its own budget
// (.binscope.yaml, max_size 8M), as cobra's version template once did.
// Nine values go in, each made safe for its place here: the title and the
// facts are text, escaped with html.EscapeString; the command is ours;
// the report, NEW's report, the history and the kinds are JSON from json.Marshal, which escapes <, > and &, so no
// "</script>" can end their element; the style and the script are our
// own assets, which a test keeps free of "</style" and "</script".
func renderSizeHTML(w io.Writer, r *analyze.SizeReport) error {
	return renderPage(w, "size", r.Path, htmlFacts(r), r, nil, nil)
}

// renderDiffHTML writes the page of a diff: NEW's treemap coloured by
// change (grown, shrunk, added, unchanged), the removed packages, and the
// table of deltas; for two compare reports, the same for the cell picked.
// It embeds the diff as --format json writes it, and NEW's report as
// size --format json (or the compare report) has it.
func renderDiffHTML(w io.Writer, d *diff.Report, newSide any) error {
	if newSide == nil {
		return errors.New("diff --format html: no NEW report to draw")
	}
	facts := fmt.Sprintf("%s → %s, %s", units.HumanSize(d.OldSize), units.HumanSize(d.NewSize), units.HumanDelta(d.Delta))
	if d.Percent != nil && d.Delta != 0 {
		facts += " (" + units.PercentText(*d.Percent) + ")"
	}
	if d.Kind == "compare" {
		facts += fmt.Sprintf(" over %d cells", len(d.Cells))
	}
	for _, wa := range d.Warnings {
		facts += " · warning: " + wa
	}
	return renderPage(w, "diff", d.Old+" → "+d.New, facts, d, newSide, nil)
}

// renderCompareHTML writes the page of a compare report: the matrix as a
// chart, one bar per cell stacked by kind (from the cell's package rows),
// with badges for linkage, stripping and container readiness; the
// headline and the option effects; and the treemap of the cell clicked,
// drawn from its package rows, all in the one file. It embeds the report
// as --format json writes it.
func renderCompareHTML(w io.Writer, r *compare.Report) error {
	return renderCompareHistoryHTML(w, r, nil)
}

// renderCompareHistoryHTML is renderCompareHTML with the size history's
// trend of each cell (check --history) drawn under the matrix: one line
// chart per cell, a point per run, its commit and size on hover, the
// cells that drifted marked. h may be nil: no history section.
func renderCompareHistoryHTML(w io.Writer, r *compare.Report, h *budget.History) error {
	ok := 0
	for _, c := range r.Cells {
		if c.Status == compare.StatusOK {
			ok++
		}
	}
	facts := fmt.Sprintf("%d cells, %d built", len(r.Cells), ok)
	if r.Target.GoVersion != "" {
		facts += " · " + r.Target.GoVersion + " on " + r.Target.Host
	}
	var history any
	if h != nil {
		history = h
	}
	return renderPage(w, "compare", cmp.Or(r.Target.Package, r.Target.Dir), facts, r, nil, history)
}

// renderPage fills the page's template; newSide is null on a size page.
func renderPage(w io.Writer, command, title, facts string, report, newSide, history any) error {
	data, err := json.Marshal(report)
	if err != nil {
		return err
	}
	hist, err := json.Marshal(history)
	if err != nil {
		return err
	}
	side, err := json.Marshal(newSide)
	if err != nil {
		return err
	}
	kinds, err := json.Marshal(struct {
		Colors map[treemap.Kind]string `json:"colors"`
		Order  []treemap.Kind          `json:"order"`
	}{kindColors, kindOrder})
	if err != nil {
		return err
	}
	page := strings.NewReplacer(
		"@@COMMAND@@", command,
		"@@TITLE@@", html.EscapeString(title),
		"@@FACTS@@", html.EscapeString(facts),
		"@@NEW@@", string(side),
		"@@HISTORY@@", string(hist),
		"@@CSS@@", reportCSS,
		"@@SCRIPT@@", treemapJS,
		"@@REPORT@@", string(data),
		"@@KINDS@@", string(kinds),
	).Replace(sizeHTML)
	_, err = io.WriteString(w, page)
	return err
}

// htmlFacts is the header's line of facts: the size, the format and
// platform, the Go version, the linkage, stripped or not, and how much of
// it is estimated.
func htmlFacts(r *analyze.SizeReport) string {
	parts := []string{units.HumanSize(r.Size) + " (" + strconv.FormatInt(r.Size, 10) + " bytes)", strings.ToUpper(string(r.Format)) + " " + r.GOOS + "/" + r.GOARCH}
	if r.GoVersion != "" {
		parts = append(parts, r.GoVersion)
	}
	switch r.Linkage {
	case "static", "dynamic":
		parts = append(parts, r.Linkage+"ally linked") // file(1)'s words
	case "static-pie":
		parts = append(parts, "static-pie linked")
	}
	if r.Stripped {
		parts = append(parts, "stripped")
	} else {
		parts = append(parts, "not stripped")
	}
	parts = append(parts, fmt.Sprintf("%s estimated, coverage %.1f%%", units.HumanSize(r.Estimated), 100*r.Coverage))
	return strings.Join(parts, " · ")
}
