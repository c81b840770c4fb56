package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"regexp"
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
	tbl := newTable("OPTIONS", ">SIZE", ">DELTA", ">%", "LINKAGE", "STRIPPED", "DEBUG INFO", "SCRATCH", "ALPINE", ">BUILD", "STATUS").fit(p.width)
	// On a narrow terminal: the flags each cell's options and build
	// imply go first, then the build time.
	tbl.short("STRIPPED", "STRIP").short("DEBUG INFO", "DEBUG").short("LINKAGE", "LINK")
	tbl.droppable("DEBUG INFO", "STRIPPED", "BUILD", "LINKAGE", "ALPINE")
	tbl.elideLabels("OPTIONS", 24)
	compiled := 0 // cells whose build compiled packages the cache lacked
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
		if len(c.CgoStubs) > 0 {
			// It built, but without some package's C code: see Notes.
			status += ", " + p.warn("without C")
		}
		if c.Delta != nil && *c.Delta < 0 && delta != "" {
			delta, pct = p.good(delta), p.good(pct)
		} else if c.Delta != nil && *c.Delta > 0 {
			delta, pct = p.bad(delta), p.bad(pct)
		}
		if c.Status != compare.StatusSkipped {
			build = fmt.Sprintf("%.1fs", c.BuildSeconds)
			if c.CompiledPackages > 0 && len(r.Cells) > 1 {
				build += "*"
				compiled++
			}
		}
		tbl.add(c.Label, size, delta, pct, linkage, stripped, debug, scratch, alpine, build, status)
	}
	if len(r.Cells) == 0 {
		// More shards than compile configurations leave some empty.
		fmt.Fprintln(w, "no cell of the matrix falls in this shard")
	} else if err := tbl.render(w, ""); err != nil {
		return err
	}
	if compiled > 0 && tbl.shows("BUILD") {
		// A cold build cache: the first build of each compile
		// configuration compiled what the others then reused.
		fmt.Fprintf(w, "* compiled what the build cache lacked: %s; later builds of the same platform, cgo and tags reused it, so their times are mostly linking\n", compiledSummary(r.Cells))
	}
	if r.Headline != nil {
		fmt.Fprintf(w, "\n%s\n", p.bold(r.Headline.Text))
	}

	if len(r.Effects) > 0 {
		if err := renderEffects(w, r.Effects, p); err != nil {
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
		var cells []compare.Cell
		for _, c := range r.Cells {
			if section.keep(c) {
				cells = append(cells, c)
			}
		}
		if len(cells) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", p.bold(section.title))
		// Cells with the same words share them: the reason a C
		// compiler is missing is one reason, however many cells it
		// skips. A failed cell has its own command to reproduce it.
		for _, group := range groupByText(cells, section.title != "Failed") {
			for i, c := range group {
				end := ":"
				if i < len(group)-1 {
					end = ","
				}
				fmt.Fprintf(w, "  %s (%s)%s\n", c.Label, c.ID, end)
			}
			c := group[0]
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

// renderEffects writes the option effects: one row an option, or, when
// the matrix has several platforms, one row an option and platform, so
// that an option's effect on Linux is not pooled with its absence on
// macOS. Notes follow the table, once each.
func renderEffects(w io.Writer, effects []compare.Effect, p palette) error {
	perPlatform := slices.ContainsFunc(effects, func(e compare.Effect) bool { return len(e.ByPlatform) > 0 })
	fmt.Fprintln(w, "\nOption effects, the median change over the pairs of cells that differ only in that option:")
	cols := []string{"OPTION", "AGAINST", ">MEDIAN", ">%", ">RANGE", ">PAIRS"}
	if perPlatform {
		cols = slices.Insert(cols, 2, "PLATFORM")
	}
	et := newTable(cols...).fit(p.width)
	et.droppable("AGAINST", "RANGE", "PAIRS")
	et.elideLast("OPTION", 16, shortLabel)
	rangeOf := func(pairs int, min, max int64) string {
		// A range whose ends print alike ("-2.6M … -2.6M") says
		// nothing the median does not.
		if lo, hi := units.HumanDelta(min), units.HumanDelta(max); pairs > 1 && lo != hi {
			return lo + " … " + hi
		}
		return ""
	}
	var notes []string
	for _, e := range effects {
		if e.Note != "" {
			notes = append(notes, shortNote(e))
		}
		row := []string{e.Option, e.Against, units.HumanDelta(e.Delta), effectPercent(e.Percent, e.Delta), rangeOf(e.Pairs, e.Min, e.Max), fmt.Sprint(e.Pairs)}
		if !perPlatform {
			et.add(row...)
			continue
		}
		if len(e.ByPlatform) == 0 {
			// A platform's own effect, or an option tried on one
			// platform only.
			et.add(slices.Insert(row, 2, "")...)
			continue
		}
		for i, pe := range e.ByPlatform {
			option, against := e.Option, e.Against
			if i > 0 {
				option, against = "", ""
			}
			et.add(option, against, pe.Platform, units.HumanDelta(pe.Delta), effectPercent(pe.Percent, pe.Delta), rangeOf(pe.Pairs, pe.Min, pe.Max), fmt.Sprint(pe.Pairs))
		}
	}
	if err := et.render(w, "  "); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
	return nil
}

// shortNote is an effect's note led by its option.
func shortNote(e compare.Effect) string { return e.Option + ": " + e.Note }

// groupByText puts cells with the same reason and note together, in the
// order of their first cell; with share false every cell is its own group.
func groupByText(cells []compare.Cell, share bool) [][]compare.Cell {
	var groups [][]compare.Cell
	at := map[string]int{}
	for _, c := range cells {
		key := c.Reason + "\x00" + c.Note
		if i, ok := at[key]; ok && share {
			groups[i] = append(groups[i], c)
			continue
		}
		at[key] = len(groups)
		groups = append(groups, []compare.Cell{c})
	}
	return groups
}

// shortLabel is a cell's options in fewer columns, for a table that must
// fit a narrow terminal: CGO=0 for CGO_ENABLED=0, darwin/arm64 for
// GOOS=darwin GOARCH=arm64, -s -w for -ldflags="-s -w".
func shortLabel(label string) string {
	label = platformWords.ReplaceAllString(label, "$1/$2")
	label = strings.NewReplacer("CGO_ENABLED=", "CGO=", `-ldflags="-s -w"`, "-s -w", "GOOS=", "", "GOARCH=", "").Replace(label)
	return label
}

var platformWords = regexp.MustCompile(`GOOS=(\S+) GOARCH=(\S+)`)

// compiledSummary says which cells compiled how many packages, and for
// how long before they linked: "go build 194 packages in 17.9s,
// CGO_ENABLED=0 11 packages in 5.3s".
func compiledSummary(cells []compare.Cell) string {
	var parts []string
	for _, c := range cells {
		if c.CompiledPackages == 0 || c.Status == compare.StatusSkipped {
			continue
		}
		part := c.Label + " " + plural(c.CompiledPackages, "package")
		if c.LinkSeconds != nil {
			part += fmt.Sprintf(" in %.1fs", max(c.BuildSeconds-*c.LinkSeconds, 0))
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
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
	w      io.Writer
	on     bool
	getenv func(string) string

	mu       sync.Mutex
	total    int
	done     int
	building []string
	started  time.Time
	quit     chan struct{}
	wg       sync.WaitGroup
	shown    bool
}

// newCompareProgress makes the live line, fitted to the width of the
// terminal w is ($COLUMNS, from getenv, first), asked at each redraw so
// that a resized window gets lines that fit it.
func newCompareProgress(w io.Writer, on bool, getenv func(string) string) *compareProgress {
	return &compareProgress{w: w, on: on, getenv: getenv}
}

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
	building := line
	if len(p.building) > 0 {
		building += "  building " + strings.Join(p.building, " | ")
	}
	// One column short of the width: a line that fills the last column
	// leaves some terminals' cursor on the next line, and the next \r
	// would then not return to this one.
	width := screenColumns(p.w, p.getenv) - 1
	if visibleWidth(building) > width && len(p.building) > 0 {
		short := make([]string, len(p.building))
		for i, b := range p.building {
			short[i] = shortLabel(b)
		}
		building = line + "  building " + strings.Join(short, " | ")
	}
	line = building
	if visibleWidth(line) > width {
		line = cutColumns(line, width-1) + "…"
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

// renderCompareList writes the cells compare --list would build: each
// one's label and id, then the command that builds it.
func renderCompareList(w io.Writer, r *compare.Report) error {
	from := ""
	if r.Matrix.GoReleaser != "" {
		from = " from " + r.Matrix.GoReleaser
	}
	fmt.Fprintf(w, "%s: %d cells%s, none built (--list)\n", cmp.Or(r.Target.Package, r.Target.Dir), len(r.Planned), from)
	for _, c := range r.Planned {
		base := ""
		if c.ID == r.Baseline {
			base = " (baseline)"
		}
		fmt.Fprintf(w, "\n%s%s\n  %s\n  %s\n", c.Label, base, c.ID, c.Command)
		if c.Skip != "" {
			fmt.Fprintf(w, "  skipped: %s\n", c.Skip)
		}
	}
	return nil
}
