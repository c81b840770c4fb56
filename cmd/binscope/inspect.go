package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/elfinfo"
	"github.com/spf13/cobra"
)

func newInspectCmd(opts *globalOptions) *cobra.Command {
	var base string
	var envs []string
	formats := formatsOf(func(w io.Writer, r *analyze.InspectReport) error {
		return renderInspectText(w, r, opts.palette())
	})
	cmd := &cobra.Command{
		Use:   "inspect FILE...",
		Short: "Tell what a binary is: format, linkage, stripping, hardening, Go build info",
		Long: `Inspect reads ELF, Mach-O, PE and WebAssembly binaries and reports what each
one is: format, architecture and type (and a WebAssembly module's imports
and exports); static, static-pie or dynamic linkage with the
interpreter and needed libraries; stripped or not, and with debug info or not,
judged exactly as file(1) 5.44 judges them; hardening (PIE, RELRO, NX stack,
BIND_NOW); the Go build info; and the sections with their kinds and sizes.

For Linux binaries it also says whether each common container base
(scratch, distroless, alpine, Debian, Ubuntu) can run it: ready, needs
files (CA certificates, zoneinfo, /etc/passwd, /tmp, told from the Go
function table, so stripped builds are judged alike) or will not start
(the dynamic loader, a library or the glibc version is missing), with the
fix. --base NAME shows one base only. --env NAME=VALUE judges a container
run with that variable set, as docker run -e sets it: TZ=Europe/Paris makes
zoneinfo a need of every program that uses time.Local.

A bad input is reported on its own line and the others are still inspected;
the exit status is then 1.`,
		Example: `  binscope inspect ./pomo
  binscope inspect --base scratch ./pomo
  binscope inspect --format json ./bin/* -o inspect.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("inspect: no FILE given")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts, args...); err != nil {
				return err
			}
			if err := checkBase(base); err != nil {
				return err
			}
			env, err := parseEnv(envs)
			if err != nil {
				return err
			}
			report := inspectFiles(args, opts, env)
			limitContainer(report.Binaries, base)
			if err := formats.emit(opts, report); err != nil {
				return err
			}
			if len(report.Errors) > 0 {
				return errReported
			}
			return nil
		},
	}
	formats.flag(cmd, opts)
	cmd.Flags().StringVar(&base, "base", "", "show container readiness for one base `NAME` only: "+strings.Join(container.BaseKeys(), ", "))
	completeValues(cmd, "base", container.BaseKeys()...)
	cmd.Flags().StringArrayVar(&envs, "env", nil, "judge readiness for a container run with `NAME=VALUE` in its environment (repeatable), as docker run -e")
	return cmd
}

// parseEnv reads --env NAME=VALUE flags.
func parseEnv(envs []string) (container.Env, error) {
	if len(envs) == 0 {
		return nil, nil
	}
	env := container.Env{}
	if err := parseAssignments("--env", envs, env); err != nil {
		return nil, err
	}
	return env, nil
}

// inspectFiles reads each file, reporting each failure on stderr as it
// goes, and returns the report of all of them.
func inspectFiles(paths []string, opts *globalOptions, env container.Env) *analyze.InspectReport {
	report := &analyze.InspectReport{
		SchemaVersion: analyze.SchemaVersion,
		Binaries:      []analyze.Binary{},
		Errors:        []analyze.FileError{},
	}
	for _, p := range paths {
		f, err := elfinfo.Open(p)
		if err != nil {
			fmt.Fprintf(opts.stderr, "binscope: %v\n", err)
			report.Errors = append(report.Errors, analyze.FileError{Path: p, Error: err.Error()})
			continue
		}
		report.Binaries = append(report.Binaries, analyze.NewBinaryEnv(f, env))
		f.Close() // every fact inspect shows has been read
	}
	return report
}
