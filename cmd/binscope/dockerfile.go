package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/binscope/binscope/analyze/dockercheck"
	"github.com/binscope/binscope/dockerfile"
	"github.com/binscope/binscope/internal/units"
	"github.com/binscope/binscope/pipeline"
	"github.com/spf13/cobra"
)

// dockerfileOptions are the dockerfile command's flags as given.
type dockerfileOptions struct {
	context   string
	buildArgs []string
	binary    string
	build     bool
}

func newDockerfileCmd(opts *globalOptions) *cobra.Command {
	do := &dockerfileOptions{}
	// annotationFile is the Dockerfile's path as annotations name it.
	var annotationFile string
	formats := formatsOf(
		func(w io.Writer, r *dockercheck.Report) error { renderDockerfileText(w, r); return nil },
		format[*dockercheck.Report]{"github", func(w io.Writer, r *dockercheck.Report) error {
			renderDockerfileGitHub(w, r, annotationFile)
			return nil
		}},
	)
	cmd := &cobra.Command{
		Use:   "dockerfile [FILE]",
		Short: "Check that a Dockerfile's go build fits the base image it ships on",
		Long: `Dockerfile reads a Dockerfile (default ./Dockerfile), follows its stages
(FROM … AS name, COPY --from), and for each go build line says what it will
produce: static or dynamic, stripped or not, with which tags. It then checks
the final stage against the base it stands on:

  error    a binary that links dynamically ends in scratch, distroless/static
           or alpine (it fails with "no such file or directory"); a COPY of a
           built binary without --from; shell-form CMD or RUN on a base
           without /bin/sh; a CMD on scratch naming a file nothing copies
  warning  CA certificates, zoneinfo or /etc/passwd the binary needs and
           the final stage lacks; a linkage binscope cannot tell; --build
           building with another Go than the builder image's
  note     a build without -ldflags="-s -w" (with the bytes it would save
           when a real binary is given); no USER; unpinned :latest bases;
           CA certificates the final stage lacks for a build that imports
           crypto/x509: unknown without --build, which checks whether the
           binary links the system root loading

Linkage is predicted honestly: cgo is off when the stage sets CGO_ENABLED=0
or its base has no C compiler (golang:*-alpine), and a pure-Go program links
statically even with cgo on; to know, binscope runs go list -deps in the
build context (--context, default the Dockerfile's folder) under the stage's
ENV and ARG values, and says "unknown" when it cannot.

--binary FILE checks a real binary instead of predicting from flags;
--build runs the Dockerfile's go build line (through the same builder as
compare) in the build context and checks what it produced. It builds with
this machine's Go (or GOTOOLCHAIN's), and says so when the builder image
(golang:1.19) names another version.

The exit status is 1 when an error is found, 0 otherwise. --format github
prints workflow annotations that point at the Dockerfile's lines, naming
it by its path from the repository root ($GITHUB_WORKSPACE, or the folder
holding .git).`,
		Example: `  binscope dockerfile
  binscope dockerfile --context . containers/Dockerfile
  binscope dockerfile --binary ./pomo Dockerfile.alpine
  binscope dockerfile --build --format github Dockerfile.scratch`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("dockerfile: want one FILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			file := "Dockerfile"
			if len(args) == 1 {
				file = args[0]
			}
			if err := formats.check(opts, file, do.binary); err != nil {
				return err
			}
			buildArgs, err := parseBuildArgs(do.buildArgs)
			if err != nil {
				return err
			}
			if do.build && do.binary != "" {
				return usageErrorf("dockerfile: --binary and --build exclude each other: check a binary you have, or let binscope build one")
			}
			report, err := runDockerfile(cmd.Context(), file, do, buildArgs, opts.env)
			if err != nil {
				return err
			}
			annotationFile, _ = annotationPath(file, opts.getenv)
			if err := formats.emit(opts, report); err != nil {
				return err
			}
			if report.Errors > 0 {
				return errReported
			}
			return nil
		},
	}
	formats.flag(cmd, opts)
	f := cmd.Flags()
	f.StringVar(&do.context, "context", "", "the build context `DIR` docker build is given (default: the Dockerfile's folder)")
	f.StringArrayVar(&do.buildArgs, "build-arg", nil, "set a build argument, as docker build does: `NAME=VALUE` (repeatable)")
	f.StringVar(&do.binary, "binary", "", "check this built `FILE` instead of predicting the binary from the go build line")
	f.BoolVar(&do.build, "build", false, "run the Dockerfile's go build line here (in the build context) and check the binary it makes")
	return cmd
}

// parseBuildArgs reads --build-arg values. The automatic platform
// arguments default to a Linux build for the machine binscope runs on.
func parseBuildArgs(list []string) (map[string]string, error) {
	args := map[string]string{
		"TARGETOS": "linux", "TARGETARCH": runtime.GOARCH, "TARGETPLATFORM": "linux/" + runtime.GOARCH,
		"BUILDOS": "linux", "BUILDARCH": runtime.GOARCH, "BUILDPLATFORM": "linux/" + runtime.GOARCH,
	}
	if err := parseAssignments("--build-arg", list, args); err != nil {
		return nil, err
	}
	return args, nil
}

// parseAssignments reads NAME=VALUE values of a repeatable flag into m.
func parseAssignments(flag string, list []string, m map[string]string) error {
	for _, a := range list {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return usageErrorf("invalid %s %q: want NAME=VALUE", flag, a)
		}
		m[k] = v
	}
	return nil
}

// maxDockerfile is the size past which a file is not taken for a
// Dockerfile, so that a wrong argument (a disk image, a log) is refused
// at once rather than read.
const maxDockerfile = dockerfile.MaxSize

// readDockerfile reads and parses the file, with errors that name it and
// say what is wrong in one line.
func readDockerfile(name string) (*dockerfile.File, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, unwrapPath(err))
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory (give the Dockerfile inside it)", name)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("open %s: not a regular file but %s", name, describeMode(st.Mode()))
	}
	if st.Size() > maxDockerfile {
		return nil, fmt.Errorf("%s: not a Dockerfile: %s is larger than any Dockerfile (limit %s)", name, units.HumanSize(st.Size()), units.HumanSize(maxDockerfile))
	}
	fd, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, unwrapPath(err))
	}
	defer fd.Close()
	df, err := dockerfile.Parse(fd)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return df, nil
}

// describeMode names the kind of a file that is not a regular one.
func describeMode(m os.FileMode) string {
	switch {
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "a special file (" + m.Type().String() + ")"
}

func runDockerfile(ctx context.Context, file string, do *dockerfileOptions, buildArgs map[string]string, env []string) (*dockercheck.Report, error) {
	df, err := readDockerfile(file)
	if err != nil {
		var se *dockerfile.SyntaxError
		if errors.As(err, &se) && se.NotDockerfile {
			return nil, failure(fmt.Errorf("%s: not a Dockerfile: %v", file, se))
		}
		return nil, failure(err)
	}
	plan := df.Evaluate(dockerfile.Options{BuildArgs: buildArgs})
	contextDir := do.context
	if contextDir == "" {
		contextDir = filepath.Dir(file)
	} else if st, err := os.Stat(contextDir); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return nil, failure(fmt.Errorf("--context %s: %v", contextDir, unwrapPath(err)))
	}
	report, err := pipeline.RunDockerfile(ctx, pipeline.DockerfileRequest{
		Path: file, Plan: plan, Context: contextDir, Binary: do.binary, Build: do.build,
	}, env)
	var be *pipeline.BuildError
	switch {
	case errors.As(err, &be):
		return nil, failure(fmt.Errorf("dockerfile: --build: %w", be.Err))
	case err != nil:
		return nil, failure(err)
	}
	return report, nil
}
