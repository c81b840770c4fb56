package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/internal/units"
	"github.com/spf13/cobra"
)

// checkHistory is a check's size history: the entries read before
// anything is built, and the drift rule.
type checkHistory struct {
	file     string
	entries  []budget.HistoryEntry
	window   int
	maxDrift float64
}

// readHistory reads --history's file (none yet is an empty history) and
// checks the drift flags, before anything is built: a history that
// cannot be read is a failure naming its line, a drift flag without
// --history or with a bad value a usage error.
func (co *checkOptions) readHistory(cmd *cobra.Command) (*checkHistory, error) {
	changed := cmd.Flags().Changed
	if co.history == "" {
		for _, f := range []string{"drift-window", "drift-max", "commit"} {
			if changed(f) {
				return nil, usageErrorf("check: --%s is for a size history: give --history FILE", f)
			}
		}
		return nil, nil
	}
	if co.driftWindow < 2 {
		return nil, usageErrorf("invalid --drift-window %d: want 2 or more runs", co.driftWindow)
	}
	pct, err := units.ParsePercent(co.driftMax)
	if err != nil || pct <= 0 {
		return nil, usageErrorf("invalid --drift-max value %q: want a percentage above 0, such as 5%%", co.driftMax)
	}
	h := &checkHistory{file: co.history, window: co.driftWindow, maxDrift: pct}
	data, err := os.ReadFile(co.history)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return h, nil // the first run
	case err != nil:
		return nil, failure(fmt.Errorf("check: --history %s: %w", co.history, unwrapPathErr(err)))
	}
	h.entries, err = budget.ReadHistory(bytes.NewReader(data))
	if err != nil {
		return nil, failure(fmt.Errorf("check: --history %s: %w", co.history, err))
	}
	return h, nil
}

// record adds this run to the report (the trend, the drift warnings) and
// appends it to the file: appended, never rewritten, so that a history
// kept on a branch or passed between workflow runs only grows.
func (h *checkHistory) record(opts *globalOptions, co *checkOptions, r *budget.Report, cells []compare.Cell) error {
	commit := co.commit
	if commit == "" {
		commit = opts.getenv("GITHUB_SHA")
	}
	target := ""
	if r.Target != nil {
		target = r.Target.Package
	}
	now := budget.NewHistoryEntry(cells, target, commit, time.Now().UTC().Format(time.RFC3339))
	r.History = budget.Trend(h.file, h.entries, now, h.window, h.maxDrift, r.GrowthGate)
	r.Warnings = append(r.Warnings, r.History.DriftWarnings()...)
	var line bytes.Buffer
	if err := writeJSONLine(&line, now); err != nil {
		return failure(err)
	}
	f, err := os.OpenFile(h.file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return failure(fmt.Errorf("check: --history %s: %w", h.file, unwrapPathErr(err)))
	}
	if _, err := f.Write(line.Bytes()); err != nil {
		f.Close()
		return failure(fmt.Errorf("check: --history %s: %w", h.file, err))
	}
	if err := f.Close(); err != nil {
		return failure(fmt.Errorf("check: --history %s: %w", h.file, err))
	}
	return nil
}

// writeJSONLine writes v as one line of JSON, with <, > and & as they
// are, as every report of binscope.
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// historyText writes the trend of each cell: its sparkline over the
// window and the change from the first run of it to this one.
func historyText(w io.Writer, h *budget.History, labels map[string]string) {
	if h == nil {
		return
	}
	fmt.Fprintf(w, "\nHistory: %s, %d runs before this one; the last %d:\n", h.File, h.Entries, h.Window)
	t := newTable("CELL", "TREND", ">FIRST", ">NOW", ">CHANGE", ">LARGEST STEP")
	for _, c := range h.Cells {
		change, first := "-", "-"
		if len(c.Sizes) > 1 {
			change = fmt.Sprintf("%s (%s)", units.HumanDelta(c.Growth), units.PercentText(c.GrowthPercent))
			first = units.HumanSize(c.Sizes[0])
		}
		step := units.PercentText(c.LargestStep)
		if len(c.Sizes) < 2 {
			step = "-"
		}
		name := labels[c.ID]
		if name == "" {
			name = cellName(c.Label, c.ID)
		}
		t.add(name, c.Sparkline, first, units.HumanSize(c.Sizes[len(c.Sizes)-1]), change, step)
	}
	t.render(w, "  ")
}

// historyMarkdown is historyText for a pull request comment.
func historyMarkdown(w io.Writer, h *budget.History) {
	if h == nil {
		return
	}
	fmt.Fprintf(w, "\n**Size history**, the last %d runs:\n\n| cell | trend | first | now | change |\n|:-----|:------|-----:|----:|------:|\n", h.Window)
	for _, c := range h.Cells {
		change, first := "-", "-"
		if len(c.Sizes) > 1 {
			change = fmt.Sprintf("%s (%s)", units.HumanDelta(c.Growth), units.PercentText(c.GrowthPercent))
			first = units.HumanSize(c.Sizes[0])
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", mdCell(cellName(c.Label, c.ID)), c.Sparkline, first, units.HumanSize(c.Sizes[len(c.Sizes)-1]), strings.TrimSpace(change))
	}
}
