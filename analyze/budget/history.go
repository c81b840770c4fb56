package budget

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/internal/units"
)

// Size history: each check run appends one Entry, a line of JSON, to a
// history file (check --history), and reads the entries before it to
// show the trend of each cell and to warn of slow drift: growth over the
// last entries beyond a threshold while no single step crossed the
// per-change gate that would have stopped it.

// HistoryEntry is one run's line of a history file.
type HistoryEntry struct {
	SchemaVersion int           `json:"schema_version"`
	Commit        string        `json:"commit"` // "" when not known
	Date          string        `json:"date"`   // RFC 3339
	Target        string        `json:"target,omitempty"`
	Cells         []HistoryCell `json:"cells"`
}

// HistoryCell is one cell's size in a run, with its largest packages.
type HistoryCell struct {
	ID       string           `json:"id"`
	Label    string           `json:"label"`
	Size     int64            `json:"size"`
	Packages []HistoryPackage `json:"packages"`
}

// HistoryPackage is a package's bytes in a run.
type HistoryPackage struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// historyPackages is how many packages an entry keeps per cell, the
// largest: enough to say what grew (a main package is seldom in the top
// ten), few enough that a year of runs stays small (some 1.5K a cell).
const historyPackages = 30

// maxHistoryLine bounds a line of a history file: an entry of a large
// matrix is some kilobytes.
const maxHistoryLine = 4 << 20

// ErrHistory is the error of a history file that cannot be read.
var ErrHistory = errors.New("not a binscope size history")

// ReadHistory reads a history file's entries, in order. An error names
// the line.
func ReadHistory(r io.Reader) ([]HistoryEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxHistoryLine)
	var out []HistoryEntry
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var e HistoryEntry
		if err := json.Unmarshal([]byte(text), &e); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrHistory, line, err)
		}
		if e.SchemaVersion != analyze.SchemaVersion {
			return nil, fmt.Errorf("%w: line %d: schema_version %d, want %d", ErrHistory, line, e.SchemaVersion, analyze.SchemaVersion)
		}
		for _, c := range e.Cells {
			if c.ID == "" || c.Size < 0 {
				return nil, fmt.Errorf("%w: line %d: a cell without an id or with a negative size", ErrHistory, line)
			}
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%w: line %d is over %d bytes", ErrHistory, line+1, maxHistoryLine)
		}
		return nil, err
	}
	return out, nil
}

// NewHistoryEntry is the entry of a check of cells.
func NewHistoryEntry(cells []compare.Cell, target, commit, date string) HistoryEntry {
	e := HistoryEntry{SchemaVersion: analyze.SchemaVersion, Commit: commit, Date: date, Target: target, Cells: []HistoryCell{}}
	for _, c := range cells {
		if c.Status != compare.StatusOK {
			continue
		}
		hc := HistoryCell{ID: c.ID, Label: c.Label, Size: c.Size, Packages: []HistoryPackage{}}
		for _, p := range c.Packages {
			if analyze.FixedRow(p.Name) {
				continue
			}
			hc.Packages = append(hc.Packages, HistoryPackage{p.Name, p.Size})
		}
		sort.SliceStable(hc.Packages, func(i, j int) bool { return hc.Packages[i].Size > hc.Packages[j].Size })
		hc.Packages = hc.Packages[:min(historyPackages, len(hc.Packages))]
		e.Cells = append(e.Cells, hc)
	}
	return e
}

// History is the trend of each cell over the history and this run.
type History struct {
	File    string `json:"file"`
	Entries int    `json:"entries"` // in the file before this run
	// Window and MaxDrift are the drift rule: growth over the last
	// Window runs (this one included) beyond MaxDrift percent warns.
	Window   int            `json:"window"`
	MaxDrift float64        `json:"max_drift_percent"`
	Cells    []HistoryTrend `json:"cells"`
}

// HistoryTrend is one cell's sizes over the window, oldest first, this
// run last.
type HistoryTrend struct {
	ID        string   `json:"id"`
	Label     string   `json:"label"`
	Sizes     []int64  `json:"sizes"`
	Commits   []string `json:"commits"`
	Sparkline string   `json:"sparkline"`
	// Growth is the last size against the first, in bytes and percent.
	Growth        int64   `json:"growth"`
	GrowthPercent float64 `json:"growth_percent"`
	// LargestStep is the largest growth of one run over the one before,
	// in percent; Gate the per-change limit it is held to (the cell's
	// growth rule, else MaxDrift).
	LargestStep float64 `json:"largest_step_percent"`
	Gate        float64 `json:"gate_percent"`
	// Drift says that the cell grew beyond MaxDrift over the window while
	// no step crossed Gate: slow growth no single change was stopped for.
	Drift bool `json:"drift"`
	// Grew are the packages that grew most over the window.
	Grew []string `json:"grew,omitempty"`
}

// Trend computes each cell's trend over the last window-1 entries and
// now. gate gives a cell's per-change growth limit in percent, when it
// has one (its growth rule). A cell with fewer than two sizes has a
// trend of one point and no drift.
func Trend(file string, entries []HistoryEntry, now HistoryEntry, window int, maxDrift float64, gate func(cell string) (float64, bool)) *History {
	h := &History{File: file, Entries: len(entries), Window: window, MaxDrift: maxDrift, Cells: []HistoryTrend{}}
	all := append(slices.Clip(entries), now)
	if window < 2 {
		window = 2
	}
	if len(all) > window {
		all = all[len(all)-window:]
	}
	for _, c := range now.Cells {
		t := HistoryTrend{ID: c.ID, Label: c.Label, Gate: maxDrift}
		if g, ok := gate(c.ID); ok {
			t.Gate = g
		}
		var first, last *HistoryCell
		for i := range all {
			for j := range all[i].Cells {
				if hc := &all[i].Cells[j]; hc.ID == c.ID {
					if n := len(t.Sizes); n > 0 {
						if p, ok := units.PercentOf(hc.Size-t.Sizes[n-1], t.Sizes[n-1]); ok {
							t.LargestStep = max(t.LargestStep, p)
						}
					}
					t.Sizes = append(t.Sizes, hc.Size)
					t.Commits = append(t.Commits, all[i].Commit)
					if first == nil {
						first = hc
					}
					last = hc
				}
			}
		}
		t.Sparkline = Sparkline(t.Sizes)
		if first != nil && len(t.Sizes) > 1 {
			t.Growth = last.Size - first.Size
			t.GrowthPercent, _ = units.PercentOf(t.Growth, first.Size)
			t.Drift = t.GrowthPercent > maxDrift && t.LargestStep <= t.Gate
			t.Grew = grewMost(first.Packages, last.Packages)
		}
		h.Cells = append(h.Cells, t)
	}
	return h
}

// DriftWarnings are the sentences of the cells that drifted, for the
// report's Warnings.
func (h *History) DriftWarnings() []string {
	var out []string
	for _, t := range h.Cells {
		if !t.Drift {
			continue
		}
		msg := fmt.Sprintf("%s grew %s over the last %d runs (%s → %s), over the drift limit of +%s, though no run grew it more than %s (the gate is +%s)",
			t.Label, units.PercentText(t.GrowthPercent), len(t.Sizes), units.HumanSize(t.Sizes[0]), units.HumanSize(t.Sizes[len(t.Sizes)-1]),
			trimPercent(h.MaxDrift), units.PercentText(t.LargestStep), trimPercent(t.Gate))
		if len(t.Grew) > 0 {
			msg += "; grew most: " + strings.Join(t.Grew, ", ")
		}
		out = append(out, msg)
	}
	return out
}

// grewMost names the three packages that grew most from old to new.
func grewMost(old, new []HistoryPackage) []string {
	before := map[string]int64{}
	for _, p := range old {
		before[p.Name] = p.Size
	}
	type growth struct {
		name  string
		delta int64
	}
	var gs []growth
	for _, p := range new {
		if d := p.Size - before[p.Name]; d > 0 {
			gs = append(gs, growth{p.Name, d})
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].delta > gs[j].delta })
	var out []string
	for _, g := range gs[:min(3, len(gs))] {
		out = append(out, fmt.Sprintf("%s %s", g.name, units.HumanDelta(g.delta)))
	}
	return out
}

// sparkBlocks are the eight heights of a text sparkline.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws sizes as a line of block characters, the smallest as
// the lowest block and the largest as the highest; equal sizes are all
// the middle one.
func Sparkline(sizes []int64) string {
	if len(sizes) == 0 {
		return ""
	}
	lo, hi := slices.Min(sizes), slices.Max(sizes)
	var b strings.Builder
	for _, s := range sizes {
		i := len(sparkBlocks) / 2
		if hi > lo {
			i = int((s - lo) * int64(len(sparkBlocks)-1) / (hi - lo))
		}
		b.WriteRune(sparkBlocks[i])
	}
	return b.String()
}
