package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/reach"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
	"github.com/binscope/binscope/pipeline"
	"github.com/spf13/cobra"
)

// whyReport is binscope why's JSON report.
type whyReport struct {
	SchemaVersion int            `json:"schema_version"`
	Build         whyBuild       `json:"build"`
	Answer        *reach.Answer  `json:"answer,omitempty"` // why PKG|SYMBOL
	Top           *reach.Top     `json:"top,omitempty"`    // why --top N
	Blockers      reach.Blockers `json:"blockers"`
}

// whyBuild is the build the answers are about.
type whyBuild struct {
	Package   string `json:"package"` // the main package
	Cell      string `json:"cell"`    // its id, as compare names it
	Label     string `json:"label"`
	Command   string `json:"command"`
	GoVersion string `json:"go_version"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	Size      int64  `json:"size"`
	// Symbols and Edges are the reachability graph's: the symbols the
	// linker kept and the references between them it followed.
	Symbols    int   `json:"graph_symbols"`
	Edges      int   `json:"graph_edges"`
	GraphBytes int64 `json:"graph_bytes"`
}

// cellOptions are the flags that pick the one cell why and advise build,
// as compare's flags name the cells of a matrix.
type cellOptions struct {
	compareOptions
}

func (c *cellOptions) define(cmd *cobra.Command, opts *globalOptions) {
	f := cmd.Flags()
	f.StringSliceVar(&c.cgo, "cgo", nil, "CGO_ENABLED for the build: `0` or 1 (default: the environment's value)")
	f.StringSliceVar(&c.platforms, "platform", nil, "the build's `GOOS/GOARCH` (default: the target platform of go env)")
	f.StringVar(&c.strip, "strip", "off", "build with -ldflags=\"-s -w\": `on` or off")
	completeValues(cmd, "strip", "on", "off")
	completeValues(cmd, "cgo", "0", "1")
	completePlatforms(cmd, "platform", opts)
	f.StringArrayVar(&c.tags, "tags", nil, "the build's tag `set`, such as netgo,osusergo (default: none)")
	f.StringArrayVar(&c.cc, "cc", nil, "C compiler for a cgo build: `GOOS/GOARCH=CC` (repeatable)")
	f.StringVar(&c.ldflags, "ldflags", "", "linker `flags`, after -s -w where it applies, such as '-X main.version=1'")
	f.BoolVar(&c.trimpath, "trimpath", false, "build with -trimpath")
	f.StringVar(&c.buildmode, "buildmode", "", "build with -buildmode=`MODE`: default, exe or pie")
	f.BoolVarP(&c.quiet, "quiet", "q", false, "no progress line, only errors")
}

// request is the pipeline request of the one cell the flags pick; a flag
// that names two values is a usage error naming it.
func (c *cellOptions) request(name, target string, changed func(string) bool) (*compareRequest, error) {
	c.jobs = 1
	for _, f := range []struct {
		flag string
		n    int
	}{{"cgo", len(c.cgo)}, {"platform", len(c.platforms)}, {"tags", len(c.tags)}} {
		if f.n > 1 {
			return nil, usageErrorf("%s builds one program: --%s takes one value here, got %d", name, f.flag, f.n)
		}
	}
	if c.strip == "both" {
		return nil, usageErrorf("invalid --strip value %q: %s builds one program; want on or off", c.strip, name)
	}
	if c.buildmode == "c-shared" {
		return nil, usageErrorf("invalid --buildmode value %q: %s answers about executables; want default, exe or pie", c.buildmode, name)
	}
	c.changed = changed
	tagsGiven := true
	if len(c.tags) == 0 {
		c.tags = []string{""}
	}
	req, err := c.parse(target, tagsGiven)
	if err != nil {
		return nil, err
	}
	req.cmd = name
	req.MatrixOnly = true
	return req, nil
}

// graphCacheDir is where the graph linker is kept: $BINSCOPE_CACHE, else
// binscope in the user's cache folder (as os.UserCacheDir finds it, from
// the command's environment), else the temporary folder.
func graphCacheDir(opts *globalOptions) string {
	if d := opts.getenv("BINSCOPE_CACHE"); d != "" {
		// The go command runs in other folders: the path must not be
		// relative.
		if abs, err := filepath.Abs(d); err == nil {
			return abs
		}
		return d
	}
	if d := opts.getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "binscope")
	}
	if h := opts.getenv("HOME"); h != "" && filepath.IsAbs(h) {
		if st, err := os.Stat(h); err == nil && st.IsDir() {
			return filepath.Join(h, ".cache", "binscope")
		}
	}
	if d := opts.getenv("LOCALAPPDATA"); d != "" {
		return filepath.Join(d, "binscope")
	}
	return filepath.Join(os.TempDir(), "binscope-cache")
}

// buildGraph builds the cell of req with the graph linker, with the
// progress line on a terminal.
func buildGraph(ctx context.Context, opts *globalOptions, req *compareRequest, quiet bool) (*pipeline.Graphed, error) {
	events, stop := graphEvents(opts, req, quiet)
	g, err := pipeline.BuildGraph(ctx, req.Request, opts.env, graphCacheDir(opts), events)
	stop()
	if err != nil {
		return nil, graphError(req, err)
	}
	return g, nil
}

// graphEvents shows a graph build's progress: the live line on a
// terminal, warnings, and a word when the graph linker is being built.
func graphEvents(opts *globalOptions, req *compareRequest, quiet bool) (events func(pipeline.Event), stop func()) {
	progress := newCompareProgress(opts.stderr, !quiet && isTerminal(opts.stderr), opts.getenv)
	run := req.runEvents(opts.stderr, progress)
	return func(ev pipeline.Event) {
		if ev.Kind == pipeline.EventGraphLinker && !quiet {
			fmt.Fprintf(opts.stderr, "binscope: building the linker that writes the reachability graph, once per toolchain, in %s\n", graphCacheDir(opts))
		}
		run(ev)
	}, progress.stop
}

// graphError is the command's error for a graph build's.
func graphError(req *compareRequest, err error) error {
	if errors.Is(err, buildmatrix.ErrGraphLinker) || errors.Is(err, pipeline.ErrCellFailed) {
		return failure(fmt.Errorf("%s: %w", req.name(), err))
	}
	var re *pipeline.RequestError
	if errors.As(err, &re) && re.Field == pipeline.FieldMatrix {
		return usageErrorf("%s: %v", req.name(), re.Err)
	}
	return req.runError(err)
}

func newWhyCmd(opts *globalOptions) *cobra.Command {
	co := &cellOptions{}
	var top int
	formats := formatsOf(renderWhyText, format[*whyReport]{"markdown", renderWhyMarkdown})
	cmd := &cobra.Command{
		Use:   "why PKG|SYMBOL [TARGET] | why --top N [TARGET]",
		Short: "Say why a package or symbol is in a program, and what removing it would save",
		Long: `Why builds the program once, with a copy of the toolchain's own linker that
writes its whole reachability graph: every reference its dead code pass
followed, not only the first to each symbol as -ldflags=-dumpdep prints.
The binary is the one go build makes, byte for byte. Then it answers:

  - the shortest chain of references from the program's roots (main.main,
    the init tasks, the runtime) to the package's first reachable symbol;
  - the chain of imports from the main package (go list -deps);
  - the package's bytes in this binary, as size --by package has them;
  - its retained size: the bytes that would leave the binary if nothing
    referred to the package any more (its own, and everything only it
    reaches), and the references to cut for that, grouped by package.

With --top N it lists the N packages with the largest retained sizes.
Every answer also lists the dead code elimination blockers: reachable
functions that call reflect's Method or MethodByName with a name that is
not a constant, which make the linker keep every exported method of every
type that reaches an interface, with what those methods cost.

TARGET is a main package as compare takes it (default "."); the build is
the one cell that the flags pick, with compare's flags: by default the
plain go build. The linker copy is built once per toolchain (some
seconds) under $BINSCOPE_CACHE, else the user's cache folder. Sizes are
computed on the graph; see docs/why.md for the definition.

Exit status: 0 with an answer, 1 when the build fails, 2 for a name that
is neither a package the build imports nor a symbol of the binary.`,
		Example: `  binscope why encoding/xml ./testdata/pomo
  binscope why 'text/template.(*state).evalField' ./testdata/pomo
  binscope why --top 10 --format markdown .
  binscope why --cgo 0 --strip on golang.org/x/net/http2 ./cmd/server`,
		Args: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("top") {
				if len(args) > 1 {
					return usageErrorf("why --top: want at most a TARGET, got %d arguments", len(args))
				}
				return nil
			}
			if len(args) < 1 || len(args) > 2 {
				return usageErrorf("why: want a package or symbol and at most a TARGET (or --top N), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts); err != nil {
				return err
			}
			query, target := "", "."
			if cmd.Flags().Changed("top") {
				if top < 1 {
					return usageErrorf("invalid --top %d: want a number of packages, 1 or more", top)
				}
				if len(args) == 1 {
					target = args[0]
				}
			} else {
				query = args[0]
				if len(args) == 2 {
					target = args[1]
				}
			}
			req, err := co.request("why", target, cmd.Flags().Changed)
			if err != nil {
				return err
			}
			g, err := buildGraph(cmd.Context(), opts, req, co.quiet)
			if err != nil {
				return err
			}
			defer g.Close()
			r := newWhyReport(g)
			if query != "" {
				a, err := g.Program.Ask(query)
				if err != nil {
					if errors.Is(err, reach.ErrUnknown) {
						if !strings.Contains(err.Error(), "did you mean") {
							if s := config.Suggest(query, g.Program.Graph.Packages); s != "" {
								err = fmt.Errorf("%w (did you mean %s?)", err, s)
							}
						}
						return &exitError{code: exitUsage, err: fmt.Errorf("why %w", err)}
					}
					return failure(err)
				}
				r.Answer = a
			} else {
				t := g.Program.Top(top)
				r.Top = &t
			}
			return formats.emit(opts, r)
		},
	}
	formats.flag(cmd, opts)
	co.define(cmd, opts)
	cmd.Flags().IntVar(&top, "top", 0, "list the `N` packages with the largest retained sizes instead of answering about one")
	return cmd
}

func newWhyReport(g *pipeline.Graphed) *whyReport {
	c := g.Cell
	r := &whyReport{SchemaVersion: analyze.SchemaVersion, Blockers: g.Program.Blockers()}
	r.Build = whyBuild{Package: g.Report.Target.Package, Cell: c.ID, Label: c.Label, Command: c.Command, GoVersion: c.GoVersion,
		GOOS: c.Options.GOOS, GOARCH: c.Options.GOARCH, Size: c.Size,
		Symbols: g.Program.Graph.Nodes() - 1, Edges: g.Program.Graph.Edges(), GraphBytes: g.GraphBytes}
	return r
}

// chainText writes a chain of symbols, one per line, each with the
// package when it changes.
func chainText(b *strings.Builder, links []reach.Link, indent string) {
	last := "\x00"
	for _, l := range links {
		if l.Package != last && l.Package != "" {
			fmt.Fprintf(b, "%s%s  (%s)\n", indent, l.Symbol, l.Package)
		} else {
			fmt.Fprintf(b, "%s%s\n", indent, l.Symbol)
		}
		last = l.Package
	}
}
