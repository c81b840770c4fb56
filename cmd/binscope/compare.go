package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/pipeline"
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
	goreleaser    string
	list          bool

	// changed reports whether a flag was given; nil means none was.
	changed func(name string) bool
}

func newCompareCmd(opts *globalOptions) *cobra.Command {
	co := &compareOptions{}
	formats := compareFormats(opts)
	cmd := &cobra.Command{
		Use:   "compare [TARGET]",
		Short: "Build a program under a matrix of build options and report what each option costs or saves",
		Long: `Compare builds a main package once per combination of build options,
inspects each binary, and reports every size against the baseline: the
plain go build, with CGO_ENABLED as the environment gives it, no -ldflags
and no -tags.

TARGET is a package as go build and go install take it (default "."): a
folder (./cmd/pomo), an import path of the current module or of one it
requires, a pattern with ... that matches exactly one main package
(./cmd/...; one that matches several is refused with their list, since a
matrix is of one program), or pkg@version, built as go install
pkg@version builds it: in a temporary module, removed at the end, that
requires that version alone.

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

--goreleaser takes the matrix from a GoReleaser config instead: one cell
per target of each build (named by its id and its GOARM/GOAMD64/…
variant, as in cgo=0,goos=linux,goarch=arm,strip=on,tags=,goarm=7,build=cli),
built with the build's own env, ldflags, flags and tags, templates
evaluated with stated placeholders (.Version 0.0.0, .Commit forty zeros),
and one cell per universal binary (goarch=all). See docs/compare.md.

A cell that fails is reported with the end of the compiler's output and
the other cells still build; the exit status is then 1 (0 with
--allow-failures). A cgo cell that needs a C compiler the machine lacks is
skipped with the reason and the fix (--cc), and does not change the exit
status.`,
		Example: `  binscope compare ./testdata/pomo
  binscope compare golang.org/x/tools/cmd/stringer@latest
  binscope compare --platform linux/amd64,linux/arm64,windows/amd64,darwin/arm64 .
  binscope compare --cgo 0 --tags '' --tags netgo,osusergo --strip on .
  binscope compare --exclude 'cgo=1,goos=windows' --cc linux/arm64=aarch64-linux-gnu-gcc .
  binscope compare --goreleaser .goreleaser.yaml --exclude goos=windows
  binscope compare --shard 1/3 --format json -o shard1.json . && binscope merge shard*.json -o all.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("compare: want one TARGET, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target := "."
			if len(args) == 1 {
				target = args[0]
			}
			co.changed = cmd.Flags().Changed
			if co.goreleaser == "auto" && len(args) == 1 {
				// --goreleaser FILE: the optional value came apart from
				// the flag, as it does when written with a space.
				if st, err := os.Stat(target); err == nil && !st.IsDir() && (strings.HasSuffix(target, ".yaml") || strings.HasSuffix(target, ".yml")) {
					co.goreleaser, target = target, "."
				}
			}
			return runCompareCmd(cmd.Context(), opts, formats, co, cmd.Flags().Changed("tags"), target)
		},
	}
	formats.flag(cmd, opts)
	f := cmd.Flags()
	f.StringSliceVar(&co.cgo, "cgo", nil, "CGO_ENABLED values to build with: `0,1` (default: the environment's value, then the other)")
	f.StringSliceVar(&co.platforms, "platform", nil, "GOOS/GOARCH `list`, such as linux/amd64,windows/amd64 (default: the target platform of go env)")
	f.StringVar(&co.strip, "strip", "both", "build with -ldflags=\"-s -w\": `on`, off or both")
	completeValues(cmd, "strip", "on", "off", "both")
	completeValues(cmd, "cgo", "0", "1", "0,1")
	completePlatforms(cmd, "platform", opts)
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
	f.StringVar(&co.goreleaser, "goreleaser", "", "take the matrix from a GoReleaser config's builds: `FILE`, or found as GoReleaser finds it when the flag is given alone")
	f.Lookup("goreleaser").NoOptDefVal = "auto"
	f.BoolVar(&co.list, "list", false, "build nothing: list the cells the matrix holds, each with the command that builds it (text or json)")
	return cmd
}

// compareRequest is compare's command line, checked and parsed: the
// pipeline's request, and how to name its errors.
type compareRequest struct {
	pipeline.Request

	// cmd names the command in messages: compare, or check, which builds
	// through the same pipeline; "" means compare.
	cmd string
	// cfg is the budget file the matrix comes from (check): errors and
	// warnings about the matrix point at its lines rather than at flags.
	// targetLine, when not 0, is the line of its target, which Target
	// is: a Target that is missing or not a main package is then a config
	// error.
	cfg        *config.Config
	targetLine int
}

func (req *compareRequest) name() string { return cmp.Or(req.cmd, "compare") }

// configErrorf is a usage error at a line of the budget file.
func (req *compareRequest) configErrorf(line int, format string, args ...any) error {
	return &exitError{code: exitUsage, err: &config.Error{File: req.cfg.File, Line: line, Msg: fmt.Sprintf(format, args...)}}
}

// targetError reports a target that cannot be built: for a budget
// file's target, a config error at its line; on the command line, a
// usage error when the target names no main package or several (the
// message says which it holds), a failure naming the command otherwise.
func (req *compareRequest) targetError(err error) error {
	if req.targetLine > 0 {
		return req.configErrorf(req.targetLine, "target %s: %v", req.cfg.Target, err)
	}
	err = fmt.Errorf("%s %s: %w", req.name(), req.Target, err)
	if errors.Is(err, buildmatrix.ErrNotMain) || errors.Is(err, pipeline.ErrSeveralMains) || errors.Is(err, pipeline.ErrTargetSyntax) {
		return &exitError{code: exitUsage, err: err}
	}
	return failure(err)
}

// runError maps an error of pipeline.Run to the exit status and message
// of the command line (flags) or of the budget file's lines.
func (req *compareRequest) runError(err error) error {
	name := req.name()
	var re *pipeline.RequestError
	var pe *pipeline.Error
	switch {
	case errors.As(err, &re):
		switch re.Field {
		case pipeline.FieldDir:
			if errors.Is(re.Err, pipeline.ErrNotDir) {
				return req.targetError(fmt.Errorf("not a directory (%s takes a main package: its folder, import path, or pkg@version)", name))
			}
			return req.targetError(re.Err)
		case pipeline.FieldPlatforms:
			if req.cfg != nil {
				return req.configErrorf(req.cfg.PlatformsLine, "platform %s: %v", re.Value, re.Err)
			}
			return usageErrorf("invalid --platform value %q: %v", re.Value, re.Err)
		case pipeline.FieldCC:
			return usageErrorf("invalid --cc value %s: %v", re.Value, re.Err)
		case pipeline.FieldExclude:
			if req.cfg != nil {
				return req.configErrorf(req.cfg.ExcludeLines[0], "the exclude list removes every cell of the matrix")
			}
			return usageErrorf("%s: the --exclude values remove every cell of the matrix", name)
		case pipeline.FieldKeep:
			return failure(fmt.Errorf("compare: --keep %s: %w", re.Value, re.Err))
		}
		return usageErrorf("%s: %v", name, re.Err)
	case errors.As(err, &pe):
		if pe.Dir != "" {
			return failure(fmt.Errorf("%s %w", name, err))
		}
		return failure(fmt.Errorf("%s: %w", name, err))
	}
	// An error of the request's Vet, already in the command's terms.
	return err
}

// runEvents shows a run's progress on the live line and its warnings on
// stderr, in the terms of the command line or of the budget file.
func (req *compareRequest) runEvents(stderr io.Writer, progress *compareProgress) func(pipeline.Event) {
	return func(ev pipeline.Event) {
		switch ev.Kind {
		case pipeline.EventWarning:
			w := ev.Warning
			switch w.Kind {
			case pipeline.WarnExcludeUnmatched:
				if req.cfg != nil {
					fmt.Fprintf(stderr, "binscope: warning: %s:%d: exclude {%s} matches no cell\n", req.cfg.File, req.cfg.ExcludeLines[w.Exclude], req.Exclude[w.Exclude])
				} else {
					fmt.Fprintf(stderr, "binscope: warning: --exclude %s matches no cell\n", req.Exclude[w.Exclude])
				}
			case pipeline.WarnCCUnused:
				fmt.Fprintf(stderr, "binscope: warning: --cc %s: no cell builds for that platform\n", w.Platform)
			case pipeline.WarnUnknownTag:
				where := "--tags"
				if req.cfg != nil && req.cfg.TagsLine > 0 {
					where = fmt.Sprintf("%s:%d", req.cfg.File, req.cfg.TagsLine)
				}
				fmt.Fprintf(stderr, "binscope: warning: %s: %s\n", where, unknownTagText(w))
			}
		case pipeline.EventStart:
			progress.start(ev.Total)
		case pipeline.EventBuild:
			progress.update(ev.Build, ev.Baseline)
		}
	}
}

// runCompare runs the pipeline for req, with progress on the live line
// and warnings on stderr, and returns its report or the command's error.
func runCompare(ctx context.Context, req *compareRequest, env []string, stderr io.Writer, progress *compareProgress) (*compare.Report, error) {
	report, err := pipeline.Run(ctx, req.Request, env, req.runEvents(stderr, progress))
	if err != nil {
		return nil, req.runError(err)
	}
	return report, nil
}

// parse checks every flag before anything runs; each bad value is one
// usage error naming it.
func (co *compareOptions) parse(target string, tagsGiven bool) (*compareRequest, error) {
	req := &compareRequest{Request: pipeline.Request{Target: target, TagsGiven: tagsGiven, Keep: co.keep, Jobs: co.jobs}}
	for _, v := range co.cgo {
		switch strings.TrimSpace(v) {
		case "0":
			req.CGO = appendBool(req.CGO, false)
		case "1":
			req.CGO = appendBool(req.CGO, true)
		default:
			return nil, usageErrorf("invalid --cgo value %q: want 0 or 1 (or both: 0,1)", v)
		}
	}
	for _, v := range co.platforms {
		p, err := buildmatrix.ParsePlatform(v)
		if err != nil {
			return nil, usageErrorf("invalid --platform value %q: want GOOS/GOARCH, such as linux/amd64", v)
		}
		if !slices.Contains(req.Platforms, p) {
			req.Platforms = append(req.Platforms, p)
		}
	}
	// A list flag given only empty values (--platform '') would fall
	// back to the default silently.
	for _, f := range []struct {
		name string
		n    int
	}{{"cgo", len(req.CGO)}, {"platform", len(req.Platforms)}} {
		if f.n == 0 && co.changed != nil && co.changed(f.name) {
			return nil, usageErrorf("invalid --%s value \"\": want at least one value", f.name)
		}
	}
	switch co.strip {
	case "off":
		req.Strip = []bool{false}
	case "on":
		req.Strip = []bool{true}
	case "both":
		req.Strip = []bool{false, true}
	default:
		return nil, usageErrorf("invalid --strip value %q: want on, off or both", co.strip)
	}
	for _, v := range co.tags {
		tags, err := buildmatrix.ParseTags(v)
		if err != nil {
			return nil, usageErrorf("invalid --tags value %q: %v", v, err)
		}
		if !slices.ContainsFunc(req.TagSets, func(t []string) bool { return slices.Equal(t, tags) }) {
			req.TagSets = append(req.TagSets, tags)
		}
	}
	for _, v := range co.exclude {
		sel, err := buildmatrix.ParseSelector(v)
		if err != nil {
			return nil, usageErrorf("invalid --exclude value %q: %v", v, trimSelectorPrefix(err))
		}
		req.Exclude = append(req.Exclude, sel)
	}
	req.CC = map[buildmatrix.Platform]string{}
	for _, v := range co.cc {
		plat, cc, ok := strings.Cut(v, "=")
		p, err := buildmatrix.ParsePlatform(plat)
		if !ok || err != nil || strings.TrimSpace(cc) == "" {
			return nil, usageErrorf("invalid --cc value %q: want GOOS/GOARCH=CC, such as linux/arm64=aarch64-linux-gnu-gcc", v)
		}
		req.CC[p] = strings.TrimSpace(cc)
	}
	req.Settings = buildmatrix.Settings{LDFlags: strings.TrimSpace(co.ldflags), Trimpath: co.trimpath}
	switch co.buildmode {
	case "", "default":
	case "exe", "pie", "c-shared":
		req.Settings.BuildMode = co.buildmode
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
		req.Shard = &s
	}
	if co.list && co.keep != "" {
		return nil, usageErrorf("--list and --keep: --list builds nothing")
	}
	req.ListOnly = co.list
	if co.goreleaser != "" && co.changed != nil {
		for _, name := range []string{"cgo", "platform", "strip", "tags", "ldflags", "trimpath", "buildmode"} {
			if co.changed(name) {
				return nil, usageErrorf("--%s and --goreleaser: the GoReleaser config's builds are the matrix and their flags (--exclude leaves cells out)", name)
			}
		}
	}
	return req, nil
}

// unknownTagText says that a tag changes nothing in a build, and which
// tags would: tag "containres" is in no //go:build line of
// example.com/pomo or its dependencies (did you mean "containers"?); its
// custom tags: containers.
func unknownTagText(w pipeline.Warning) string {
	msg := fmt.Sprintf("tag %q is in no //go:build line of %s or its dependencies, so it changes nothing", w.Tag, w.Package)
	if s := config.Suggest(w.Tag, w.Known); s != "" && len(w.Tag) > 3 {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	if len(w.Known) == 0 {
		return msg + "; the program has no custom tags"
	}
	return msg + "; its custom tags: " + strings.Join(w.Known, ", ")
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

func runCompareCmd(ctx context.Context, opts *globalOptions, formats formats[*compare.Report], co *compareOptions, tagsGiven bool, target string) error {
	if err := formats.check(opts); err != nil {
		return err
	}
	req, err := co.parse(target, tagsGiven)
	if err != nil {
		return err
	}
	if co.goreleaser != "" {
		file := co.goreleaser
		if file == "auto" {
			start := target
			if st, err := os.Stat(target); err != nil || !st.IsDir() {
				start = "."
			}
			if file, err = findGoReleaser(start); err != nil {
				return usageErrorf("compare --goreleaser: %v; name one with --goreleaser=FILE", err)
			}
		}
		g, grTarget, err := loadGoReleaser(file, opts)
		if err != nil {
			return err
		}
		req.GoReleaser = g
		if target == "." || target == filepath.Dir(file) {
			req.Target, req.From = grTarget, g.Dir
		}
	}
	if co.list && opts.format != "text" && opts.format != "json" {
		return usageErrorf("invalid --format %q with --list: want text or json", opts.format)
	}
	progress := newCompareProgress(opts.stderr, !co.quiet && !co.list && isTerminal(opts.stderr), opts.getenv)
	report, err := runCompare(ctx, req, opts.env, opts.stderr, progress)
	progress.stop()
	if err != nil {
		return err
	}
	if co.list {
		var buf bytes.Buffer
		if opts.format == "json" {
			err = writeJSON(&buf, report)
		} else {
			err = renderCompareList(&buf, report)
		}
		if err != nil {
			return failure(err)
		}
		return opts.emit(&buf)
	}
	if err := formats.emit(opts, report); err != nil {
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
