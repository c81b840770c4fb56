package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/pipeline"
	"github.com/spf13/cobra"
)

// checkOptions are check's flags as given.
type checkOptions struct {
	config   string
	from     string
	baseline string

	cells string
	// rules holds the rule flags, keyed by flag name; they are defined
	// from budget's rule table.
	rules ruleFlags

	jobs   int
	quiet  bool
	shard  string
	report string

	// --history: the size history file, the drift rule, the commit.
	history     string
	html        string
	driftWindow int
	driftMax    string
	commit      string

	formats formats[*budget.Report]
	// annotationFile is the config's path as GitHub annotations name it,
	// set once the config is known; "" when it lies outside the
	// repository.
	annotationFile string
}

func newCheckCmd(opts *globalOptions) *cobra.Command {
	co := &checkOptions{}
	co.formats = formatsOf(
		func(w io.Writer, r *budget.Report) error { return renderCheckText(w, r, opts.palette()) },
		format[*budget.Report]{"markdown", func(w io.Writer, r *budget.Report) error { return renderCheckMarkdown(w, r, opts.width()) }},
		format[*budget.Report]{"github", func(w io.Writer, r *budget.Report) error { return renderCheckGitHub(w, r, co.annotationFile) }},
	)
	cmd := &cobra.Command{
		Use:   "check [BINARY|TARGET]",
		Short: "Check size budgets for CI: limits, linkage, stripping, and growth against a baseline",
		Long: `Check evaluates size budgets and exits 1 when one fails, so that CI fails
the build.

The budgets come from .binscope.yaml, found by looking from the working folder
up to the module root, or from --config FILE. The file names the program to
build (target: a folder relative to the file's, an import path, a pattern
that matches one main package, or pkg@version, as compare takes them;
TARGET on the command line takes its place), the matrix to build it under
and the budgets each cell must keep; check builds the matrix as compare does,
or reads an existing compare report with --from report.json so that CI need
not build twice. Nothing is built when the config is invalid.

Without a config, the rule flags check one binary (binscope check ./bin/pomo
--max-size 10M --static --stripped), or every cell of a --from report.

--baseline base.json (a compare or size report of the base branch) enables
the growth rules. A cell the baseline lacks is NEW, not a failure; a growth
rule that fails names the modules and packages that grew most.

Sizes: 8M and 8MiB mean 8×2^20 bytes, 8MB means 8×10^6, 8000000 is bytes.
Headroom is the change in size that reaches the limit, with its percentage
of the size: +2.0M (+33%).

Statuses: PASS, WARN (exit 0), FAIL, ERROR (a cell that did not build: exit
1), NEW, NO BASELINE (a growth rule with no baseline size to measure
against), SKIPPED (a cell not built for want of a C compiler), N/A (a
linkage rule on a Mach-O or PE binary, which always loads system libraries).
A CGO_ENABLED=0 cell that compiled a package's !cgo fallback in place of its
C code (mattn/go-sqlite3's is a stub that fails at run time) is warned
about, once for the cells it concerns; warnings never change the verdict.

--format github annotates the budget file's lines, naming it by its path
from the repository root ($GITHUB_WORKSPACE, or the folder holding .git).`,
		Example: `  binscope check
  binscope check --from report.json --baseline base.json --format markdown >> "$GITHUB_STEP_SUMMARY"
  binscope check ./bin/pomo --max-size 10M --static --stripped`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("check: want at most one BINARY or TARGET, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckCmd(cmd.Context(), opts, co, cmd, args)
		},
	}
	co.formats.flag(cmd, opts)
	f := cmd.Flags()
	f.StringVar(&co.config, "config", "", "read the budgets from `FILE` instead of looking for "+config.FileName)
	f.StringVar(&co.from, "from", "", "check the cells of a compare `REPORT` (JSON) instead of building")
	f.StringVar(&co.baseline, "baseline", "", "a compare or size `REPORT` of the base branch, for growth rules")
	f.StringVar(&co.cells, "cells", "", "apply the rule flags to the cells this `SELECTOR` picks (default all), such as cgo=0,strip=on")
	co.rules.define(cmd)
	f.StringVar(&co.report, "report", "", "also write the compare report of the cells built to `FILE`, for a later --baseline or --from")
	f.StringVar(&co.html, "html", "", "also write the HTML report of the cells to `FILE`: compare's page, with the size history's charts when --history is given")
	f.StringVar(&co.history, "history", "", "append this run's sizes to the size history `FILE` (JSON Lines), and show each cell's trend and slow drift from it")
	f.IntVar(&co.driftWindow, "drift-window", 10, "with --history: judge drift over the last `N` runs, this one included")
	f.StringVar(&co.driftMax, "drift-max", "5%", "with --history: warn when a cell grew more than `PERCENT` over the window while no run grew it past its max_growth (or this)")
	f.StringVar(&co.commit, "commit", "", "with --history: the commit of this run (default $GITHUB_SHA)")
	f.StringVar(&co.shard, "shard", "", "build only the K-th of N slices of the matrix (`K/N`); join the --report files with binscope merge")
	f.IntVar(&co.jobs, "jobs", 2, "at most `N` builds at once")
	f.BoolVarP(&co.quiet, "quiet", "q", false, "no progress line, only errors")
	return cmd
}

func runCheckCmd(ctx context.Context, opts *globalOptions, co *checkOptions, cmd *cobra.Command, args []string) error {
	if err := co.formats.check(opts, co.from, co.config, co.baseline, co.history); err != nil {
		return err
	}
	flagBudget, err := co.flagBudget()
	if err != nil {
		return err
	}
	if co.jobs < 1 {
		return usageErrorf("invalid --jobs value %d: want 1 or more", co.jobs)
	}
	hist, err := co.readHistory(cmd)
	if err != nil {
		return err
	}
	if (co.report != "" || co.shard != "") && co.from != "" {
		return usageErrorf("check: --report and --shard are for the cells check builds; with --from nothing is built")
	}
	// The argument is a binary when a file has its name; anything else
	// is a target as compare takes it (a folder, an import path, a
	// pattern, pkg@version), which the build resolves.
	var arg string
	var argIsBinary bool
	if len(args) == 1 {
		arg = args[0]
		st, err := os.Stat(arg)
		switch {
		case err == nil:
			argIsBinary = !st.IsDir()
		case !errors.Is(err, fs.ErrNotExist):
			return failure(fmt.Errorf("check: %w", err))
		}
		if co.from != "" {
			return usageErrorf("check: give a BINARY or TARGET, or --from REPORT, not both")
		}
	}

	// The budgets: the config's, unless rule flags stand in for it.
	var cfg *config.Config
	cfgPath := co.config
	if cfgPath == "" && flagBudget == nil {
		if cfgPath, err = findConfig("check", "and no rule flags (such as --max-size) given"); err != nil {
			return err
		}
	}
	if cfgPath != "" {
		data, err := readLimited(cfgPath, config.MaxSize, "budget file")
		if err != nil {
			return configErrorf("check: read config: %v", err)
		}
		cfg, err = config.Parse(data, cfgPath)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	var budgets []budget.Budget
	if cfg != nil {
		budgets = append(budgets, cfg.Budgets...)
	}
	if flagBudget != nil {
		budgets = append(budgets, *flagBudget)
	}

	// The baseline is read before anything is built, so that a wrong one
	// stops the run early.
	var base *diffInput
	if co.baseline != "" {
		base, err = loadDiffInput(co.baseline, analyze.SizeOptions{}, "")
		if err != nil {
			return failure(fmt.Errorf("check: baseline: %w", err))
		}
	}

	report := &budget.Report{}
	var cells []compare.Cell
	var target *compare.Target
	var matrix *compare.Report // the cells' compare report, for --html
	switch {
	case argIsBinary:
		if co.report != "" || co.shard != "" || co.html != "" {
			return usageErrorf("check: --report, --shard and --html are for the cells of a matrix, not for a binary")
		}
		cell, err := pipeline.BinaryCell(arg)
		if err != nil {
			return failure(err)
		}
		cells = []compare.Cell{cell}
		if err := checkSelectors(budgets, cells, cfg); err != nil {
			return err
		}
		report.Source = arg
	case co.from != "":
		r, err := readCompareReport(co.from)
		if err != nil {
			return failure(fmt.Errorf("check: %w", err))
		}
		cells, target, matrix = r.Cells, &r.Target, r
		if err := checkFromTarget(ctx, cfg, co.from, r, opts.env); err != nil {
			return err
		}
		if err := checkSelectors(budgets, cells, cfg); err != nil {
			return err
		}
		report.Source = co.from
	default:
		req := &compareRequest{Request: pipeline.Request{Target: arg, Jobs: co.jobs, CC: map[buildmatrix.Platform]string{}, Strip: []bool{false, true}, MatrixOnly: true}, cmd: "check", cfg: cfg}
		if cfg != nil && cfg.GoReleaser != "" {
			file := filepath.Join(filepath.Dir(cfg.File), cfg.GoReleaser)
			if _, err := os.Stat(file); err != nil {
				return &exitError{code: exitUsage, err: &config.Error{File: cfg.File, Line: cfg.GoReleaserLine, Msg: fmt.Sprintf("goreleaser: %s: no such file", file)}}
			}
			g, grTarget, err := loadGoReleaser(file, opts)
			if err != nil {
				return err
			}
			req.GoReleaser = g
			if arg == "" && cfg.Target == "" {
				req.Target, req.From = grTarget, g.Dir
				arg = grTarget
			}
		}
		if arg == "" {
			if cfg == nil || cfg.Target == "" {
				return usageErrorf("check: nothing to check: give a BINARY or TARGET, --from REPORT, or a target in %s", config.FileName)
			}
			// The config's target is relative to the config's folder.
			req.Target, req.From = cfg.Target, filepath.Dir(cfg.File)
			req.targetLine = cfg.Line
		}
		if cfg != nil {
			req.CGO, req.Platforms, req.Exclude, req.Settings = cfg.Matrix.CGO, cfg.Matrix.Platforms, cfg.Exclude, cfg.Settings
			if cfg.Matrix.Strip != nil {
				req.Strip = cfg.Matrix.Strip
			}
			if cfg.Matrix.TagSets != nil {
				req.TagSets, req.TagsGiven = cfg.Matrix.TagSets, true
			}
		}
		if co.shard != "" {
			sh, err := buildmatrix.ParseShard(co.shard)
			if err != nil {
				return usageErrorf("invalid --shard value %q: want K/N with 1 ≤ K ≤ N, such as 1/4", co.shard)
			}
			req.Shard = &sh
		}
		// Every budget must select a cell of the whole matrix (all
		// shards), before anything is built.
		req.Vet = func(planned []buildmatrix.Combination) error {
			var cs []compare.Cell
			for _, c := range planned {
				cs = append(cs, compare.Cell{ID: c.String(), Options: compare.OptionsOf(c)})
			}
			return checkSelectors(budgets, cs, cfg)
		}
		progress := newCompareProgress(opts.stderr, !co.quiet && isTerminal(opts.stderr), opts.getenv)
		r, err := runCompare(ctx, req, opts.env, opts.stderr, progress)
		progress.stop()
		if err != nil {
			return err
		}
		if co.report != "" {
			var rb bytes.Buffer
			if err := writeJSON(&rb, r); err != nil {
				return failure(err)
			}
			if err := writeFileAtomic(co.report, rb.Bytes()); err != nil {
				return failure(fmt.Errorf("check: --report: %w", err))
			}
		}
		cells, target, matrix = r.Cells, &r.Target, r
	}

	var baseCells []compare.Cell
	if base != nil {
		baseCells, err = baselineCells(base, target, cells)
		if err != nil {
			return err
		}
	}

	result := budget.Evaluate(budget.Input{Budgets: budgets, Cells: cells, Baseline: baseCells})
	result.Source, result.Target, result.Baseline = report.Source, target, co.baseline
	if cfg != nil {
		result.Config = cfg.File
		co.annotationFile, _ = annotationPath(cfg.File, opts.getenv)
	}

	if hist != nil {
		if err := hist.record(opts, co, result, cells); err != nil {
			return err
		}
	}
	if co.html != "" && matrix != nil {
		var hb bytes.Buffer
		if err := renderCompareHistoryHTML(&hb, matrix, result.History); err != nil {
			return failure(err)
		}
		if err := writeFileAtomic(co.html, hb.Bytes()); err != nil {
			return failure(fmt.Errorf("check: --html: %w", err))
		}
	}
	if err := co.formats.emit(opts, result); err != nil {
		return err
	}
	switch result.Status {
	case budget.StatusFail, budget.StatusError:
		return errReported
	}
	return nil
}

// checkSelectors stops a run whose budgets select no cell: a misspelt
// selector would otherwise pass silently. The error names the budget's
// line in the config.
func checkSelectors(budgets []budget.Budget, cells []compare.Cell, cfg *config.Config) error {
	var opts []compare.Options
	for _, c := range cells {
		opts = append(opts, c.Options)
	}
	for _, b := range budget.Unmatched(budgets, opts) {
		msg := fmt.Sprintf("budget %q: cells {%s} match none of the %d cells", b.Name, b.CellsText(), len(cells))
		if id := b.Cells.Build; id != "" {
			// A misspelt build id is the likely mistake: say the ids.
			var ids []string
			for _, o := range opts {
				if o.Build != "" && !slices.Contains(ids, o.Build) {
					ids = append(ids, o.Build)
				}
			}
			switch s := config.Suggest(id, ids); {
			case len(ids) == 0:
				msg += "; no cell has a build id (they come from goreleaser:)"
			case s != "" && s != id:
				msg += fmt.Sprintf(" (did you mean build %q?)", s)
			case !slices.Contains(ids, id):
				msg += "; the build ids are " + strings.Join(ids, ", ")
			}
		}
		if cfg != nil && b.Line > 0 {
			return &exitError{code: exitUsage, err: &config.Error{File: cfg.File, Line: b.Line, Msg: msg}}
		}
		return usageErrorf("check: %s (--cells)", msg)
	}
	return nil
}

// baselineCells turns a baseline report into cells to match against. A
// compare report must be of the same target; a size report has one
// binary, so it can only be the baseline of a check of one cell.
func baselineCells(base *diffInput, target *compare.Target, cells []compare.Cell) ([]compare.Cell, error) {
	if base.compare != nil {
		if target != nil && (base.compare.Target.Module != target.Module || base.compare.Target.Package != target.Package) {
			return nil, usageErrorf("check: baseline %s is a report of %s, not of %s: compare like with like",
				base.path, describeTarget(base.compare.Target), describeTarget(*target))
		}
		return base.compare.Cells, nil
	}
	if len(cells) != 1 {
		return nil, usageErrorf("check: baseline %s is a size report of one binary, and this check has %d cells: use a compare report as the baseline", base.path, len(cells))
	}
	s := base.size
	if u := s.Universal; u != nil {
		// Budgets measure a universal binary whole: the baseline is the
		// whole file too, and one slice's rows are not its rows.
		return []compare.Cell{{ID: s.Path, Options: cells[0].Options, Status: compare.StatusOK, Size: u.UniversalSize}}, nil
	}
	return []compare.Cell{{ID: s.Path, Options: cells[0].Options, Status: compare.StatusOK, Size: s.Size, Packages: s.Packages, Modules: s.Modules}}, nil
}

func describeTarget(t compare.Target) string {
	if t.Package != "" {
		return t.Package
	}
	return t.Dir
}

// findConfig finds .binscope.yaml from the working folder up to the
// module root, for cmd; why, when there is none, follows the not-found
// error in its usage error.
func findConfig(cmd, why string) (string, error) {
	found, err := config.Find(".")
	if err != nil {
		if errors.Is(err, config.ErrNotFound) {
			return "", usageErrorf("%s: %v, %s", cmd, err, why)
		}
		return "", failure(fmt.Errorf("%s: %w", cmd, err))
	}
	return relPath(found), nil
}

// relPath shortens an absolute path found by searching to one relative
// to the working folder, as people read it (annotations name files from
// the repository root instead: annotationPath).
func relPath(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// checkFromTarget refuses a --from report of another program than the
// config's target: its cells would be checked in place of the config's
// matrix. A target that cannot be loaded here (a CI job with the report
// and not the source) is not compared.
func checkFromTarget(ctx context.Context, cfg *config.Config, from string, r *compare.Report, env []string) error {
	if cfg == nil || cfg.Target == "" {
		return nil
	}
	pkg, err := pipeline.TargetPackage(ctx, cfg.Target, filepath.Dir(cfg.File), env)
	if err != nil || pkg == r.Target.Package {
		return nil
	}
	return &exitError{code: exitUsage, err: &config.Error{File: cfg.File, Line: cfg.Line,
		Msg: fmt.Sprintf("the report %s is of %s, but the target here is %s (%s): check it against a report of the same program", from, r.Target.Package, cfg.Target, pkg)}}
}
