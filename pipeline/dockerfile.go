package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/analyze/dockercheck"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/dockerfile"
	"github.com/binscope/binscope/elfinfo"
)

// DockerfileRequest is a Dockerfile to check against the bases it ships
// on.
type DockerfileRequest struct {
	Path    string           // the Dockerfile, as the report names it
	Plan    *dockerfile.Plan // its stages, evaluated with the build arguments
	Context string           // the build context folder
	// Binary, when set, is a built binary to check instead of predicting
	// one from the go build line's flags.
	Binary string
	// Build runs the go build line whose binary reaches the final stage,
	// in the build context, and checks what it made.
	Build bool
}

// BuildError is the failure of RunDockerfile's build of the Dockerfile's
// go build line (DockerfileRequest.Build).
type BuildError struct{ Err error }

func (e *BuildError) Error() string { return e.Err.Error() }

func (e *BuildError) Unwrap() error { return e.Err }

// RunDockerfile checks the Dockerfile req names, with env as the
// environment of the go commands it runs: go list -deps for each go build
// whose sources the build context holds (to learn which packages use cgo
// and which the binary links), and with req.Build the go build itself.
// An error is one of opening req.Binary, or a *BuildError.
func RunDockerfile(ctx context.Context, req DockerfileRequest, env []string) (*dockercheck.Report, error) {
	in := dockercheck.Input{Path: req.Path, Context: req.Context, Plan: req.Plan, BuiltFrom: -1}
	in.Probes = probeBuilds(ctx, req.Plan, req.Context, env)
	switch {
	case req.Binary != "":
		f, err := elfinfo.Open(req.Binary)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in.Binary, in.Source = f, "--binary"
		in.Funcs, in.FuncsErr = container.FuncNames(f)
	case req.Build:
		b, err := buildFromDockerfile(ctx, req.Plan, in.Probes, req.Context, env)
		if err != nil {
			return nil, &BuildError{Err: err}
		}
		defer b.cleanup()
		f, err := elfinfo.Open(b.path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		// Name the binary as the Dockerfile does, not by its temporary path.
		in.Binary, in.Name, in.Source, in.BuiltFrom, in.BuildCommand = f, b.name, "--build", b.index, b.command
		in.BuiltCgo, in.BuiltCgoStubs = b.cgo, b.cgoStubs
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
// Dockerfile's go build: env, with the stage's Go settings in place of
// the user's own, and no toolchain download.
func goListEnv(g dockerfile.GoBuild, env []string, cgo string) []string {
	override := map[string]bool{"CGO_ENABLED": true, "GOOS": true, "GOARCH": true, "GOARM": true, "GOAMD64": true,
		"GOEXPERIMENT": true, "GOFLAGS": true, "GOWORK": true}
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if !override[k] {
			out = append(out, kv)
		}
	}
	for _, k := range []string{"GOOS", "GOARCH", "GOARM", "GOAMD64", "GOEXPERIMENT"} {
		if v, ok := g.Env[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	if v, ok := g.Env["GOFLAGS"]; ok {
		// -ldflags and -tags from GOFLAGS are read with the command line;
		// the rest (-mod=vendor, say) matters to go list too. GOFLAGS is
		// split at blanks, as the go command splits it.
		var keep []string
		for _, f := range strings.Fields(v) {
			if !strings.HasPrefix(f, "-ldflags") && !strings.HasPrefix(f, "-tags") {
				keep = append(keep, f)
			}
		}
		out = append(out, "GOFLAGS="+strings.Join(keep, " "))
	}
	if getenv(env, "GOTOOLCHAIN") == "" {
		out = append(out, "GOTOOLCHAIN=local")
	}
	return append(out, "GOWORK=off", "CGO_ENABLED="+cgo)
}

// probeBuilds runs go list -deps for each go build whose sources the
// build context holds, with cgo on unless the stage turns it off, to learn
// which packages use cgo and which the binary links.
func probeBuilds(ctx context.Context, plan *dockerfile.Plan, contextDir string, env []string) []*dockercheck.Probe {
	probes := make([]*dockercheck.Probe, len(plan.GoBuilds))
	if len(plan.GoBuilds) == 0 {
		return probes
	}
	if err := buildmatrix.LookPath(goCmd); err != nil {
		for i := range probes {
			probes[i] = &dockercheck.Probe{Err: ErrNoGo.Error()}
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
		probes[i] = probe(ctx, g, dir, pkg, env)
	}
	return probes
}

// probe lists one go build's packages as the stage sets cgo, and with
// cgo on and off where that can differ: with CGO_ENABLED=0, the list with
// cgo off is the probe's and the one with cgo on finds the packages it
// compiles from a !cgo fallback; with CGO_ENABLED unset, whether cgo is
// on is decided later (a builder without gcc, cross-compiling), so the
// probe is the list with cgo on and carries the one with cgo off. With
// CGO_ENABLED=1, or for a platform without cgo, one list is enough.
func probe(ctx context.Context, g dockerfile.GoBuild, dir, pkg string, env []string) *dockercheck.Probe {
	list := func(cgo string) (*buildmatrix.PackageDeps, error) {
		lctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		return buildmatrix.ListDeps(lctx, goCmd, dir, goListEnv(g, env, cgo), g.Tags, pkg)
	}
	failed := func(err error) *dockercheck.Probe {
		return &dockercheck.Probe{Err: strings.ReplaceAll(buildmatrix.LastLines(err.Error(), 3), "\n", "; ")}
	}
	of := func(d *buildmatrix.PackageDeps) *dockercheck.Probe {
		return &dockercheck.Probe{ImportPath: d.ImportPath, Deps: d.Deps, Cgo: d.Cgo}
	}
	stubs := func(on, off *buildmatrix.PackageDeps) []string {
		return append([]string{}, buildmatrix.StubPackages(on, off)...)
	}
	cgoVar := g.Env["CGO_ENABLED"]
	one := cgoVar == "1" || !buildmatrix.CgoSupported(buildmatrix.Platform{GOOS: g.Env["GOOS"], GOARCH: g.Env["GOARCH"]})
	if one {
		cgo := "1"
		if cgoVar == "0" {
			cgo = "0"
		}
		d, err := list(cgo)
		if err != nil {
			return failed(err)
		}
		return of(d)
	}
	on, onErr := list("1")
	if onErr != nil && cgoVar != "0" {
		return failed(onErr)
	}
	off, offErr := list("0")
	if cgoVar == "0" {
		if offErr != nil {
			return failed(offErr)
		}
		p := of(off)
		if onErr == nil {
			p.CgoStubs = stubs(on, off)
		}
		return p
	}
	p := of(on)
	if offErr == nil {
		p.Off, p.CgoStubs = of(off), stubs(on, off)
	}
	return p
}

// dockerBuild is the binary buildFromDockerfile made.
type dockerBuild struct {
	path    string // where it is
	name    string // the name the Dockerfile gives it
	command string // the command that built it, run in the build's folder
	index   int    // the go build line's index in the plan
	// cgo tells whether it was built with cgo on, and cgoStubs the
	// packages it compiled without their C code.
	cgo      bool
	cgoStubs []string
	cleanup  func() // removes it
}

// buildFromDockerfile runs the go build line whose binary reaches the
// final stage (the only go build, or the first that reaches it) through
// buildmatrix, in the build context.
func buildFromDockerfile(ctx context.Context, plan *dockerfile.Plan, probes []*dockercheck.Probe, contextDir string, env []string) (*dockerBuild, error) {
	if len(plan.GoBuilds) == 0 {
		return nil, errors.New("the Dockerfile has no go build line to run (check a binary with --binary FILE)")
	}
	// Predict without a binary to learn which build reaches the final
	// stage and whether its cgo is on.
	pre := dockercheck.Check(dockercheck.Input{Plan: plan, Probes: probes, BuiltFrom: -1})
	idx := 0
	for i, b := range pre.Builds {
		if b.FinalPath != "" {
			idx = i
			break
		}
	}
	g := plan.GoBuilds[idx]
	d := pre.Builds[idx]
	if len(g.Packages) > 1 {
		return nil, fmt.Errorf("line %d builds several packages", g.Line)
	}
	// The package as the go command takes it: a folder of the build
	// context, an import path resolved in the go build's folder, or
	// pkg@version, built in a temporary module as go install builds it.
	pkg, query := "", ""
	if len(g.Packages) == 1 {
		pkg = g.Packages[0]
		if _, _, ok, err := buildmatrix.ParseVersioned(pkg); err != nil {
			return nil, fmt.Errorf("line %d builds %s: %v", g.Line, pkg, err)
		} else if ok {
			query = pkg
		}
		switch {
		case strings.HasSuffix(pkg, ".go"):
			return nil, fmt.Errorf("line %d builds the files %s; --build runs package builds only (check the binary with --binary)", g.Line, pkg)
		case strings.HasPrefix(pkg, "/"):
			return nil, fmt.Errorf("line %d builds the image's folder %s; --build runs folders relative to the go build's (check the binary with --binary)", g.Line, pkg)
		}
	}
	tmp, err := os.MkdirTemp(tempDir(env), "binscope-dockerfile-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	benv := goListEnv(g, env, "")
	benv = slices.DeleteFunc(benv, func(kv string) bool { return strings.HasPrefix(kv, "CGO_ENABLED=") })
	var dir, where string
	if query != "" {
		m, err := buildmatrix.NewTempModule(ctx, goCmd, tmp, query, benv)
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("line %d builds %s: %w", g.Line, query, err)
		}
		dir, benv = m.Dir, m.Env
		pkg, _, _, _ = buildmatrix.ParseVersioned(query)
		where = "in a temporary module (go mod init m && go get " + query + "): "
	} else {
		var cands []string
		dir, cands = probeDir(plan, idx, contextDir)
		if dir == "" {
			cleanup()
			return nil, fmt.Errorf("the build context %s has no folder for %s (line %d; looked for %s)",
				contextDir, g.Dir, g.Line, cmp.Or(strings.Join(cands, ", "), "none"))
		}
		if buildmatrix.IsLocalPath(pkg) {
			dir = filepath.Join(dir, filepath.FromSlash(pkg))
			pkg = ""
		}
		where = "cd " + buildmatrix.ShellQuote(dir) + " && "
	}
	goenv, err := buildmatrix.ReadGoEnv(ctx, goCmd, dir, benv)
	if err != nil {
		cleanup()
		return nil, err
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
	name := filepath.Base(d.Output)
	bp := &buildmatrix.Plan{
		GoCmd: goCmd, Dir: dir, Package: pkg, Env: benv, GoEnv: goenv, Binary: name,
		Settings: buildmatrix.Settings{LDFlags: strings.Join(extra, " "), Trimpath: g.Trimpath, BuildMode: g.BuildMode},
		OutDir:   tmp, TempDir: tmp,
	}
	c := buildmatrix.Combination{CGO: cgo, GOOS: goos, GOARCH: goarch, Strip: g.StripsSymbols(), Tags: buildmatrix.NormalizeTags(g.Tags)}
	command := where + bp.CommandLine(c)
	res, err := bp.Build(ctx, c)
	if err != nil {
		cleanup()
		return nil, err
	}
	if res.Status != buildmatrix.StatusOK {
		cleanup()
		return nil, fmt.Errorf("the go build of line %d %s: %s", g.Line, res.Status, res.Reason)
	}
	return &dockerBuild{path: res.Path, name: name, command: command, index: idx, cgo: cgo, cgoStubs: res.CgoStubs, cleanup: cleanup}, nil
}
