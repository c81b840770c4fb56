package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// globalOptions are the flags every command shares, and the world the
// command runs in: its streams and its environment.
type globalOptions struct {
	format  string
	output  string
	noColor bool
	wide    bool

	stdout, stderr io.Writer
	// env is the environment binscope was started with, as os.Environ
	// returns it; commands read it here, never from the process, and
	// hand it to the builds they run.
	env []string
}

// getenv returns the value of key in the command's environment: the last
// one, as the go command and the C library take it.
func (o *globalOptions) getenv(key string) string {
	for i := len(o.env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(o.env[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// run is binscope: it runs the command line args in the environment env
// (KEY=VALUE entries), writes to stdout and stderr, and returns the exit
// status.
func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) int {
	opts := &globalOptions{stdout: stdout, stderr: stderr, env: env}
	root := newRootCmd(opts)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, runErr := root.ExecuteContextC(ctx)
	code, err, hint := exitCode(runErr)
	if err != nil {
		fmt.Fprintf(stderr, "binscope: %v\n", err)
		if hint {
			// The help of the command that refused, not the root's.
			path := "binscope"
			if cmd != nil {
				path = cmd.CommandPath()
			}
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
		}
	}
	return code
}

// plainFlagError says what is wrong with a flag's value in words, not in
// strconv's ("strconv.ParseInt: parsing "9999…": value out of range").
func plainFlagError(err error) error {
	var iv *pflag.InvalidValueError
	var ne *strconv.NumError
	if !errors.As(err, &iv) || !errors.As(err, &ne) {
		return err
	}
	why := "not a number"
	if errors.Is(ne.Err, strconv.ErrRange) {
		why = "out of range"
	}
	if ne.Func == "ParseBool" {
		why = "want true or false"
	}
	return fmt.Errorf("invalid --%s value %q: %s", iv.GetFlag().Name, iv.GetValue(), why)
}

func newRootCmd(opts *globalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "binscope",
		Short: "What is my Go binary, where do its bytes go, and what does each build option do to it?",
		Long: `binscope tells Go developers what their binary is, where its bytes go, and
what each build option does to it: inspect a binary (ELF, Mach-O, PE, WebAssembly), compare
the builds of a matrix of options, see where the bytes go (size, diff), hold
binaries to size budgets in CI (check), and check container readiness
(inspect, dockerfile).

Exit status: 0 success; 1 the command ran but failed or found a problem
(a missing or malformed input, a failed build, a failed budget); 2 the
command line or a config file could not be understood.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Without this cobra accepts "binscope nonsense" and prints help.
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: plainFlagError(err), hint: true}
	})
	// --version prints what the version command prints as text. Not
	// cobra's Version field: its template runs through text/template,
	// whose reflection keeps every exported method in the binary (+1.8M
	// stripped, measured with binscope diff).
	var showVersion bool
	root.Flags().BoolVar(&showVersion, "version", false, "print binscope's version, as binscope version does")
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if showVersion {
			_, err := io.WriteString(opts.stdout, versionText(versionInfo()))
			return err
		}
		return cmd.Help()
	}
	pf := root.PersistentFlags()
	// Each command defines --format again from its table of renderers
	// (formats.flag), with the values it takes; this one is for --help
	// of binscope itself.
	pf.StringVar(&opts.format, "format", "text", "output format: text or json (some commands add more; see a command's --help)")
	pf.StringVarP(&opts.output, "output", "o", "", "write the result to `FILE` (atomically; never over one of the command's inputs) instead of standard output")
	pf.BoolVar(&opts.noColor, "no-color", false, "never color the output (also when NO_COLOR is set)")
	pf.BoolVar(&opts.wide, "wide", false, "on a terminal, print tables whole instead of fitting them to its width")

	root.AddCommand(
		newInspectCmd(opts),
		newSizeCmd(opts),
		newDiffCmd(opts),
		newCompareCmd(opts), newMergeCmd(opts),
		newCheckCmd(opts), newCICmd(opts),
		newWhyCmd(opts), newAdviseCmd(opts),
		newVersionCmd(opts),
		newDockerfileCmd(opts),
	)
	return root
}

// color reports whether output may carry ANSI colors: on a terminal, or
// where CLICOLOR_FORCE is set (https://bixense.com/clicolors/); never with
// --no-color or NO_COLOR (https://no-color.org/), never into a file (-o)
// and never in a machine-readable format.
func (o *globalOptions) color() bool {
	if o.noColor || o.getenv("NO_COLOR") != "" || o.output != "" || o.format != "text" {
		return false
	}
	if f := o.getenv("CLICOLOR_FORCE"); f != "" && f != "0" {
		return true
	}
	return isTerminal(o.stdout)
}

// palette returns the colors the text renderers may use and the width
// they fit.
func (o *globalOptions) palette() palette { return palette{on: o.color(), width: o.width()} }

// width is the number of columns text output must fit: the terminal's
// when standard output is one, else 0, no limit: into a pipe or a file
// (-o), with --wide, and in formats read by programs, output is whole.
// Markdown on a terminal is fitted too; written to a file it is not.
func (o *globalOptions) width() int {
	if o.wide || (o.output != "" && o.output != "-") || (o.format != "text" && o.format != "markdown") || !isTerminal(o.stdout) {
		return 0
	}
	return screenColumns(o.stdout, o.getenv)
}

// isTerminal reports whether w is a character device, such as a terminal.
// A Stat of the file is all the test needs; it spares a dependency.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// emit writes a rendered result to standard output, or with -o to the
// named file: written to a temporary file in the same folder and renamed
// over the target, so that a reader never sees half a report.
func (o *globalOptions) emit(buf *bytes.Buffer) error {
	if o.output == "" || o.output == "-" {
		_, err := o.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(o.output, buf.Bytes()); err != nil {
		return failure(err)
	}
	return nil
}

// syncFile flushes a file to its disk; a variable so that a test can see
// that writeFileAtomic calls it.
var syncFile = (*os.File).Sync

func writeFileAtomic(name string, data []byte) error {
	// A device or a pipe (-o /dev/null, -o /dev/stderr) is written in
	// place: renaming a file over it would replace the device.
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return fmt.Errorf("write %s: is a directory", name)
		}
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("write %s: %w", name, unwrapPath(err))
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", name, unwrapPath(err))
		}
		return nil
	}
	// filepath, not a split at / or \: on Linux a backslash is part of a
	// file name (-o 'rep\ort.txt').
	dir, base := filepath.Split(name)
	if base == "" {
		return fmt.Errorf("write %s: is a directory", name)
	}
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	_, err = tmp.Write(data)
	if err == nil {
		// The data reaches the disk before the rename makes it the
		// file: a crash leaves the old file or the new one, never an
		// empty one under the new name.
		err = syncFile(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// CreateTemp makes the file 0600; a report is for anyone to read.
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err == nil {
		// The rename itself reaches the disk with the folder; a folder
		// that cannot be synced (some file systems refuse) is no error.
		if d, derr := os.Open(dir); derr == nil {
			d.Sync()
			d.Close()
		}
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the operation and path of an *os.PathError or
// *os.LinkError, so that messages name the user's file once.
func unwrapPath(err error) error {
	switch e := err.(type) {
	case *os.PathError:
		return e.Err
	case *os.LinkError:
		return e.Err
	}
	return err
}
