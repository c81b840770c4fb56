package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/internal/units"
)

// cellName is how check names a cell to people: its options as typed on
// top of go build when it has them, else its id (a binary's path).
func cellName(label, id string) string {
	if label != "" {
		return label
	}
	return id
}

// renderCheckText writes the rule table, then one line for each of
// checkNotes, then the verdict.
func renderCheckText(w io.Writer, r *budget.Report, p palette) error {
	labels := map[string]string{}
	for _, c := range r.Cells {
		labels[c.ID] = cellName(c.Label, c.ID)
	}
	// On a terminal the cells take compare's short labels; HEADROOM,
	// which ACTUAL and LIMIT give, is the first column to go, and only
	// then are rule and cell cut, where two cut cells could read alike.
	t := newTable("RULE", "CELL", "STATUS", ">ACTUAL", ">LIMIT", ">HEADROOM").fit(p.width)
	t.droppable("HEADROOM")
	t.elideLast("RULE", 16, nil)
	t.col("RULE").cut = cutRule
	t.elideLabels("CELL", 16)
	for _, res := range r.Rules {
		t.add(res.Budget+": "+string(res.Rule), labels[res.Cell], paintStatus(p, res.Status), res.Actual, res.Limit, res.Headroom)
	}
	if len(r.Rules) == 0 {
		fmt.Fprintln(w, "no rule applies to any cell")
	} else if err := t.render(w, ""); err != nil {
		return err
	}
	historyText(w, r.History, labels)
	var notes []string
	for _, res := range checkNotes(r) {
		notes = append(notes, fmt.Sprintf("%s %s%s", paintStatus(p, res.Status), configLine(r, res), res.Message))
	}
	for _, wa := range r.Warnings {
		notes = append(notes, p.warn("warning:")+" "+wa)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
	}
	fmt.Fprintf(w, "\ncheck %s: %s\n", paintStatus(p, r.Status), countsLine(r))
	return nil
}

// cutRule shortens a RULE cell, "budget name: rule", to n columns by
// cutting the end of the budget's name, so that the start of the name
// that the config file spells and the rule stay readable:
// "every build of…: max_size". Where that leaves no room it cuts in the
// middle.
func cutRule(s string, n int) string {
	i := strings.LastIndex(s, ": ")
	if visibleWidth(s) <= n || i < 0 {
		return elideMiddle(s, n)
	}
	name, rule := s[:i], s[i:]
	room := n - visibleWidth(rule) - 1
	if room < 4 {
		return elideMiddle(s, n)
	}
	return strings.TrimRight(cutColumns(name, room), " ") + "…" + rule
}

// checkNotes are the results every format says something about: those
// that are not passes and have a message, in the report's order. A rule
// that judged nothing (N/A, SKIPPED, NO BASELINE) says the same of every
// cell it touches, "growth rules need a baseline (--baseline)" say: each
// such message is kept once, at its first rule.
func checkNotes(r *budget.Report) []budget.Result {
	var out []budget.Result
	seen := map[string]bool{}
	for _, res := range r.Rules {
		if res.Status == budget.StatusPass || res.Message == "" {
			continue
		}
		if !res.Status.Judged() {
			key := string(res.Status) + "\x00" + res.Message
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		out = append(out, res)
	}
	return out
}

// configLine is where a result's rule is, "file:line: ", or "" for a rule
// given by flag.
func configLine(r *budget.Report, res budget.Result) string {
	if res.Line > 0 && r.Config != "" {
		return fmt.Sprintf("%s:%d: ", r.Config, res.Line)
	}
	return ""
}

func paintStatus(p palette, s budget.Status) string {
	switch s {
	case budget.StatusPass:
		return p.good(string(s))
	case budget.StatusWarn, budget.StatusNew:
		return p.warn(string(s))
	case budget.StatusFail, budget.StatusError:
		return p.bad(string(s))
	}
	return string(s)
}

// countsLine tallies the results: "1 FAIL, 1 WARN, 10 PASS on 8 cells".
func countsLine(r *budget.Report) string {
	var parts []string
	for _, s := range []budget.Status{budget.StatusError, budget.StatusFail, budget.StatusWarn, budget.StatusNew, budget.StatusPass, budget.StatusNA, budget.StatusSkipped, budget.StatusNoBaseline} {
		if n := r.Counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		parts = []string{"no rules"}
	}
	cells := "cells"
	if len(r.Cells) == 1 {
		cells = "cell"
	}
	return fmt.Sprintf("%s on %d %s", strings.Join(parts, ", "), len(r.Cells), cells)
}

// statusMark is the mark a pull-request comment shows for a status.
var statusMark = map[budget.Status]string{
	budget.StatusPass: "✅", budget.StatusWarn: "⚠️", budget.StatusFail: "❌", budget.StatusError: "❌",
	budget.StatusNew: "🆕", budget.StatusSkipped: "⏭️", budget.StatusNA: "➖", budget.StatusNoBaseline: "❔",
}

// renderCheckMarkdown writes a compact report for a pull-request comment
// or $GITHUB_STEP_SUMMARY: a heading with the verdict, one row per cell
// with its size and change, and the results that are not passes.
//
// With a width (a terminal), the cells take compare's short labels and
// are cut in the middle where a row would still be wider: a table row
// cannot wrap. A comment or a file gets the labels whole.
func renderCheckMarkdown(w io.Writer, r *budget.Report, width int) error {
	fmt.Fprintf(w, "### %s binscope check: %s\n\n", statusMark[r.Status], r.Status)
	fmt.Fprintf(w, "%s.", countsLine(r))
	if r.Baseline != "" {
		fmt.Fprintf(w, " Baseline: %s.", mdCell(r.Baseline))
	}
	fmt.Fprint(w, "\n\n")
	fmt.Fprintln(w, "| cell | size | Δ | status |")
	fmt.Fprintln(w, "|:-----|-----:|--:|:------:|")
	for _, c := range r.Cells {
		size := units.HumanSize(c.Size)
		if c.Build != string(compare.StatusOK) {
			size = c.Build
		}
		rest := fmt.Sprintf(" | %s | %s | %s %s |", size, markdownDelta(c), statusMark[c.Status], c.Status)
		name := cellName(c.Label, c.ID)
		if width > 0 {
			name = shortLabel(name)
			// "| `" and "`" around the name.
			if room := width - visibleWidth(rest) - 4; visibleWidth(mdCell(name))-2 > room {
				name = elideLabel(name, max(room, 8))
			}
		}
		fmt.Fprintf(w, "| %s%s\n", mdCell(name), rest)
	}
	historyMarkdown(w, r.History)
	var issues []budget.Result
	for _, res := range checkNotes(r) {
		if res.Status != budget.StatusNA {
			issues = append(issues, res)
		}
	}
	if len(issues) > 0 || len(r.Warnings) > 0 {
		fmt.Fprintln(w)
		for _, res := range issues {
			fmt.Fprintf(w, "- %s **%s** %s\n", statusMark[res.Status], res.Status, mdText(res.Message))
		}
		for _, wa := range r.Warnings {
			fmt.Fprintf(w, "- ⚠️ **warning** %s\n", mdText(wa))
		}
	}
	return nil
}

// markdownDelta renders a cell's change with an arrow: ▲ +320K (+5.2%).
func markdownDelta(c budget.Cell) string {
	if c.Delta == nil {
		return "–"
	}
	d := *c.Delta
	arrow := "▲"
	switch {
	case d < 0:
		arrow = "▼"
	case d == 0:
		return "±0"
	}
	s := arrow + " " + units.HumanDelta(d)
	if c.BaselineSize != nil {
		if p := units.Percent(d, *c.BaselineSize); p != "" {
			s += " (" + p + ")"
		}
	}
	return s
}

// mdCell keeps a table cell on one line and its pipes literal.
func mdCell(s string) string {
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "`", "'") + "`"
}

// mdText keeps a message on one line and every character of it literal
// in GitHub's markdown: angle brackets and ampersands as entities (GitHub
// would take <generated> for an HTML tag and drop it), and backslash
// escapes for what would start code, emphasis, strikethrough or a link.
// An underscore inside a word (max_size) starts nothing and stays bare.
func mdText(s string) string {
	var b strings.Builder
	isWord := func(i int) bool {
		if i < 0 || i >= len(s) {
			return false
		}
		c := s[i]
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n', '\r':
			b.WriteByte(' ')
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '`', '*', '~', '[', ']':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '_':
			if !isWord(i-1) || !isWord(i+1) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// renderCheckGitHub writes GitHub Actions workflow commands: an error for
// each FAIL and ERROR, a warning for each WARN and a notice for each
// growth rule that had no baseline to measure against (once for a message
// every cell shares), pointing at the rule's line in the config file when
// there is one. file is the config's path as annotations name it
// (relative to the repository root); "" when the config lies outside it,
// and the message then starts with the config's path and line.
func renderCheckGitHub(w io.Writer, r *budget.Report, file string) error {
	for _, res := range checkNotes(r) {
		var level string
		switch res.Status {
		case budget.StatusFail, budget.StatusError:
			level = "error"
		case budget.StatusWarn:
			level = "warning"
		case budget.StatusNoBaseline:
			level = "notice"
		default:
			continue
		}
		props := []string{"title=" + escapeProperty("binscope check: "+res.Budget)}
		msg := res.Message
		if r.Config != "" && res.Line > 0 {
			if file != "" {
				props = append([]string{"file=" + escapeProperty(file), fmt.Sprintf("line=%d", res.Line)}, props...)
			} else {
				msg = configLine(r, res) + msg
			}
		}
		fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg))
	}
	for _, wa := range r.Warnings {
		fmt.Fprintf(w, "::warning title=%s::%s\n", escapeProperty("binscope check: warning"), escapeData(wa))
	}
	fmt.Fprintf(w, "::notice title=binscope check::%s\n", escapeData(string(r.Status)+": "+countsLine(r)))
	return nil
}
