package main

import (
	"fmt"
	"io"
	"os"

	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/report"
	"github.com/binscope/binscope/internal/units"
	"github.com/spf13/cobra"
)

func newMergeCmd(opts *globalOptions) *cobra.Command {
	formats := compareFormats(opts)
	cmd := &cobra.Command{
		Use:   "merge REPORT...",
		Short: "Join the shard reports of binscope compare --shard into one report",
		Long: `Merge reads the JSON reports of binscope compare --shard K/N, one per shard,
and joins them into the report one run over the whole matrix would have
made: every cell compared with the baseline, the option effects and the
headline computed over all of them.

It refuses reports of different targets, toolchains, hosts or matrices, a
shard given twice and a missing shard (exit status 1).`,
		Example: `  binscope compare --shard 1/2 --format json -o shard1.json ./testdata/pomo
  binscope compare --shard 2/2 --format json -o shard2.json ./testdata/pomo
  binscope merge shard1.json shard2.json --format json -o all.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("merge: no REPORT given")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts, args...); err != nil {
				return err
			}
			var reports []*compare.Report
			for _, name := range args {
				r, err := readCompareReport(name)
				if err != nil {
					return failure(fmt.Errorf("merge: %w", err))
				}
				reports = append(reports, r)
			}
			merged, err := compare.Merge(args, reports)
			if err != nil {
				return failure(fmt.Errorf("merge: %w", err))
			}
			return formats.emit(opts, merged)
		},
	}
	formats.flag(cmd, opts)
	return cmd
}

// compareFormats are the formats of a compare report, which compare and
// merge write alike.
func compareFormats(opts *globalOptions) formats[*compare.Report] {
	return formatsOf(func(w io.Writer, r *compare.Report) error {
		return renderCompareText(w, r, opts.palette())
	}, format[*compare.Report]{"html", renderCompareHTML})
}

// maxReport is the largest JSON report binscope reads: far above the
// report of a big program's whole matrix, and a bound on a wrong argument
// such as /dev/zero.
const maxReport = 256 << 20

// readLimited reads a file of at most limit bytes; what names the kind of
// file in the error for a larger one. A folder, or a file that holds more
// (a device such as /dev/zero, a wrong argument), gets an error that says
// so instead of a read that never ends.
func readLimited(name string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err // *fs.PathError reads "open NAME: …"
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than any %s (limit %s)", name, what, units.HumanSize(limit))
	}
	return data, nil
}

// readCompareReport reads one report of binscope compare --format json,
// for merge and check --from. Errors name the file.
func readCompareReport(name string) (*compare.Report, error) {
	data, err := readLimited(name, maxReport, "compare report")
	if err != nil {
		return nil, err
	}
	r, err := report.DecodeCompare(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}
