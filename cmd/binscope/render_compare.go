package main

import (
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/units"
)

// targetName names the program: its import path, with the version of
// its module when that is not the main module (pkg@version, or a
// dependency named by import path).
func targetName(t compare.Target) string {
	if t.Version != "" {
		return t.Package + "@" + t.Version
	}
	return t.Package
}

// targetWhere says where the builds ran: the folder, or, for
// pkg@version, the temporary module.
func targetWhere(t compare.Target) string {
	if t.Dir == "" {
		return "in a temporary module, as go install pkg@version builds"
	}
	return t.Dir
}

// reproduceIn says where a cell's command reproduces its build.
func reproduceIn(t compare.Target) string {
	if t.Dir == "" {
		return fmt.Sprintf("a module that requires %s %s (go mod init m && go get %s)", t.Module, t.Version, targetName(t))
	}
	return t.Dir
}

// renderCompareText writes compare's text form: what was built, one row
// per cell (in report order, biggest first), the headline, the option
// effects, and why cells were skipped or failed.
func renderCompareText(w io.Writer, r *compare.Report, p palette) error {
	t := r.Target
	fmt.Fprintf(w, "%s (%s) with %s on %s\n", targetName(t), targetWhere(t), t.GoVersion, t.Host)
	if len(t.Tags) > 0 {
		var tags []string
		for _, u := range t.Tags {
			tags = append(tags, fmt.Sprintf("%s (%s)", u.Tag, strings.Join(u.Files, ", ")))
		}
		fmt.Fprintf(w, "custom build tags: %s\n", strings.Join(tags, "; "))
	} else {
		fmt.Fprintln(w, "custom build tags: none found")
	}
	if len(t.Inherited) > 0 {
		var kv []string
		for _, k := range slices.Sorted(maps.Keys(t.Inherited)) {
			kv = append(kv, k+"="+buildmatrix.ShellQuote(t.Inherited[k]))
		}
		fmt.Fprintf(w, "inherited by every build: %s\n", strings.Join(kv, " "))
	}
	if s := r.Matrix.Settings; s.LDFlags != "" || s.Trimpath || s.BuildMode != "" {
		var parts []string
		if s.LDFlags != "" {
			parts = append(parts, "-ldflags="+buildmatrix.ShellQuote(s.LDFlags))
		}
		if s.Trimpath {
			parts = append(parts, "-trimpath")
		}
		if s.BuildMode != "" {
			parts = append(parts, "-buildmode="+s.BuildMode)
		}
		fmt.Fprintf(w, "every build: %s\n", strings.Join(parts, " "))
	}
	if r.Shard != nil {
		fmt.Fprintf(w, "shard %s: %d of the matrix's %d cells (join the shards with binscope merge)\n", r.Shard, len(r.Cells), len(r.Matrix.Cells))
	}
	fmt.Fprintln(w)

	var baseSize int64
	for _, c := range r.Cells {
		if c.ID == r.Baseline && c.Status == compare.StatusOK {
			baseSize = c.Size
		}
	}
	tbl := newTable("OPTIONS", ">SIZE", ">DELTA", ">%", "LINKAGE", "STRIPPED", "DEBUG INFO", "SCRATCH", "ALPINE", ">BUILD", "STATUS")
	for _, c := range r.Cells {
		size, delta, pct, linkage, stripped, debug, build := "-", "-", "-", "-", "-", "-", "-"
		scratch, alpine := "-", "-"
		status := string(c.Status)
		if c.ID == r.Baseline || c.Status == compare.StatusOK && c.Delta == nil {
			delta, pct = "", "" // the baseline, or a shard without it
		}
		if c.Status == compare.StatusOK {
			size = units.HumanSize(c.Size)
			if c.Binary != nil && c.Binary.Facts != nil {
				linkage, stripped, debug = c.Binary.Linkage, yesNo(c.Binary.Stripped), yesNo(c.Binary.DebugInfo)
				scratch, alpine = readinessCell(p, *c.Binary, "scratch"), readinessCell(p, *c.Binary, "alpine")
			}
		}
		if c.Delta != nil && c.ID != r.Baseline {
			delta = units.HumanDelta(*c.Delta)
			pct = units.Percent(*c.Delta, baseSize)
		}
		switch c.Status {
		case compare.StatusOK:
			status = p.good(status)
		case compare.StatusFailed:
			status = p.bad(status)
		case compare.StatusSkipped:
			status = p.warn(status)
		}
		if c.ID == r.Baseline {
			status += ", baseline"
		}
		if c.Delta != nil && *c.Delta < 0 && delta != "" {
			delta, pct = p.good(delta), p.good(pct)
		} else if c.Delta != nil && *c.Delta > 0 {
			delta, pct = p.bad(delta), p.bad(pct)
		}
		if c.Status != compare.StatusSkipped {
			build = fmt.Sprintf("%.1fs", c.BuildSeconds)
		}
		tbl.add(c.Label, size, delta, pct, linkage, stripped, debug, scratch, alpine, build, status)
	}
	if len(r.Cells) == 0 {
		// More shards than compile configurations leave some empty.
		fmt.Fprintln(w, "no cell of the matrix falls in this shard")
	} else if err := tbl.render(w, ""); err != nil {
		return err
	}
	if r.Headline != nil {
		fmt.Fprintf(w, "\n%s\n", p.bold(r.Headline.Text))
	}

	if len(r.Effects) > 0 {
		fmt.Fprintln(w, "\nOption effects, the median change over the pairs of cells that differ only in that option:")
		et := newTable("OPTION", "AGAINST", ">MEDIAN", ">%", ">RANGE", ">PAIRS", "NOTE")
		for _, e := range r.Effects {
			rng := ""
			// A range whose ends print alike ("-2.6M … -2.6M") says
			// nothing the median does not.
			if lo, hi := units.HumanDelta(e.Min), units.HumanDelta(e.Max); e.Pairs > 1 && lo != hi {
				rng = lo + " … " + hi
			}
			et.add(e.Option, e.Against, units.HumanDelta(e.Delta), effectPercent(e.Percent, e.Delta), rng, fmt.Sprint(e.Pairs), e.Note)
		}
		if err := et.render(w, "  "); err != nil {
			return err
		}
	}

	for _, section := range []struct {
		title string
		keep  func(c compare.Cell) bool
	}{
		{"Skipped", func(c compare.Cell) bool { return c.Status == compare.StatusSkipped }},
		{"Failed", func(c compare.Cell) bool { return c.Status == compare.StatusFailed }},
		{"Notes", func(c compare.Cell) bool { return c.Status == compare.StatusOK && (c.Reason != "" || c.Note != "") }},
	} {
		first := true
		for _, c := range r.Cells {
			if !section.keep(c) {
				continue
			}
			if first {
				fmt.Fprintf(w, "\n%s:\n", p.bold(section.title))
				first = false
			}
			fmt.Fprintf(w, "  %s (%s):\n", c.Label, c.ID)
			for _, text := range []string{c.Reason, c.Note} {
				for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
					if line != "" {
						fmt.Fprintf(w, "    %s\n", line)
					}
				}
			}
			if c.Status == compare.StatusFailed {
				fmt.Fprintf(w, "    to reproduce, in %s: %s\n", reproduceIn(r.Target), c.Command)
			}
		}
	}
	if dir := keptDir(r); dir != "" {
		fmt.Fprintf(w, "\nbinaries kept in %s\n", dir)
	}
	return nil
}

// effectPercent writes a percentage as units.Percent does: one decimal
// below 10%, whole numbers above.
func effectPercent(p float64, delta int64) string {
	if delta == 0 && p == 0 {
		return "0%"
	}
	return units.PercentText(p)
}

// keptDir is the folder of the kept binaries, "" when they were not kept.
func keptDir(r *compare.Report) string {
	for _, c := range r.Cells {
		if c.Binary != nil && c.Binary.Facts != nil && strings.ContainsAny(c.Binary.Path, `/\`) {
			return filepath.Dir(c.Binary.Path)
		}
	}
	return ""
}

// progress is compare's live line on a terminal: cells done of all, the
// cells building, and the time since the start. It is off when stderr is
// not a terminal or with --quiet, and then does nothing.
type compareProgress struct {
	w  io.Writer
	on bool

	mu       sync.Mutex
	total    int
	done     int
	building []string
	started  time.Time
	quit     chan struct{}
	wg       sync.WaitGroup
	shown    bool
}

func newCompareProgress(w io.Writer, on bool) *compareProgress { return &compareProgress{w: w, on: on} }

func (p *compareProgress) start(total int) {
	if !p.on {
		return
	}
	p.mu.Lock()
	p.total, p.started, p.quit = total, time.Now(), make(chan struct{})
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-tick.C:
				p.draw()
			}
		}
	}()
}

func (p *compareProgress) update(ev buildmatrix.Event, baseline buildmatrix.Combination) {
	if !p.on {
		return
	}
	p.mu.Lock()
	p.done = ev.Done
	p.building = p.building[:0]
	for _, c := range ev.Building {
		p.building = append(p.building, c.Label(baseline))
	}
	p.mu.Unlock()
	p.draw()
}

func (p *compareProgress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quit == nil {
		return
	}
	line := fmt.Sprintf("binscope: [%d/%d] %s", p.done, p.total, time.Since(p.started).Truncate(time.Second))
	if len(p.building) > 0 {
		line += "  building " + strings.Join(p.building, " | ")
	}
	const width = 100
	if r := []rune(line); len(r) > width {
		line = string(r[:width-1]) + "…"
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown = true
}

// stop ends the live line and clears it, so that what follows starts on
// a clean line.
func (p *compareProgress) stop() {
	if !p.on || p.quit == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	p.quit = nil
}
