package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/analyze/report"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
	"github.com/spf13/cobra"
)

func newDiffCmd(opts *globalOptions) *cobra.Command {
	var (
		minDelta string
		by       string
		arch     archFlag
		noDisasm bool
		// newSide is NEW's report, which the HTML page draws.
		newSide any
	)
	formats := formatsOf(
		func(w io.Writer, d *diff.Report) error { return renderDiffText(w, d, by, opts.width()) },
		format[*diff.Report]{"csv", func(w io.Writer, d *diff.Report) error { return renderDiffCSV(w, d, by) }},
		format[*diff.Report]{"html", func(w io.Writer, d *diff.Report) error { return renderDiffHTML(w, d, newSide) }},
	)
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changed in size between two binaries or two reports",
		Long: `Diff compares two builds. OLD and NEW are each a binary, a JSON report of
binscope size, or a JSON report of binscope compare (both the same kind of
report; a binary and a size report mix freely).

It shows the total before and after, the delta and the percentage, then per
section, per module and per package what was added, removed or changed, with
old size, new size, delta and percentage, largest change first. A section or
row missing on one side (a stripped binary's .symtab and .debug_*) is added
or removed with its full size. Two compare reports are diffed cell by cell,
cells matched by their build options.

--format html writes one self-contained page: NEW's treemap (modules and
packages, area by file bytes) coloured by change (grown, shrunk, added,
unchanged), the removed packages, and the table of deltas; for compare
reports, the same for the cell picked. It embeds the diff as --format json
writes it, and NEW's report.

--min-delta hides rows that changed by less (1K, 10KB, 512); --by shows one
view only (section, package, module or symbol; symbol needs binaries or size
reports made with --by symbol).

A macOS universal binary is diffed one slice at a time: --arch picks it
(a thin side is read as it is; default: the other side's architecture when
that side is a thin binary or a size report, else this machine's when the
binary has it, else the first slice), and the output names the slice.`,
		Example: `  binscope diff ./pomo-old ./pomo
  binscope diff --min-delta 1K base.json pr.json
  binscope diff --format json -o diff.json compare-main.json compare-pr.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErrorf("diff: want OLD and NEW, got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts, args...); err != nil {
				return err
			}
			var min int64
			if minDelta != "" {
				n, err := units.ParseSize(minDelta)
				if err != nil {
					return usageErrorf("invalid --min-delta: %v", err)
				}
				min = n
			}
			switch by {
			case "", "section", "package", "module", "symbol":
			default:
				return usageErrorf("invalid --by %q: want section, package, module or symbol", by)
			}
			// Without --arch, a universal side is read in the other side's
			// architecture when it has that slice, so that both sides are
			// of one architecture.
			// With --arch, it picks the slice of a universal side; a thin
			// side is read as it is.
			oldThin, newThin := thinArch(args[0]), thinArch(args[1])
			oldArch, newArch := arch, arch
			switch {
			case arch == "":
				oldArch, newArch = archFlag(newThin), archFlag(oldThin)
			case oldThin != "" && newThin != "":
				// Two thin sides: --arch must name one of theirs, as size says.
			case oldThin != "":
				oldArch = ""
			case newThin != "":
				newArch = ""
			}
			defer opts.boundMemory(args[0], args[1])()
			old, errOld := loadDiffInput(args[0], analyze.SizeOptions{Symbols: by == "symbol", NoCodeRefs: noDisasm}, oldArch)
			if isUsageError(errOld) && arch == "" {
				old, errOld = loadDiffInput(args[0], analyze.SizeOptions{Symbols: by == "symbol", NoCodeRefs: noDisasm}, "")
			}
			if isUsageError(errOld) {
				return errOld
			}
			new, errNew := loadDiffInput(args[1], analyze.SizeOptions{Symbols: by == "symbol", NoCodeRefs: noDisasm}, newArch)
			if isUsageError(errNew) && arch == "" {
				new, errNew = loadDiffInput(args[1], analyze.SizeOptions{Symbols: by == "symbol", NoCodeRefs: noDisasm}, "")
			}
			if isUsageError(errNew) {
				return errNew
			}
			if errOld != nil {
				fmt.Fprintf(opts.stderr, "binscope: %v\n", errOld)
			}
			if errNew != nil {
				fmt.Fprintf(opts.stderr, "binscope: %v\n", errNew)
			}
			if errOld != nil || errNew != nil {
				return errReported
			}
			d, err := diffInputs(old, new, diff.Options{MinDelta: min})
			if err != nil {
				return failure(err)
			}
			if new.compare != nil {
				newSide = new.compare
			} else {
				// The page draws modules and packages: NEW's symbols (with
				// --by symbol, all of them) would only make it large.
				s := *new.size
				s.Symbols, s.SymbolsPerPackage = nil, 0
				newSide = &s
			}
			if by == "symbol" && d.Kind == "size" && d.Symbols == nil {
				return failure(errors.New("diff --by symbol: a size report made without --by symbol has no symbols"))
			}
			return formats.emit(opts, d)
		},
	}
	formats.flag(cmd, opts)
	cmd.Flags().StringVar(&minDelta, "min-delta", "", "hide rows that changed by less than `SIZE` (1K, 10KB, 512)")
	cmd.Flags().StringVar(&by, "by", "", "show one view only: section, package, module or symbol (default: section, module and package)")
	completeValues(cmd, "by", "section", "package", "module", "symbol")
	arch.register(cmd)
	registerNoDisasm(cmd, &noDisasm)
	return cmd
}

// thinArch returns the architecture of one side of a diff when it is of
// one: a thin binary's, or a size report's (of a slice, or of a thin
// binary); "" for a universal binary, a compare report, or a file that
// does not read (its error comes when it is loaded).
func thinArch(path string) string {
	isJSON, err := looksLikeJSON(path)
	if err != nil {
		return ""
	}
	if isJSON {
		data, err := readLimited(path, maxReport, "report")
		if err != nil {
			return ""
		}
		_, size, _, err := report.Decode(data)
		if err != nil || size == nil {
			return ""
		}
		if size.Universal != nil {
			return size.Universal.Arch
		}
		return size.GOARCH
	}
	f, err := elfinfo.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if f.IsUniversal() {
		return ""
	}
	return f.Arch
}

// diffInput is one side of a diff: a size report (of a binary or read
// from JSON) or a compare report.
type diffInput struct {
	path    string
	size    *analyze.SizeReport
	compare *compare.Report
}

// loadDiffInput reads a binary or a JSON report. A file whose first byte
// other than white space opens a JSON object or array is taken for JSON;
// anything else for a binary. Errors name the file.
func loadDiffInput(path string, sopts analyze.SizeOptions, arch archFlag) (*diffInput, error) {
	isJSON, err := looksLikeJSON(path)
	if err != nil {
		return nil, err
	}
	if !isJSON {
		r, err := sizeOfFile(path, sopts, arch)
		if errors.Is(err, elfinfo.ErrUnrecognizedFormat) {
			// JSON that is not an object ("null", a string): say so.
			if data, rerr := readLimited(path, maxReport, "report"); rerr == nil && json.Valid(data) {
				_, _, _, err = report.Decode(data)
				return nil, fmt.Errorf("read %s: %w", path, err)
			}
		}
		if err != nil {
			return nil, err
		}
		return &diffInput{path: path, size: r}, nil
	}
	data, err := readLimited(path, maxReport, "report")
	if err != nil {
		return nil, err
	}
	kind, size, compare, err := report.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	in := &diffInput{path: path, size: size, compare: compare}
	if kind == report.Size && in.size.Path == "" {
		in.size.Path = path
	}
	return in, nil
}

// looksLikeJSON reports whether the first byte of the file other than
// JSON white space is '{' or '['.
func looksLikeJSON(path string) (bool, error) {
	fd, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer fd.Close()
	if st, err := fd.Stat(); err == nil && st.IsDir() {
		return false, &fs.PathError{Op: "open", Path: path, Err: errors.New("is a directory")}
	}
	br := bufio.NewReader(fd)
	for {
		c, err := br.ReadByte()
		switch {
		case errors.Is(err, io.EOF):
			return false, nil // empty: the binary reader says so
		case err != nil:
			return false, &fs.PathError{Op: "read", Path: path, Err: err}
		case !isJSONSpace(c):
			return c == '{' || c == '[', nil
		}
	}
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func diffInputs(old, new *diffInput, opts diff.Options) (*diff.Report, error) {
	switch {
	case old.compare != nil && new.compare != nil:
		return diff.Compare(old.compare, new.compare, old.path, new.path, opts), nil
	case old.size != nil && new.size != nil:
		d := diff.Sizes(old.size, new.size, opts)
		d.Old, d.New = old.path, new.path
		return d, nil
	case old.compare != nil:
		return nil, fmt.Errorf("diff: %s is a compare report and %s is not; diff two compare reports, or two binaries or size reports", old.path, new.path)
	default:
		return nil, fmt.Errorf("diff: %s is a compare report and %s is not; diff two compare reports, or two binaries or size reports", new.path, old.path)
	}
}
