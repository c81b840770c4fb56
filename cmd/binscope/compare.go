package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/elfinfo"
	"github.com/spf13/cobra"
)

// compareOptions are compare's flags as given.
type compareOptions struct {
	cgo           []string
	platforms     []string
	strip         string
	tags          []string
	exclude       []string
	cc            []string
	ldflags       string
	trimpath      bool
	buildmode     string
	keep          string
	jobs          int
	shard         string
	allowFailures bool
	quiet         bool

	// changed reports whether a flag was given; nil means none was.
	changed func(name string) bool
}

func newCompareCmd(opts *globalOptions) *cobra.Command {
	co := &compareOptions{}
	cmd := &cobra.Command{
		Use:   "compare [DIR]",
		Short: "Build a program under a matrix of build options and report what each option costs or saves",
		Long: `Compare builds the main package in DIR (default ".") once per combination of
build options, inspects each binary, and reports every size against the
baseline: the plain go build, with CGO_ENABLED as the environment gives it,
no -ldflags and no -tags.

The default matrix is the target platform × CGO_ENABLED 1 and 0 × -ldflags
"" and "-s -w" × no tags plus one tag set per custom build tag found in the
//go:build lines of the program's own module (files the constraints exclude
included). Each cell is named by a canonical id such as
cgo=0,goos=linux,goarch=amd64,strip=on,tags=containers.

Every build is one go build with an explicit environment and explicit
-tags and -ldflags, sharing your build cache; GOTOOLCHAIN=local unless you
set GOTOOLCHAIN. Compile configurations are built one after another, each
starting when the one before starts to link; the link-only -s -w twins and
the other tag sets overlap with the next compile. See docs/compare.md.

A cell that fails is reported with the end of the compiler's output and
the other cells still build; the exit status is then 1 (0 with
--allow-failures). A cgo cell that needs a C compiler the machine lacks is
skipped with the reason and the fix (--cc), and does not change the exit
status.`,
		Example: `  binscope compare ./testdata/pomo
  binscope compare --platform linux/amd64,linux/arm64,windows/amd64,darwin/arm64 .
  binscope compare --cgo 0 --tags '' --tags netgo,osusergo --strip on .
  binscope compare --exclude 'cgo=1,goos=windows' --cc linux/arm64=aarch64-linux-gnu-gcc .
  binscope compare --shard 1/3 --format json -o shard1.json . && binscope merge shard*.json -o all.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("compare: want one DIR, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			co.changed = cmd.Flags().Changed
			return runCompareCmd(cmd.Context(), opts, co, cmd.Flags().Changed("tags"), dir)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&co.cgo, "cgo", nil, "CGO_ENABLED values to build with: `0,1` (default: the environment's value, then the other)")
	f.StringSliceVar(&co.platforms, "platform", nil, "GOOS/GOARCH `list`, such as linux/amd64,windows/amd64 (default: the target platform of go env)")
	f.StringVar(&co.strip, "strip", "both", "build with -ldflags=\"-s -w\": `on`, off or both")
	f.StringArrayVar(&co.tags, "tags", nil, "a tag `set` to build with, such as netgo,osusergo; repeat for more sets; '' is no tags (default: none, and each custom tag found)")
	f.StringArrayVar(&co.exclude, "exclude", nil, "leave out the cells that match a `selector` such as 'cgo=1,goos=windows' (repeatable)")
	f.StringArrayVar(&co.cc, "cc", nil, "C compiler for the cgo cells of a platform: `GOOS/GOARCH=CC`, such as linux/arm64=aarch64-linux-gnu-gcc (repeatable)")
	f.StringVar(&co.ldflags, "ldflags", "", "linker `flags` for every cell, after -s -w where it applies, such as '-X main.version=1'")
	f.BoolVar(&co.trimpath, "trimpath", false, "build every cell with -trimpath")
	f.StringVar(&co.buildmode, "buildmode", "", "build every cell with -buildmode=`MODE`: default, exe, pie or c-shared")
	f.StringVar(&co.keep, "keep", "", "keep the binaries in `DIR`, named after their cells (default: a temporary folder, always removed)")
	f.IntVar(&co.jobs, "jobs", 2, "at most `N` go builds at a time: compiles of different configurations never overlap, links overlap with them; 1 builds one after another")
	f.StringVar(&co.shard, "shard", "", "build only the K-th of N slices of the cells: `K/N`; join the reports with binscope merge")
	f.BoolVar(&co.allowFailures, "allow-failures", false, "exit 0 even when cells fail to build")
	f.BoolVarP(&co.quiet, "quiet", "q", false, "no progress line, only errors")
	return cmd
}

// compareRequest is compare's command line, checked and parsed.
type compareRequest struct {
	dir       string
	cgo       []bool
	platforms []buildmatrix.Platform
	strip     []bool
	tagSets   [][]string
	tagsGiven bool
	exclude   []buildmatrix.Selector
	cc        map[buildmatrix.Platform]string
	settings  buildmatrix.Settings
	keep      string
	jobs      int
	shard     *buildmatrix.Shard

	// beforeBuild, when set, sees every cell of the matrix (all shards)
	// before anything is built and may stop the run (check validates its
	// budgets' selectors here).
	beforeBuild func([]buildmatrix.Combination) error
	// matrixOnly builds the matrix's cells alone, without adding the
	// plain go build as the baseline (check budgets the cells a config
	// names, and nothing else).
	matrixOnly bool

	// cmd names the command in messages: compare, or check, which builds
	// through it; "" means compare.
	cmd string
	// cfg is the budget file the matrix comes from (check): errors and
	// warnings about the matrix point at its lines rather than at flags.
	// targetLine, when not 0, is the line of its target, which dir is:
	// a dir that is missing or not a main package is then a config error.
	cfg        *config.Config
	targetLine int
}

func (req *compareRequest) name() string { return cmp.Or(req.cmd, "compare") }

// configErrorf is a usage error at a line of the budget file.
func (req *compareRequest) configErrorf(line int, format string, args ...any) error {
	return &exitError{code: exitUsage, err: &config.Error{File: req.cfg.File, Line: line, Msg: fmt.Sprintf(format, args...)}}
}

// targetError reports a target folder that cannot be built: a failure
// naming the command, or, for a budget file's target, a config error at
// its line.
func (req *compareRequest) targetError(err error) error {
	if req.targetLine > 0 {
		return req.configErrorf(req.targetLine, "target %s: %v", req.cfg.Target, err)
	}
	return failure(fmt.Errorf("%s %s: %w", req.name(), req.dir, err))
}

// parse checks every flag before anything runs; each bad value is one
// usage error naming it.
func (co *compareOptions) parse(dir string, tagsGiven bool) (*compareRequest, error) {
	req := &compareRequest{dir: dir, tagsGiven: tagsGiven, keep: co.keep, jobs: co.jobs}
	for _, v := range co.cgo {
		switch strings.TrimSpace(v) {
		case "0":
			req.cgo = appendBool(req.cgo, false)
		case "1":
			req.cgo = appendBool(req.cgo, true)
		default:
			return nil, usageErrorf("invalid --cgo value %q: want 0 or 1 (or both: 0,1)", v)
		}
	}
	for _, v := range co.platforms {
		p, err := buildmatrix.ParsePlatform(v)
		if err != nil {
			return nil, usageErrorf("invalid --platform value %q: want GOOS/GOARCH, such as linux/amd64", v)
		}
		if !slices.Contains(req.platforms, p) {
			req.platforms = append(req.platforms, p)
		}
	}
	// A list flag given only empty values (--platform '') would fall
	// back to the default silently.
	for _, f := range []struct {
		name string
		n    int
	}{{"cgo", len(req.cgo)}, {"platform", len(req.platforms)}} {
		if f.n == 0 && co.changed != nil && co.changed(f.name) {
			return nil, usageErrorf("invalid --%s value \"\": want at least one value", f.name)
		}
	}
	switch co.strip {
	case "off":
		req.strip = []bool{false}
	case "on":
		req.strip = []bool{true}
	case "both":
		req.strip = []bool{false, true}
	default:
		return nil, usageErrorf("invalid --strip value %q: want on, off or both", co.strip)
	}
	for _, v := range co.tags {
		tags, err := buildmatrix.ParseTags(v)
		if err != nil {
			return nil, usageErrorf("invalid --tags value %q: %v", v, err)
		}
		if !slices.ContainsFunc(req.tagSets, func(t []string) bool { return slices.Equal(t, tags) }) {
			req.tagSets = append(req.tagSets, tags)
		}
	}
	for _, v := range co.exclude {
		sel, err := buildmatrix.ParseSelector(v)
		if err != nil {
			return nil, usageErrorf("invalid --exclude value %q: %v", v, trimSelectorPrefix(err))
		}
		req.exclude = append(req.exclude, sel)
	}
	req.cc = map[buildmatrix.Platform]string{}
	for _, v := range co.cc {
		plat, cc, ok := strings.Cut(v, "=")
		p, err := buildmatrix.ParsePlatform(plat)
		if !ok || err != nil || strings.TrimSpace(cc) == "" {
			return nil, usageErrorf("invalid --cc value %q: want GOOS/GOARCH=CC, such as linux/arm64=aarch64-linux-gnu-gcc", v)
		}
		req.cc[p] = strings.TrimSpace(cc)
	}
	req.settings = buildmatrix.Settings{LDFlags: strings.TrimSpace(co.ldflags), Trimpath: co.trimpath}
	switch co.buildmode {
	case "", "default":
	case "exe", "pie", "c-shared":
		req.settings.BuildMode = co.buildmode
	default:
		return nil, usageErrorf("invalid --buildmode value %q: compare measures executables and shared libraries; want default, exe, pie or c-shared", co.buildmode)
	}
	if co.jobs < 1 {
		return nil, usageErrorf("invalid --jobs value %d: want 1 or more", co.jobs)
	}
	if co.shard != "" {
		s, err := buildmatrix.ParseShard(co.shard)
		if err != nil {
			return nil, usageErrorf("invalid --shard value %q: want K/N with 1 ≤ K ≤ N, such as 1/4", co.shard)
		}
		req.shard = &s
	}
	return req, nil
}

func trimSelectorPrefix(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "invalid selector") {
		return s[i+2:]
	}
	return s
}

func appendBool(s []bool, v bool) []bool {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func runCompareCmd(ctx context.Context, opts *globalOptions, co *compareOptions, tagsGiven bool, dir string) error {
	if err := opts.checkFormat("text", "json"); err != nil {
		return err
	}
	req, err := co.parse(dir, tagsGiven)
	if err != nil {
		return err
	}
	progress := newCompareProgress(opts.stderr, !co.quiet && isTerminal(opts.stderr))
	report, err := runCompare(ctx, req, os.Environ(), opts.stderr, progress)
	progress.stop()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if opts.format == "json" {
		err = writeJSON(&buf, report)
	} else {
		err = renderCompareText(&buf, report, opts.palette())
	}
	if err != nil {
		return failure(err)
	}
	if err := opts.emit(&buf); err != nil {
		return err
	}
	failed := 0
	for _, c := range report.Cells {
		if c.Status == compare.StatusFailed {
			failed++
		}
	}
	if failed > 0 && !co.allowFailures {
		return failure(fmt.Errorf("compare: %d of %d cells failed to build (--allow-failures to exit 0)", failed, len(report.Cells)))
	}
	return nil
}

// runCompare builds the matrix req describes and returns its report. It
// writes warnings to stderr and progress to progress.
func runCompare(ctx context.Context, req *compareRequest, env []string, stderr io.Writer, progress *compareProgress) (*compare.Report, error) {
	start := time.Now()
	name := req.name()
	st, err := os.Stat(req.dir)
	if err != nil {
		return nil, req.targetError(unwrapPath(err))
	}
	if !st.IsDir() {
		return nil, req.targetError(fmt.Errorf("not a directory (%s takes the folder of a main package)", name))
	}
	const goCmd = "go"
	if _, err := exec.LookPath(goCmd); err != nil {
		return nil, failure(fmt.Errorf("%s: the go command is not installed (%v)", name, err))
	}
	goenv, err := buildmatrix.ReadGoEnv(ctx, goCmd, req.dir, env)
	if err != nil {
		return nil, failure(fmt.Errorf("%s %s: %w", name, req.dir, err))
	}
	if len(req.platforms) > 0 {
		if p, ok := unknownPlatform(ctx, goCmd, req.dir, env, req.platforms); ok {
			why := fmt.Sprintf("%s does not build for it (go tool dist list names the platforms it does)", goenv.Version())
			if req.cfg != nil {
				return nil, req.configErrorf(req.cfg.PlatformsLine, "platform %s: %s", p, why)
			}
			return nil, usageErrorf("invalid --platform value %q: %s", p, why)
		}
	}
	for p, cc := range req.cc {
		if _, err := exec.LookPath(strings.Fields(cc)[0]); err != nil {
			return nil, usageErrorf("invalid --cc value %s=%s: %s is not installed", p, cc, strings.Fields(cc)[0])
		}
	}
	baseline := buildmatrix.Combination{CGO: goenv.CGOEnabled(), GOOS: goenv.Target().GOOS, GOARCH: goenv.Target().GOARCH}
	target, err := buildmatrix.LoadTarget(ctx, goCmd, req.dir, env)
	if err != nil {
		if ctx.Err() != nil {
			return nil, failure(fmt.Errorf("%s: interrupted; no report written", name))
		}
		if errors.Is(err, buildmatrix.ErrNotMain) {
			return nil, req.targetError(err)
		}
		return nil, failure(fmt.Errorf("%s %s: %w", name, req.dir, err))
	}

	axes := buildmatrix.Axes{CGO: req.cgo, Platforms: req.platforms, Strip: req.strip, TagSets: req.tagSets}
	if len(axes.CGO) == 0 {
		axes.CGO = []bool{baseline.CGO, !baseline.CGO}
	}
	if len(axes.Platforms) == 0 {
		axes.Platforms = []buildmatrix.Platform{goenv.Target()}
	}
	if !req.tagsGiven {
		axes.TagSets = [][]string{{}}
		for _, t := range target.Tags {
			axes.TagSets = append(axes.TagSets, []string{t.Tag})
		}
	}
	for i, t := range axes.TagSets {
		if t == nil {
			axes.TagSets[i] = []string{}
		}
	}
	cells, err := buildmatrix.Expand(axes, req.exclude)
	switch {
	case errors.Is(err, buildmatrix.ErrAllExcluded) && req.cfg != nil:
		return nil, req.configErrorf(req.cfg.ExcludeLines[0], "the exclude list removes every cell of the matrix")
	case errors.Is(err, buildmatrix.ErrAllExcluded):
		return nil, usageErrorf("%s: the --exclude values remove every cell of the matrix", name)
	case err != nil:
		return nil, usageErrorf("%s: %v", name, err)
	}
	for _, i := range buildmatrix.Unmatched(axes, req.exclude) {
		if req.cfg != nil {
			fmt.Fprintf(stderr, "binscope: warning: %s:%d: exclude {%s} matches no cell\n", req.cfg.File, req.cfg.ExcludeLines[i], req.exclude[i])
		} else {
			fmt.Fprintf(stderr, "binscope: warning: --exclude %s matches no cell\n", req.exclude[i])
		}
	}
	for p := range req.cc {
		if !slices.Contains(axes.Platforms, p) {
			fmt.Fprintf(stderr, "binscope: warning: --cc %s: no cell builds for that platform\n", p)
		}
	}
	if !req.matrixOnly && !slices.ContainsFunc(cells, baseline.Equal) {
		cells = append([]buildmatrix.Combination{baseline}, cells...)
	}
	all := cells
	if req.shard != nil {
		cells = req.shard.Select(cells)
	}
	if req.beforeBuild != nil {
		if err := req.beforeBuild(all); err != nil {
			return nil, err
		}
	}

	tmpBase := goenv.Get("GOTMPDIR")
	if tmpBase == "" {
		tmpBase = os.TempDir()
	}
	tmp, err := os.MkdirTemp(tmpBase, "binscope-compare-")
	if err != nil {
		return nil, failure(fmt.Errorf("%s: %w", name, err))
	}
	defer os.RemoveAll(tmp)
	work := filepath.Join(tmp, "work")
	outDir := filepath.Join(tmp, "bin")
	for _, d := range []string{work, outDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, failure(fmt.Errorf("%s: %w", name, err))
		}
	}
	if req.keep != "" {
		if err := os.MkdirAll(req.keep, 0o755); err != nil {
			return nil, failure(fmt.Errorf("compare: --keep %s: %w", req.keep, unwrapPath(err)))
		}
		// go build runs in the target's folder: -o must not be relative.
		if outDir, err = filepath.Abs(req.keep); err != nil {
			return nil, failure(fmt.Errorf("compare: --keep %s: %w", req.keep, err))
		}
	}
	absDir, err := filepath.Abs(req.dir)
	if err != nil {
		return nil, failure(fmt.Errorf("%s %s: %w", name, req.dir, err))
	}
	cc := map[buildmatrix.Platform]string{}
	for p, c := range req.cc {
		cc[p] = c
	}
	plan := &buildmatrix.Plan{
		GoCmd:    goCmd,
		Dir:      absDir,
		Env:      env,
		Binary:   target.BinaryName,
		GoEnv:    goenv,
		Settings: req.settings,
		CC:       cc,
		OutDir:   outDir,
		TempDir:  work,
		Jobs:     req.jobs,
	}

	report := &compare.Report{
		SchemaVersion: analyze.SchemaVersion,
		Target: compare.Target{
			Dir:       filepath.ToSlash(filepath.Clean(req.dir)),
			Module:    target.Module,
			Package:   target.ImportPath,
			GoVersion: goenv.Version(),
			Host:      goenv.Host().String(),
			Binary:    target.BinaryName,
			Tags:      target.Tags,
			Inherited: inheritedSettings(goenv),
		},
		Baseline: baseline.String(),
		Matrix:   matrixOf(axes, req, all),
		Shard:    req.shard,
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
	// builds run.
	analyzed := make([]compare.Cell, len(cells))
	var wg sync.WaitGroup
	progress.start(len(cells))
	results, err := plan.Run(ctx, cells, func(ev buildmatrix.Event) {
		progress.update(ev, baseline)
		if ev.Result == nil {
			return
		}
		r := *ev.Result
		wg.Add(1)
		go func() {
			defer wg.Done()
			analyzed[ev.Index] = analyzeCell(r, baseline, goenv.Version(), req.keep)
		}()
	})
	wg.Wait()
	if err != nil {
		return nil, failure(fmt.Errorf("%s: interrupted; no report written", name))
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
		Jobs:        req.jobs,
	}
	return report, nil
}

// analyzeCell turns a build result into a report cell: the binary's facts
// from elfinfo and, where size attribution is available, its packages and
// modules.
func analyzeCell(r buildmatrix.Result, baseline buildmatrix.Combination, goVersion, keep string) compare.Cell {
	c := compare.Cell{
		ID:           r.Combination.String(),
		Options:      r.Combination,
		Command:      r.Command,
		Status:       r.Status,
		Reason:       r.Reason,
		BuildSeconds: roundSeconds(r.Duration),
		Env:          r.Env,
		Args:         r.Args,
		GoVersion:    goVersion,
		Label:        r.Combination.Label(baseline),
	}
	if c.Options.Tags == nil {
		c.Options.Tags = []string{}
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
	// The path as the user named the folder; without --keep only the
	// name, since the temporary folder is removed.
	b.Path = filepath.Base(r.Path)
	if keep != "" {
		b.Path = filepath.Join(keep, b.Path)
	}
	c.Binary = &b
	c.Size = f.Size
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

func matrixOf(axes buildmatrix.Axes, req *compareRequest, all []buildmatrix.Combination) compare.Matrix {
	m := compare.Matrix{Axes: axes, Exclude: []string{}, Settings: req.settings, CC: map[string]string{}}
	for _, sel := range req.exclude {
		m.Exclude = append(m.Exclude, sel.String())
	}
	for p, cc := range req.cc {
		m.CC[p.String()] = cc
	}
	for _, c := range all {
		m.Cells = append(m.Cells, c.String())
	}
	return m
}

// unknownPlatform asks the toolchain which platforms it can build for and
// returns the first of want it cannot, so that a misspelt platform is one
// usage error rather than a column of failed builds.
func unknownPlatform(ctx context.Context, goCmd, dir string, env []string, want []buildmatrix.Platform) (buildmatrix.Platform, bool) {
	cmd := exec.CommandContext(ctx, goCmd, "tool", "dist", "list")
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return buildmatrix.Platform{}, false // the builds will say what is wrong
	}
	known := strings.Fields(string(out))
	for _, p := range want {
		if !slices.Contains(known, p.String()) {
			return p, true
		}
	}
	return buildmatrix.Platform{}, false
}
