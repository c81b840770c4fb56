package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
)

// Request is one matrix run: the program to build, the axes of the
// matrix (an empty axis takes its default) and how to build.
type Request struct {
	// Target is the program to build, as go build and go install take a
	// package: a folder (./cmd/pomo; also testdata/pomo, a relative path
	// without ./, when such a folder exists), an import path, a pattern
	// with ... that matches one main package, or pkg@version, built in a
	// temporary module as go install pkg@version builds it.
	Target string
	// From is the folder Target is resolved in: a relative folder is
	// relative to it, an import path or pattern is looked up in its
	// module. "" is the working folder.
	From string

	CGO       []bool                 // default: the toolchain's CGO_ENABLED, then the other
	Platforms []buildmatrix.Platform // default: the target platform of go env
	Strip     []bool
	// TagSets are the tag sets to build with when TagsGiven; otherwise
	// no tags plus one set per custom tag of the program's module.
	TagSets   [][]string
	TagsGiven bool
	Exclude   []buildmatrix.Selector
	CC        map[buildmatrix.Platform]string // the C compiler of a platform's cgo cells
	Settings  buildmatrix.Settings

	// MatrixOnly builds the matrix's cells alone; otherwise the plain go
	// build (the baseline) is added when the matrix lacks it.
	MatrixOnly bool
	// ListOnly builds nothing: the report lists the cells the run would
	// build, each with its command, in Planned, and has no Cells.
	ListOnly bool
	// Shard, when set, builds only its slice of the cells.
	Shard *buildmatrix.Shard
	// Vet, when set, sees every cell of the matrix (all shards) before
	// anything is built; an error it returns stops the run and is
	// returned as it is.
	Vet func(cells []buildmatrix.Combination) error

	Keep string // keep the binaries in this folder; "" removes them
	Jobs int    // at most this many go builds at a time

	// GoReleaser, when set, gives the cells in place of the axes (CGO,
	// Platforms, Strip and TagSets are then ignored; Exclude applies).
	GoReleaser *GoReleaserRequest

	// Graph, when set, links the cell with binscope's graph linker and
	// writes the linker's reachability graph to Graph.File (binscope
	// why). The request must then be of one cell.
	Graph *GraphRequest
}

// GraphRequest asks for the linker's reachability graph of a one-cell run.
type GraphRequest struct {
	// CacheDir holds the graph linker, built once per toolchain
	// (buildmatrix.GraphLinker).
	CacheDir string
	File     string // where the graph goes

	// Deps is filled by Run: go list -deps of the cell, as it built.
	Deps *buildmatrix.PackageDeps
}

// EventKind says what an Event reports.
type EventKind int

// The kinds of Event, in the order a run sends them.
const (
	EventWarning EventKind = iota // something about the request that is odd but not wrong
	EventStart                    // the builds begin: Total cells
	EventBuild                    // a cell started or ended building
	// EventGraphLinker: the graph linker (Request.Graph) is being built,
	// which happens once per toolchain and takes some seconds.
	EventGraphLinker
)

// WarningKind names a Warning.
type WarningKind int

// The warnings a run can give.
const (
	WarnExcludeUnmatched WarningKind = iota // Request.Exclude[Exclude] matches no cell
	WarnCCUnused                            // Request.CC names Platform, which no cell builds for
	// WarnUnknownTag: Request.TagSets hold Tag, which no build constraint
	// of Package or its dependencies names, so that it changes nothing;
	// Known are the program's own custom tags.
	WarnUnknownTag
)

// Warning is a part of the request that does nothing.
type Warning struct {
	Kind     WarningKind
	Exclude  int // the index into Request.Exclude
	Platform buildmatrix.Platform
	Tag      string   // WarnUnknownTag
	Package  string   // WarnUnknownTag: the target's import path
	Known    []string // WarnUnknownTag: the custom tags of the target's module
}

// Event is a run's progress.
type Event struct {
	Kind     EventKind
	Warning  Warning
	Total    int                     // EventStart: the cells to build
	Build    buildmatrix.Event       // EventBuild
	Baseline buildmatrix.Combination // the plain go build, for labels
}

// goCmd is the go command the pipeline runs: the one on PATH.
const goCmd = "go"

// TargetPackage returns the import path of the main package that a
// Request of target and from would build. For pkg@version it is pkg,
// without making the module (nothing is downloaded); a pattern with a
// version cannot be told without it, and is an error.
func TargetPackage(ctx context.Context, target, from string, env []string) (string, error) {
	loc, err := locate(target, from)
	if err != nil {
		return "", err
	}
	if loc.query != "" {
		if strings.Contains(loc.pkg, "...") {
			return "", fmt.Errorf("%s: a pattern's package is known only once its module is fetched", target)
		}
		return loc.pkg, nil
	}
	t, err := loc.load(ctx, env)
	if err != nil {
		return "", err
	}
	return t.ImportPath, nil
}

// Run builds the matrix req describes with env as the go command's
// environment and returns the compare report: one cell per build, each
// binary opened and attributed as soon as it is built, while the next
// builds run. progress, when not nil, is called (never concurrently) as
// the run goes; it must not block.
func Run(ctx context.Context, req Request, env []string, progress func(Event)) (*compare.Report, error) {
	if progress == nil {
		progress = func(Event) {}
	}
	start := time.Now()
	loc, err := locate(req.Target, req.From)
	if err != nil {
		return nil, err
	}
	if err := buildmatrix.LookPath(goCmd); err != nil {
		return nil, &Error{Err: fmt.Errorf("%w (%v)", ErrNoGo, err)}
	}
	if loc.query != "" {
		// pkg@version: a module of its own, as go install makes, removed
		// when the run ends, interrupted or not.
		parent := getenv(env, "GOTMPDIR")
		if parent == "" {
			parent = tempDir(env)
		}
		m, err := buildmatrix.NewTempModule(ctx, goCmd, parent, loc.query, env)
		if err != nil {
			if ctx.Err() != nil {
				return nil, &Error{Err: ErrInterrupted}
			}
			return nil, &Error{Dir: loc.arg, Err: err}
		}
		defer m.Remove()
		loc.dir, env = m.Dir, m.Env
	}
	goenv, err := buildmatrix.ReadGoEnv(ctx, goCmd, loc.dir, env)
	if err != nil {
		return nil, &Error{Dir: loc.shown(), Err: err}
	}
	if len(req.Platforms) > 0 {
		// A misspelt platform is one error rather than a column of
		// failed builds; when the toolchain cannot list its platforms,
		// the builds will say what is wrong.
		if known, err := buildmatrix.Platforms(ctx, goCmd, loc.dir, env); err == nil {
			for _, p := range req.Platforms {
				if !slices.Contains(known, p) {
					return nil, &RequestError{Field: FieldPlatforms, Value: p.String(),
						Err: fmt.Errorf("%s does not build for it (go tool dist list names the platforms it does)", goenv.Version())}
				}
			}
		}
	}
	for p, cc := range req.CC {
		words := strings.Fields(cc)
		if len(words) == 0 {
			return nil, &RequestError{Field: FieldCC, Value: p.String() + "=" + cc, Err: errors.New("no compiler named")}
		}
		if err := buildmatrix.LookPath(cc); err != nil {
			return nil, &RequestError{Field: FieldCC, Value: p.String() + "=" + cc, Err: fmt.Errorf("%s is not installed", words[0])}
		}
	}
	baseline := buildmatrix.Combination{CGO: goenv.CGOEnabled(), GOOS: goenv.Target().GOOS, GOARCH: goenv.Target().GOARCH}
	target, err := loc.load(ctx, env)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &Error{Err: ErrInterrupted}
		}
		return nil, err
	}

	axes := buildmatrix.Axes{CGO: req.CGO, Platforms: req.Platforms, Strip: req.Strip, TagSets: req.TagSets}
	if len(axes.CGO) == 0 {
		axes.CGO = []bool{baseline.CGO, !baseline.CGO}
		if req.Graph != nil {
			axes.CGO = axes.CGO[:1] // one build: the environment's
		}
	}
	if len(axes.Platforms) == 0 {
		axes.Platforms = []buildmatrix.Platform{goenv.Target()}
	}
	if !req.TagsGiven {
		axes.TagSets = [][]string{{}}
		for _, t := range target.Tags {
			axes.TagSets = append(axes.TagSets, []string{t.Tag})
		}
	}
	axes.TagSets = slices.Clone(axes.TagSets)
	for i, t := range axes.TagSets {
		if t == nil {
			axes.TagSets[i] = []string{}
		}
	}
	var cells []buildmatrix.Combination
	if req.GoReleaser != nil {
		all, err := goreleaserCells(req.GoReleaser, goenv, env)
		if err != nil {
			return nil, &RequestError{Field: FieldMatrix, Err: err}
		}
		// A platform the toolchain does not build for is the config's
		// given, not a typo: its cells are skipped, saying why.
		skipUnbuildable(ctx, loc.dir, env, goenv, all)
		for i, sel := range req.Exclude {
			if !slices.ContainsFunc(all, sel.Match) {
				progress(Event{Kind: EventWarning, Warning: Warning{Kind: WarnExcludeUnmatched, Exclude: i}, Baseline: baseline})
			}
		}
		cells = slices.DeleteFunc(slices.Clone(all), func(c buildmatrix.Combination) bool { return excludedBy(c, req.Exclude) })
		if len(cells) == 0 {
			return nil, &RequestError{Field: FieldExclude, Err: buildmatrix.ErrAllExcluded}
		}
		axes = axesOf(cells)
	} else {
		cells, err = buildmatrix.Expand(axes, req.Exclude)
		switch {
		case errors.Is(err, buildmatrix.ErrAllExcluded):
			return nil, &RequestError{Field: FieldExclude, Err: err}
		case err != nil:
			return nil, &RequestError{Field: FieldMatrix, Err: err}
		}
		for _, i := range buildmatrix.Unmatched(axes, req.Exclude) {
			progress(Event{Kind: EventWarning, Warning: Warning{Kind: WarnExcludeUnmatched, Exclude: i}, Baseline: baseline})
		}
	}
	for p := range req.CC {
		if !slices.Contains(axes.Platforms, p) {
			progress(Event{Kind: EventWarning, Warning: Warning{Kind: WarnCCUnused, Platform: p}, Baseline: baseline})
		}
	}
	if req.TagsGiven {
		// A tag that no constraint names builds silently what the plain
		// build builds: most likely a misspelt one.
		var asked []string
		for _, set := range axes.TagSets {
			asked = append(asked, set...)
		}
		unknown, err := target.UnknownTags(ctx, goCmd, env, asked, axes.Platforms)
		if err != nil {
			return nil, &Error{Err: ErrInterrupted}
		}
		known := []string{}
		for _, u := range target.Tags {
			known = append(known, u.Tag)
		}
		for _, tag := range unknown {
			progress(Event{Kind: EventWarning, Warning: Warning{Kind: WarnUnknownTag, Tag: tag, Package: target.ImportPath, Known: known}, Baseline: baseline})
		}
	}
	if !req.MatrixOnly && !slices.ContainsFunc(cells, baseline.Equal) {
		cells = append([]buildmatrix.Combination{baseline}, cells...)
	}
	if req.Graph != nil && len(cells) != 1 {
		return nil, &RequestError{Field: FieldMatrix, Err: fmt.Errorf("the options select %d builds where one is needed", len(cells))}
	}
	all := cells
	if req.Shard != nil {
		cells = req.Shard.Select(cells)
	}
	if req.Vet != nil {
		if err := req.Vet(all); err != nil {
			return nil, err
		}
	}

	tmpBase := goenv.Get("GOTMPDIR")
	if tmpBase == "" {
		tmpBase = tempDir(env)
	}
	tmp, err := os.MkdirTemp(tmpBase, "binscope-compare-")
	if err != nil {
		return nil, &Error{Err: err}
	}
	defer os.RemoveAll(tmp)
	work := filepath.Join(tmp, "work")
	outDir := filepath.Join(tmp, "bin")
	for _, d := range []string{work, outDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, &Error{Err: err}
		}
	}
	if req.Keep != "" {
		if err := os.MkdirAll(req.Keep, 0o755); err != nil {
			return nil, &RequestError{Field: FieldKeep, Value: req.Keep, Err: unwrapPath(err)}
		}
		// go build runs in the target's folder: -o must not be relative.
		if outDir, err = filepath.Abs(req.Keep); err != nil {
			return nil, &RequestError{Field: FieldKeep, Value: req.Keep, Err: err}
		}
	}
	absDir, err := filepath.Abs(loc.dir)
	if err != nil {
		return nil, &Error{Dir: loc.shown(), Err: err}
	}
	cc := map[buildmatrix.Platform]string{}
	for p, c := range req.CC {
		cc[p] = c
	}
	plan := &buildmatrix.Plan{
		GoCmd:    goCmd,
		Dir:      absDir,
		Package:  target.Package,
		Env:      env,
		Binary:   target.BinaryName,
		Main:     target.ImportPath,
		GoEnv:    goenv,
		Settings: req.Settings,
		CC:       cc,
		OutDir:   outDir,
		TempDir:  work,
		Jobs:     req.Jobs,
	}
	if req.Graph != nil {
		lenv := env
		if !slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "GOTOOLCHAIN=") }) && goenv.Changed["GOTOOLCHAIN"] == "" {
			lenv = append(slices.Clip(env), "GOTOOLCHAIN=local") // as the builds run
		}
		if !buildmatrix.HaveGraphLinker(goenv, req.Graph.CacheDir) {
			progress(Event{Kind: EventGraphLinker, Baseline: baseline})
		}
		linker, err := buildmatrix.GraphLinker(ctx, goenv, lenv, req.Graph.CacheDir)
		if err != nil {
			if ctx.Err() != nil {
				return nil, &Error{Err: ErrInterrupted}
			}
			return nil, &Error{Err: err}
		}
		plan.Toolexec, plan.ToolexecEnv = linker, buildmatrix.GraphEnv(req.Graph.File)
		plan.NoStubs = true // why reports no stubs; go list -deps comes after the build
	}

	reportDir := loc.reportDir()
	if req.GoReleaser != nil && loc.folder {
		// The commands run where GoReleaser runs, in the config's folder:
		// the baseline builds the target's package from there too, so
		// that no cell's command needs a cd.
		if gdir, err := filepath.Abs(req.GoReleaser.Dir); err == nil {
			if rel, err := filepath.Rel(gdir, absDir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				plan.Dir, plan.Package = gdir, mainPackage(rel)
				reportDir = filepath.ToSlash(filepath.Clean(req.GoReleaser.Dir))
			}
		}
	}
	report := &compare.Report{
		SchemaVersion: analyze.SchemaVersion,
		Target: compare.Target{
			Dir:       reportDir,
			Module:    target.Module,
			Package:   target.ImportPath,
			Version:   target.Version,
			GoVersion: goenv.Version(),
			Host:      goenv.Host().String(),
			Binary:    target.BinaryName,
			Tags:      target.Tags,
			Inherited: inheritedSettings(goenv),
		},
		Baseline: baseline.String(),
		Matrix:   matrixOf(axes, req, all),
		Shard:    req.Shard,
		Cells:    []compare.Cell{},
	}
	if report.Target.Tags == nil {
		report.Target.Tags = []buildmatrix.TagUse{}
	}
	index := map[string]int{}
	for i, c := range all {
		index[c.String()] = i
	}

	// Each binary is inspected as soon as it is built, while the next
	// builds run, by at most GOMAXPROCS analyses at a time.
	analyzed := make([]compare.Cell, len(cells))
	an := newAnalyzer(runtime.GOMAXPROCS(0), func(i int, r buildmatrix.Result) {
		analyzed[i] = analyzeCell(r, baseline, goenv.Version(), req.Keep, req.Graph == nil)
	})
	if req.ListOnly {
		report.Planned = []compare.PlannedCell{}
		for _, c := range cells {
			pc := compare.PlannedCell{ID: c.String(), Options: compare.OptionsOf(c), Label: c.Label(baseline), Command: plan.CommandLine(c)}
			if c.Spec != nil {
				pc.Skip = c.Spec.Skip
			}
			report.Planned = append(report.Planned, pc)
		}
		return report, nil
	}
	progress(Event{Kind: EventStart, Total: len(cells), Baseline: baseline})
	results, err := plan.Run(ctx, cells, func(ev buildmatrix.Event) {
		progress(Event{Kind: EventBuild, Build: ev, Baseline: baseline})
		if ev.Result != nil {
			an.add(ev.Index, *ev.Result)
		}
	})
	an.wait()
	if err != nil {
		return nil, &Error{Err: ErrInterrupted}
	}
	if req.Graph != nil && results[0].Status == buildmatrix.StatusOK {
		deps, err := plan.Deps(ctx, cells[0])
		if err != nil {
			if ctx.Err() != nil {
				return nil, &Error{Err: ErrInterrupted}
			}
			return nil, &Error{Err: err}
		}
		req.Graph.Deps = deps
	}
	for i, c := range analyzed {
		c.Index = index[c.ID]
		if s := results[i].Started; !s.IsZero() {
			c.StartSeconds = roundSeconds(s.Sub(start))
		}
		report.Cells = append(report.Cells, c)
	}
	report.Summarize()
	report.Timing = &compare.Timing{
		WallSeconds: time.Since(start).Seconds(),
		BusySeconds: buildmatrix.BusyTime(results).Seconds(),
		Jobs:        req.Jobs,
	}
	return report, nil
}

// ErrNotDir is the RequestError of a target that is a file.
var ErrNotDir = errors.New("not a directory")

// analyzer runs the analysis of each built cell on a fixed pool of at
// most limit goroutines, started as work arrives. add never blocks, so
// that it may be called from buildmatrix's event callback: it queues the
// result for the next free worker.
type analyzer struct {
	limit int
	fn    func(int, buildmatrix.Result)

	mu      sync.Mutex
	queue   []job
	workers int
	wg      sync.WaitGroup
}

type job struct {
	i int
	r buildmatrix.Result
}

func newAnalyzer(limit int, fn func(int, buildmatrix.Result)) *analyzer {
	return &analyzer{limit: max(limit, 1), fn: fn}
}

func (a *analyzer) add(i int, r buildmatrix.Result) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.queue = append(a.queue, job{i, r})
	if a.workers < a.limit {
		a.workers++
		a.wg.Add(1)
		go a.work()
	}
}

// work analyzes queued results until the queue is empty.
func (a *analyzer) work() {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		if len(a.queue) == 0 {
			a.workers--
			a.mu.Unlock()
			return
		}
		j := a.queue[0]
		a.queue = a.queue[1:]
		a.mu.Unlock()
		a.fn(j.i, j.r)
	}
}

func (a *analyzer) wait() { a.wg.Wait() }

// goroutines is how many workers run now, for the test of the bound.
func (a *analyzer) goroutines() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.workers
}

// analyzeCell turns a build result into a report cell: the binary's facts
// from elfinfo and, where size attribution is available, its packages and
// modules.
//
// Without attribute, the cell has no package view (BuildGraph makes it
// while it reads the graph).
func analyzeCell(r buildmatrix.Result, baseline buildmatrix.Combination, goVersion, keep string, attribute bool) compare.Cell {
	c := compare.Cell{
		ID:               r.Combination.String(),
		Options:          compare.OptionsOf(r.Combination),
		Command:          r.Command,
		Status:           compare.Status(r.Status),
		Reason:           r.Reason,
		BuildSeconds:     roundSeconds(r.Duration),
		CompiledPackages: r.Compiled,
		Env:              r.Env,
		Args:             r.Args,
		GoVersion:        goVersion,
		Label:            r.Combination.Label(baseline),
	}
	if c.Options.Tags == nil {
		c.Options.Tags = []string{}
	}
	if r.Linking >= 0 && r.Status == buildmatrix.StatusOK {
		link := roundSeconds(r.Duration - r.Linking)
		c.LinkSeconds = &link
	}
	if len(r.CgoStubs) > 0 {
		c.CgoStubs = r.CgoStubs
		c.Note = analyze.CgoStubNote(r.CgoStubs)
	}
	if r.CgoFree {
		c.CgoUnused = true
		c.Note = "built without a C compiler: no package of this build uses cgo"
	}
	if r.Status != buildmatrix.StatusOK {
		return c
	}
	f, err := elfinfo.Open(r.Path)
	if err != nil {
		c.Status = compare.StatusFailed
		c.Reason = fmt.Sprintf("the build succeeded but its binary cannot be read: %v", err)
		return c
	}
	defer f.Close()
	b := analyze.NewBinary(f)
	// The path as the user named the folder; without Keep only the
	// name, since the temporary folder is removed.
	b.Path = filepath.Base(r.Path)
	if keep != "" {
		b.Path = filepath.Join(keep, b.Path)
	}
	c.Binary = &b
	c.Size = f.Size
	if !attribute {
		return c
	}
	sr, err := analyze.Size(f)
	switch {
	case err == nil && sr != nil:
		c.Packages, c.Modules = sr.Packages, sr.Modules
	case err != nil:
		c.Reason = fmt.Sprintf("size attribution: %v", err)
	}
	return c
}

func roundSeconds(d time.Duration) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(d.Seconds(), 'f', 3, 64), 64)
	return v
}

// inheritedNoise are go settings that say where things live or how
// modules are fetched: they differ from machine to machine without
// changing a binary.
var inheritedNoise = []string{
	"GOCACHE", "GOMODCACHE", "GOPATH", "GOENV", "GOROOT", "GOTMPDIR", "GOBIN", "GOCACHEPROG",
	"GOPROXY", "GOSUMDB", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOINSECURE", "GOVCS", "GOAUTH",
	"GOTELEMETRY", "GOTELEMETRYDIR", "GOTOOLCHAIN",
}

func inheritedSettings(e buildmatrix.GoEnv) map[string]string {
	m := e.Inherited()
	for _, k := range inheritedNoise {
		delete(m, k)
	}
	return m
}

func matrixOf(axes buildmatrix.Axes, req Request, all []buildmatrix.Combination) compare.Matrix {
	m := compare.Matrix{Axes: axes, Exclude: []string{}, Settings: req.Settings, CC: map[string]string{}}
	if req.GoReleaser != nil {
		m.GoReleaser = req.GoReleaser.Config.File
	}
	for _, sel := range req.Exclude {
		m.Exclude = append(m.Exclude, sel.String())
	}
	for p, cc := range req.CC {
		m.CC[p.String()] = cc
	}
	for _, c := range all {
		m.Cells = append(m.Cells, c.String())
	}
	return m
}

// excludedBy reports whether any of exclude selects c.
func excludedBy(c buildmatrix.Combination, exclude []buildmatrix.Selector) bool {
	return slices.ContainsFunc(exclude, func(sel buildmatrix.Selector) bool { return sel.Match(c) })
}

// axesOf lists the values each axis takes in cells, for a report of a
// matrix given as cells.
func axesOf(cells []buildmatrix.Combination) buildmatrix.Axes {
	var a buildmatrix.Axes
	for _, c := range cells {
		if !slices.Contains(a.CGO, c.CGO) {
			a.CGO = append(a.CGO, c.CGO)
		}
		if !slices.Contains(a.Platforms, c.Platform()) {
			a.Platforms = append(a.Platforms, c.Platform())
		}
		if !slices.Contains(a.Strip, c.Strip) {
			a.Strip = append(a.Strip, c.Strip)
		}
		tags := buildmatrix.NormalizeTags(c.Tags)
		if tags == nil {
			tags = []string{}
		}
		if !slices.ContainsFunc(a.TagSets, func(t []string) bool { return slices.Equal(t, tags) }) {
			a.TagSets = append(a.TagSets, tags)
		}
	}
	return a
}

// skipUnbuildable marks the cells of a platform the toolchain does not
// build for (go tool dist list) as skipped, with the reason; a universal
// cell whose thin cells are is skipped too.
func skipUnbuildable(ctx context.Context, dir string, env []string, goenv buildmatrix.GoEnv, cells []buildmatrix.Combination) {
	known, err := buildmatrix.Platforms(ctx, goCmd, dir, env)
	if err != nil {
		return // the builds will say what is wrong
	}
	reason := func(c buildmatrix.Combination) string {
		if c.GOARCH == buildmatrix.Universal || slices.Contains(known, c.Platform()) {
			return ""
		}
		return fmt.Sprintf("%s does not build for %s (go tool dist list names the platforms it does), though GoReleaser's builds list it", goenv.Version(), c.Platform())
	}
	for i, c := range cells {
		why := reason(c)
		if c.Spec != nil {
			for _, t := range c.Spec.Universal {
				if r := reason(t); r != "" && why == "" {
					why = r
				}
			}
		}
		if why != "" && c.Spec != nil {
			spec := *c.Spec
			spec.Skip = why
			cells[i].Spec = &spec
		}
	}
}

// tempDir is the folder for temporary files that env names, as
// os.TempDir reads it from the process environment: TMPDIR, or TMP and
// TEMP on Windows; else the system's.
func tempDir(env []string) string {
	if runtime.GOOS == "windows" {
		for _, k := range []string{"TMP", "TEMP"} {
			if v := getenv(env, k); v != "" {
				return v
			}
		}
		return `C:\Windows\Temp`
	}
	if v := getenv(env, "TMPDIR"); v != "" {
		return v
	}
	return "/tmp"
}

// getenv returns the last value of key in env, as the process would see
// it, or "".
func getenv(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// unwrapPath drops the operation and path of a file error when the
// caller names the file itself.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
