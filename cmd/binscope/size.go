package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/spf13/cobra"
)

// defaultSymbolTop is how many symbols the symbol view shows when --top
// is not given: a symbol table has tens of thousands.
const defaultSymbolTop = 30

type sizeFlags struct {
	by       string
	top      int
	perPkg   int // --symbols-per-package
	arch     archFlag
	noDisasm bool
}

func (s *sizeFlags) check(cmd *cobra.Command, format string) error {
	switch s.by {
	case "section", "package", "module", "symbol":
	default:
		return usageErrorf("invalid --by %q: want section, package, module or symbol", s.by)
	}
	if s.top < 0 {
		return usageErrorf("invalid --top %d: want a number of rows, 0 for all", s.top)
	}
	if s.by == "symbol" && !cmd.Flags().Changed("top") {
		s.top = defaultSymbolTop
	}
	if s.perPkg < 0 {
		return usageErrorf("invalid --symbols-per-package %d: want a number of symbols, 0 for all", s.perPkg)
	}
	if cmd.Flags().Changed("symbols-per-package") && s.by != "symbol" && format != "html" {
		return usageErrorf("--symbols-per-package trims the symbol view: use it with --by symbol or --format html")
	}
	return nil
}

// options are the size options the command's flags ask for. The HTML
// report has the symbols, as many of each package as
// --symbols-per-package says (htmlSymbolsPerPackage when not given).
func (s *sizeFlags) options(cmd *cobra.Command, format string) analyze.SizeOptions {
	o := analyze.SizeOptions{Symbols: s.by == "symbol", SymbolsPerPackage: s.perPkg, NoCodeRefs: s.noDisasm}
	if format == "html" {
		o.Symbols = true
		if !cmd.Flags().Changed("symbols-per-package") {
			o.SymbolsPerPackage = htmlSymbolsPerPackage
		}
	}
	return o
}

func newSizeCmd(opts *globalOptions) *cobra.Command {
	var sf sizeFlags
	formats := formatsOf(
		func(w io.Writer, r *analyze.SizeReport) error {
			return renderSizeText(w, r, sf.by, sf.top, opts.width())
		},
		format[*analyze.SizeReport]{"csv", func(w io.Writer, r *analyze.SizeReport) error { return renderSizeCSV(w, r, sf.by) }},
		format[*analyze.SizeReport]{"svg", renderSizeSVG},
		format[*analyze.SizeReport]{"html", renderSizeHTML},
	)
	cmd := &cobra.Command{
		Use:   "size FILE",
		Short: "Show where the bytes of a binary go: by section, package, module or symbol",
		Long: `Size attributes every byte of a binary to a section, and every byte of the
file to exactly one row of the package view: a Go package, C (cgo and libc
code), <generated> (compiler- and linker-made code and data whose package
cannot be told), or one of the fixed rows "debug info", "symbol table",
"headers and padding", the linker tables ("dynamic linking", "relocations",
"unwind tables": the loader's and the unwinder's, in every format) and
"unattributed", what binscope cannot tell. Packages roll up to modules with
the build info; the module view carries the same non-package rows, so both
views sum to the file size.

Code comes from the Go function table (pclntab), which survives -s -w and
strip, so per-package code is the same for stripped and unstripped builds.
Data goes by evidence: symbols; DWARF's variables; type descriptors, found
through the runtime's moduledata, to the package that defines them; and
the data that each function's machine code (amd64, arm64) and each known
piece of data points at, to its package. The ESTIMATED column is what is
left to heuristics: data nothing points at, shared out in proportion to
code; tables shared by several packages, split evenly; symbol sizes
inferred from the next symbol (Mach-O, PE); C code told by elimination.
JSON gives each row's bytes by kind of evidence. --no-disasm skips the
machine code (faster; its data is then estimated).
Coverage is attributed / (attributed + unattributed): the share of the bytes
that are in no fixed row but unattributed. See docs/size.md.

--top N keeps the N largest rows in text and sums the rest in one row;
JSON and CSV always carry every row (JSON the symbols only with --by
symbol).

--format html writes one self-contained page that works from file://: a
zoomable treemap (modules, packages, each package's largest symbols and
the rest of it), a breadcrumb, tooltips with exact bytes and their
evidence, a search box and a sortable table. It embeds the report as
--format json --by symbol --symbols-per-package 20 writes it.

--format svg draws the package view as a static treemap, modules and
their packages, area by file bytes, coloured by kind (code, function
table, data, debug info, symbol table, dynamic linking), estimated bytes
hatched, with no script: for a README or a pull-request comment.

A macOS universal binary is sized one slice at a time: --arch picks it
(default: this machine's architecture when the binary has it, else the
first slice). The report names the slice and its size among the file's;
the fat header and the padding between slices are in no slice.`,
		Example: `  binscope size ./pomo
  binscope size --by module ./pomo
  binscope size --by symbol --top 20 ./pomo
  binscope size --format json -o size.json ./pomo
  binscope size --arch arm64 ./pomo-universal`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("size: want exactly one FILE, got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts, args...); err != nil {
				return err
			}
			if err := sf.check(cmd, opts.format); err != nil {
				return err
			}
			defer opts.boundMemory(args[0])()
			report, err := sizeOfFile(args[0], sf.options(cmd, opts.format), sf.arch)
			if err != nil {
				return failureOr(err)
			}
			return formats.emit(opts, report)
		},
	}
	formats.flag(cmd, opts)
	cmd.Flags().StringVar(&sf.by, "by", "package", "view: section, package, module or symbol")
	completeValues(cmd, "by", "section", "package", "module", "symbol")
	cmd.Flags().IntVar(&sf.top, "top", 0, "show the `N` largest rows and sum the rest in one (0: all; symbol view: "+strconv.Itoa(defaultSymbolTop)+")")
	cmd.Flags().IntVar(&sf.perPkg, "symbols-per-package", 0, "keep in the symbol view only the `N` largest symbols of each package (0: all; --format html: "+strconv.Itoa(htmlSymbolsPerPackage)+")")
	sf.arch.register(cmd)
	registerNoDisasm(cmd, &sf.noDisasm)
	return cmd
}

// registerNoDisasm adds --no-disasm, which size and diff share.
func registerNoDisasm(cmd *cobra.Command, v *bool) {
	cmd.Flags().BoolVar(v, "no-disasm", false, "do not read the machine code for the data it names: faster, and that data is then estimated")
}

// sizeOfFile opens a binary and attributes its bytes, those of the slice
// arch picks for a universal binary. Errors name the file; a slice the
// binary lacks is a usage error.
func sizeOfFile(path string, sopts analyze.SizeOptions, arch archFlag) (*analyze.SizeReport, error) {
	f, err := elfinfo.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	slice, err := arch.pick(f)
	if err != nil {
		return nil, err
	}
	r, err := analyze.SizeOf(slice, sopts)
	if err != nil {
		return nil, fmt.Errorf("size %s: %w", path, err)
	}
	return r, nil
}
