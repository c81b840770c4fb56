package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/analyze/dockercheck"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/dockerfile"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
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
           the final stage lacks; a linkage binscope cannot tell
  note     a build without -ldflags="-s -w" (with the bytes it would save
           when a real binary is given); no USER; unpinned :latest bases

Linkage is predicted honestly: cgo is off when the stage sets CGO_ENABLED=0
or its base has no C compiler (golang:*-alpine), and a pure-Go program links
statically even with cgo on; to know, binscope runs go list -deps in the
build context (--context, default the Dockerfile's folder) under the stage's
ENV and ARG values, and says "unknown" when it cannot.

--binary FILE checks a real binary instead of predicting from flags;
--build runs the Dockerfile's go build line (through the same builder as
compare) in the build context and checks what it produced.

The exit status is 1 when an error is found, 0 otherwise. --format github
prints workflow annotations that point at the Dockerfile's lines.`,
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
			if err := opts.checkFormat("text", "json", "github"); err != nil {
				return err
			}
			file := "Dockerfile"
			if len(args) == 1 {
				file = args[0]
			}
			buildArgs, err := parseBuildArgs(do.buildArgs)
			if err != nil {
				return err
			}
			if do.build && do.binary != "" {
				return usageErrorf("dockerfile: --binary and --build exclude each other: check a binary you have, or let binscope build one")
			}
			report, err := runDockerfile(cmd.Context(), file, do, buildArgs, opts)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			switch opts.format {
			case "json":
				err = writeJSON(&buf, report)
			case "github":
				renderDockerfileGitHub(&buf, report)
			default:
				renderDockerfileText(&buf, report)
			}
			if err != nil {
				return failure(err)
			}
			if err := opts.emit(&buf); err != nil {
				return err
			}
			if report.Errors > 0 {
				return errReported
			}
			return nil
		},
	}
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
	for _, a := range list {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, usageErrorf("invalid --build-arg %q: want NAME=VALUE", a)
		}
		args[k] = v
	}
	return args, nil
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

func runDockerfile(ctx context.Context, file string, do *dockerfileOptions, buildArgs map[string]string, opts *globalOptions) (*dockercheck.Report, error) {
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
	in := dockercheck.Input{Path: file, Context: contextDir, Plan: plan, BuiltFrom: -1}
	in.Probes = probeBuilds(ctx, plan, contextDir, opts)

	switch {
	case do.binary != "":
		f, err := elfinfo.Open(do.binary)
		if err != nil {
			return nil, failure(err)
		}
		defer f.Close()
		in.Binary, in.Source = f, "--binary"
		in.Funcs, in.FuncsErr = container.FuncNames(f)
	case do.build:
		path, name, command, idx, cleanup, err := buildFromDockerfile(ctx, plan, in.Probes, contextDir)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		f, err := elfinfo.Open(path)
		if err != nil {
			return nil, failure(err)
		}
		defer f.Close()
		// Name the binary as the Dockerfile does, not by its temporary path.
		in.Binary, in.Name, in.Source, in.BuiltFrom, in.BuildCommand = f, name, "--build", idx, command
		in.Funcs, in.FuncsErr = container.FuncNames(f)
	}
	return dockercheck.Check(in), nil
}

// probeDir finds the folder of the build context that a go build's
// directory holds, from the COPY lines that fill it: the first candidate
// that exists.
func probeDir(plan *dockerfile.Plan, i int, contextDir string) (string, []string) {
	g := plan.GoBuilds[i]
	cands := plan.ContextCandidates(g.Stage, g.Dir)
	for _, c := range cands {
		abs := filepath.Join(contextDir, filepath.FromSlash(c))
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			return abs, cands
		}
	}
	return "", cands
}

// goListEnv is the environment go list and go build run with for a
// Dockerfile's go build: the user's, with the stage's Go settings in place
// of the user's own, and no toolchain download.
func goListEnv(g dockerfile.GoBuild, cgo string) []string {
	override := map[string]bool{"CGO_ENABLED": true, "GOOS": true, "GOARCH": true, "GOARM": true, "GOAMD64": true,
		"GOEXPERIMENT": true, "GOFLAGS": true, "GOWORK": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !override[k] {
			env = append(env, kv)
		}
	}
	for _, k := range []string{"GOOS", "GOARCH", "GOARM", "GOAMD64", "GOEXPERIMENT"} {
		if v, ok := g.Env[k]; ok {
			env = append(env, k+"="+v)
		}
	}
	if v, ok := g.Env["GOFLAGS"]; ok {
		// -ldflags and -tags from GOFLAGS are read with the command line;
		// the rest (-mod=vendor, say) matters to go list too.
		var keep []string
		for _, f := range strings.Fields(v) {
			if !strings.HasPrefix(f, "-ldflags") && !strings.HasPrefix(f, "-tags") {
				keep = append(keep, f)
			}
		}
		env = append(env, "GOFLAGS="+strings.Join(keep, " "))
	}
	if os.Getenv("GOTOOLCHAIN") == "" {
		env = append(env, "GOTOOLCHAIN=local")
	}
	return append(env, "GOWORK=off", "CGO_ENABLED="+cgo)
}

// probeBuilds runs go list -deps for each go build whose sources the
// build context holds, with cgo on unless the stage turns it off, to learn
// which packages use cgo and which the binary links.
func probeBuilds(ctx context.Context, plan *dockerfile.Plan, contextDir string, opts *globalOptions) []*dockercheck.Probe {
	probes := make([]*dockercheck.Probe, len(plan.GoBuilds))
	if len(plan.GoBuilds) == 0 {
		return probes
	}
	if _, err := exec.LookPath("go"); err != nil {
		for i := range probes {
			probes[i] = &dockercheck.Probe{Err: "the go command is not installed"}
		}
		return probes
	}
	for i, g := range plan.GoBuilds {
		dir, cands := probeDir(plan, i, contextDir)
		if dir == "" {
			msg := fmt.Sprintf("the build context %s has no folder for %s", contextDir, g.Dir)
			if len(cands) > 0 {
				msg += " (the COPY lines put " + strings.Join(cands, " or ") + " there)"
			} else {
				msg += " (no COPY from the build context fills it)"
			}
			probes[i] = &dockercheck.Probe{Err: msg}
			continue
		}
		if len(g.Packages) > 1 {
			probes[i] = &dockercheck.Probe{Err: "the line builds several packages"}
			continue
		}
		pkg := ""
		if len(g.Packages) == 1 {
			pkg = g.Packages[0]
		}
		cgo := "1"
		if g.Env["CGO_ENABLED"] == "0" {
			cgo = "0"
		}
		lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		deps, err := buildmatrix.ListDeps(lctx, "go", dir, goListEnv(g, cgo), g.Tags, pkg)
		cancel()
		if err != nil {
			probes[i] = &dockercheck.Probe{Err: strings.ReplaceAll(buildmatrix.LastLines(err.Error(), 3), "\n", "; ")}
			continue
		}
		probes[i] = &dockercheck.Probe{ImportPath: deps.ImportPath, Deps: deps.Deps, Cgo: deps.Cgo}
	}
	return probes
}

// buildFromDockerfile runs the go build line whose binary reaches the
// final stage (the only go build, or the first that reaches it) through
// buildmatrix, in the build context, and returns the binary's path, the
// name the Dockerfile gives it, the command that built it (run in dir), the
// build's index and a function that removes the binary.
func buildFromDockerfile(ctx context.Context, plan *dockerfile.Plan, probes []*dockercheck.Probe, contextDir string) (path, name, command string, idx int, cleanup func(), err error) {
	nothing := func() {}
	if len(plan.GoBuilds) == 0 {
		return "", "", "", -1, nothing, failure(errors.New("dockerfile: --build: the Dockerfile has no go build line to run (check a binary with --binary FILE)"))
	}
	// Predict without a binary to learn which build reaches the final
	// stage and whether its cgo is on.
	pre := dockercheck.Check(dockercheck.Input{Plan: plan, Probes: probes, BuiltFrom: -1})
	idx = 0
	for i, b := range pre.Builds {
		if b.FinalPath != "" {
			idx = i
			break
		}
	}
	g := plan.GoBuilds[idx]
	d := pre.Builds[idx]
	dir, cands := probeDir(plan, idx, contextDir)
	if dir == "" {
		return "", "", "", idx, nothing, failure(fmt.Errorf("dockerfile: --build: the build context %s has no folder for %s (line %d; looked for %s)",
			contextDir, g.Dir, g.Line, orNone(strings.Join(cands, ", "))))
	}
	if len(g.Packages) > 1 {
		return "", "", "", idx, nothing, failure(fmt.Errorf("dockerfile: --build: line %d builds several packages", g.Line))
	}
	if len(g.Packages) == 1 {
		p := g.Packages[0]
		if !strings.HasPrefix(p, ".") {
			return "", "", "", idx, nothing, failure(fmt.Errorf("dockerfile: --build: line %d builds %s by import path; --build runs folder builds only (check the binary with --binary)", g.Line, p))
		}
		dir = filepath.Join(dir, filepath.FromSlash(p))
	}
	tmp, err := os.MkdirTemp("", "binscope-dockerfile-")
	if err != nil {
		return "", "", "", idx, nothing, failure(err)
	}
	cleanup = func() { os.RemoveAll(tmp) }
	env := goListEnv(g, "")
	env = slices.DeleteFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "CGO_ENABLED=") })
	goenv, err := buildmatrix.ReadGoEnv(ctx, "go", dir, env)
	if err != nil {
		cleanup()
		return "", "", "", idx, nothing, failure(fmt.Errorf("dockerfile: --build: %w", err))
	}
	cgo := goenv.CGOEnabled()
	switch d.Cgo {
	case dockercheck.CgoOn:
		cgo = true
	case dockercheck.CgoOff:
		cgo = false
	}
	var extra []string
	for _, w := range g.LDFlags {
		if w != "-s" && w != "-w" {
			extra = append(extra, w)
		}
	}
	goos, goarch := cmp.Or(g.Env["GOOS"], goenv.Get("GOOS")), cmp.Or(g.Env["GOARCH"], goenv.Get("GOARCH"))
	name = filepath.Base(d.Output)
	bp := &buildmatrix.Plan{
		GoCmd: "go", Dir: dir, Env: env, GoEnv: goenv, Binary: name,
		Settings: buildmatrix.Settings{LDFlags: strings.Join(extra, " "), Trimpath: g.Trimpath, BuildMode: g.BuildMode},
		OutDir:   tmp, TempDir: tmp,
	}
	c := buildmatrix.Combination{CGO: cgo, GOOS: goos, GOARCH: goarch, Strip: g.StripsSymbols(), Tags: buildmatrix.NormalizeTags(g.Tags)}
	command = "cd " + buildmatrix.ShellQuote(dir) + " && " + bp.CommandLine(c)
	res, err := bp.Build(ctx, c)
	if err != nil {
		cleanup()
		return "", "", "", idx, nothing, failure(fmt.Errorf("dockerfile: --build: %w", err))
	}
	if res.Status != buildmatrix.StatusOK {
		cleanup()
		return "", "", "", idx, nothing, failure(fmt.Errorf("dockerfile: --build: the go build of line %d %s: %s", g.Line, res.Status, res.Reason))
	}
	return res.Path, name, command, idx, cleanup, nil
}
