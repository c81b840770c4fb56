package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/advise"
	"github.com/binscope/binscope/internal/units"
	"github.com/binscope/binscope/pipeline"
	"github.com/spf13/cobra"
)

// adviseReport is binscope advise's JSON report.
type adviseReport struct {
	SchemaVersion int      `json:"schema_version"`
	Build         whyBuild `json:"build"`
	advise.Report
}

func newAdviseCmd(opts *globalOptions) *cobra.Command {
	co := &cellOptions{}
	formats := formatsOf(renderAdviseText, format[*adviseReport]{"markdown", renderAdviseMarkdown})
	cmd := &cobra.Command{
		Use:   "advise [TARGET]",
		Short: "Rank what would make a program smaller, each saving measured or computed, with the change to make",
		Long: `Advise builds the program (the one cell the flags pick, as why does: the
plain go build by default) with the linker that writes its reachability
graph, then the variants it measures, and lists what would make the
binary smaller, largest saving first. Each saving says how it is known:

  measured   binscope built the variant; the figures are the ones compare
             reports for the same cells (-s -w, -trimpath, CGO_ENABLED=0,
             -tags netgo,osusergo)
  computed   from the linker's graph (the dead code elimination blocker,
             the heaviest dependencies by retained size, time/tzdata) or
             from the files themselves (embedded files, DWARF)

and gives the exact change to make, and what it costs where it costs
something. What binscope checked and found nothing to do about is listed
after. Formats: text, json and markdown (for a pull request comment).

Exit status: 0 with advice (an empty list included), 1 when a build fails,
2 for a usage error.`,
		Example: `  binscope advise ./testdata/pomo
  binscope advise --format markdown -o advice.md .
  binscope advise --cgo 0 --strip on ./cmd/server`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("advise: want at most one TARGET, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts); err != nil {
				return err
			}
			target := "."
			if len(args) == 1 {
				target = args[0]
			}
			req, err := co.request("advise", target, cmd.Flags().Changed)
			if err != nil {
				return err
			}
			a, err := runAdvise(cmd, opts, req, co.quiet)
			if err != nil {
				return err
			}
			defer a.Close()
			r := &adviseReport{SchemaVersion: analyze.SchemaVersion, Build: newWhyReport(a.Graphed).Build, Report: advise.Advise(a.Input)}
			return formats.emit(opts, r)
		},
	}
	formats.flag(cmd, opts)
	co.define(cmd, opts)
	return cmd
}

func runAdvise(cmd *cobra.Command, opts *globalOptions, req *compareRequest, quiet bool) (*pipeline.Advised, error) {
	events, stop := graphEvents(opts, req, quiet)
	a, err := pipeline.Advise(cmd.Context(), req.Request, opts.env, graphCacheDir(opts), events)
	stop()
	if err != nil {
		return nil, graphError(req, err)
	}
	return a, nil
}

func renderAdviseText(w io.Writer, r *adviseReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Build: %s\n\n", buildLine(r.Build))
	if len(r.Actions) == 0 {
		b.WriteString("Nothing to do: binscope found no saving.\n")
	}
	for i, a := range r.Actions {
		saving := "saves " + bytesText(a.Saving)
		if a.Saving < 0 {
			saving = "adds " + bytesText(-a.Saving)
		} else if a.Saving == 0 {
			saving = "saves nothing"
		}
		fmt.Fprintf(&b, "%d. %s: %s, %.1f%% of the binary (%s)\n", i+1, a.Title, saving, a.SavingPercent, a.How)
		fmt.Fprintf(&b, "   change: %s\n", a.Change)
		if a.How == advise.Measured && len(a.Sizes) == 2 && len(a.Commands) == 2 {
			fmt.Fprintf(&b, "   measured: %s bytes, %s\n", groupDigits(a.Sizes[0]), a.Commands[0])
			fmt.Fprintf(&b, "          → %s bytes, %s\n", groupDigits(a.Sizes[1]), a.Commands[1])
		} else {
			fmt.Fprintf(&b, "   evidence: %s\n", a.Evidence)
		}
		if a.Caveat != "" {
			fmt.Fprintf(&b, "   note: %s\n", a.Caveat)
		}
	}
	if len(r.Checked) > 0 {
		fmt.Fprintf(&b, "\nChecked, nothing to do: %s.\n", strings.Join(r.Checked, "; "))
	}
	if len(r.Actions) > 1 {
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "Note: %s.\n", n)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderAdviseMarkdown(w io.Writer, r *adviseReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### What would make `%s` smaller\n\n", r.Build.Package)
	if len(r.Actions) == 0 {
		b.WriteString("Nothing to do: binscope found no saving.\n\n")
	} else {
		b.WriteString("| # | action | saving | how | change |\n|---:|---|---:|---|---|\n")
		for i, a := range r.Actions {
			fmt.Fprintf(&b, "| %d | %s | %s (%.1f%%) | %s | %s |\n", i+1, mdText(a.Title), units.HumanSize(a.Saving), a.SavingPercent, a.How, mdText(a.Change))
		}
		b.WriteString("\n")
	}
	if len(r.Checked) > 0 {
		fmt.Fprintf(&b, "Checked, nothing to do: %s.\n\n", mdText(strings.Join(r.Checked, "; ")))
	}
	fmt.Fprintf(&b, "<sub>%s</sub>\n", mdText(buildLine(r.Build)))
	_, err := io.WriteString(w, b.String())
	return err
}
