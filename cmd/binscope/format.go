package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// A format is one way to render a report of type R: the renderer that
// --format NAME picks.
type format[R any] struct {
	name   string
	render func(w io.Writer, r R) error
}

// formats is the table of a report's renderers, in the order --format's
// help lists them. Each command makes its table once, in its constructor;
// the renderers are closures, so they see the command's other flags
// (--by, --top) as parsed. Adding a format to a report (html, svg) is one
// entry of its table.
type formats[R any] []format[R]

// formatsOf returns the table of a report rendered as text by text: text
// first, then json, which every report has (the report value itself),
// then the report's others.
func formatsOf[R any](text func(io.Writer, R) error, more ...format[R]) formats[R] {
	fs := formats[R]{{"text", text}, {"json", func(w io.Writer, r R) error { return writeJSON(w, r) }}}
	return append(fs, more...)
}

// names lists the formats in table order.
func (fs formats[R]) names() []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

// flag defines the command's --format from the table: its allowed values
// and its help. It shares its value with the root's persistent --format,
// so `binscope --format json inspect x` and `binscope inspect --format
// json x` mean the same.
func (fs formats[R]) flag(cmd *cobra.Command, opts *globalOptions) {
	cmd.Flags().StringVar(&opts.format, "format", "text", "output `FORMAT`: "+strings.Join(fs.names(), ", "))
	completeValues(cmd, "format", fs.names()...)
}

// check fails with a usage error unless --format names an entry of the
// table and -o can be written without harm: its folder exists, and it is
// none of inputs, the files the command reads. Commands call it before any
// work, so that a typo costs no build and a report never replaces the
// binary it describes.
func (fs formats[R]) check(opts *globalOptions, inputs ...string) error {
	if !slices.Contains(fs.names(), opts.format) {
		return usageErrorf("invalid --format %q: want %s", opts.format, strings.Join(fs.names(), ", "))
	}
	return checkOutput(opts.output, inputs)
}

// checkOutput refuses an -o that cannot be right, before any work: one of
// the command's inputs (a usage error, status 2), or a place no file can
// be written, a missing folder or a folder itself (a failure, status 1, as
// when the write itself fails).
func checkOutput(out string, inputs []string) error {
	if out == "" || out == "-" {
		return nil
	}
	if st, err := os.Stat(filepath.Dir(out)); err != nil || !st.IsDir() {
		return failure(fmt.Errorf("write %s: no such file or directory", out))
	}
	st, err := os.Stat(out)
	if err != nil {
		return nil // a new file
	}
	if st.IsDir() {
		return failure(fmt.Errorf("write %s: is a directory", out))
	}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
			return usageErrorf("invalid -o %q: it is %s, an input of this command; binscope never overwrites its input", out, in)
		}
	}
	return nil
}

// emit renders r in the format --format names and writes it where -o
// says (standard output by default).
func (fs formats[R]) emit(opts *globalOptions, r R) error {
	i := slices.IndexFunc(fs, func(f format[R]) bool { return f.name == opts.format })
	if i < 0 {
		return fs.check(opts)
	}
	var buf bytes.Buffer
	if err := fs[i].render(&buf, r); err != nil {
		return failure(err)
	}
	if width := opts.width(); width > 0 {
		buf = *bytes.NewBufferString(wrapLines(buf.String(), width))
	}
	return opts.emit(&buf)
}

// writeJSON writes v as binscope writes every JSON report: indented by two
// spaces, with <, > and & as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
