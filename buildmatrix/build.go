package buildmatrix

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/binscope/binscope/buildmatrix/lipo"
)

// Cell statuses, as compare reports them.
const (
	StatusOK      = "ok"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// Settings are the build settings every cell shares.
type Settings struct {
	LDFlags   string `json:"ldflags"`   // appended to -s -w in stripped cells
	Trimpath  bool   `json:"trimpath"`  // -trimpath
	BuildMode string `json:"buildmode"` // -buildmode, "" for the default
}

// Spec is how to build one cell when it does not follow the Plan's
// shared settings: a GoReleaser build's own go build line. Its fields
// replace the Plan's; the cell's CGO, GOOS, GOARCH, Variant and Tags
// still set the environment and -tags.
type Spec struct {
	// Dir is the folder the build runs in, absolute; "" is Plan.Dir.
	Dir string
	// Package is the package argument, as Plan.Package; "" is ".".
	Package string
	// Binary is the binary's base name; "" is Plan.Binary.
	Binary string
	// LDFlags is the whole -ldflags value. The cell's Strip says
	// whether it holds -s.
	LDFlags string
	// Flags are further go build flags, in order (-trimpath, -v, …),
	// -gcflags and -asmflags among them.
	Flags []string
	// BuildMode is -buildmode's value; "" for the default.
	BuildMode string
	// Env are KEY=VALUE variables set over the inherited environment
	// before the cell's own (CGO_ENABLED, GOOS, GOARCH and the variant).
	Env []string
	// Universal, for a cell of GOARCH Universal, are the thin darwin
	// cells its binary joins, in the order of the fat header.
	Universal []Combination
	// Skip, when not "", is why the cell cannot be built here (a
	// platform the toolchain does not build for): Build reports it
	// skipped, with Skip as its reason.
	Skip string
}

// Plan says how to build the cells of a matrix.
type Plan struct {
	GoCmd string // the go command; "go" runs the one on PATH
	Dir   string // the target's folder, where every go build runs
	// Package is the package argument of every go build: "" or "." for
	// the package in Dir, else an import path resolved in Dir's module.
	Package string
	Env     []string // the environment the builds inherit, as KEY=VALUE
	GoEnv   GoEnv    // the go command's settings, from ReadGoEnv in Dir
	Binary  string   // the binary's base name, such as pomo; may be empty
	// Main is the import path of the package built, which go build -v
	// names whenever it links, compiled or not; may be empty.
	Main string

	Settings Settings
	// CC names the C compiler of the cgo cells of a platform, as
	// --cc linux/arm64=aarch64-linux-gnu-gcc sets it.
	CC map[Platform]string

	// OutDir is where the binaries go, named Binary_FileName[.exe].
	OutDir string
	// TempDir is the go command's GOTMPDIR, so that the work folders of
	// interrupted builds are removed with it.
	TempDir string
	// Jobs caps the number of go builds at a time; below 2 the cells are
	// built one after another.
	Jobs int
	// Grace is how long an interrupted build has to end after its
	// process group is sent an interrupt, before it is killed. Zero means
	// three seconds.
	Grace time.Duration

	// Toolexec, when set, is every build's -toolexec program, run with
	// ToolexecEnv added to the environment: binscope why's graph linker
	// (GraphLinker, GraphEnv). Not in the cells' commands: the binary is
	// the one the command makes.
	Toolexec    string
	ToolexecEnv []string
	// NoStubs skips the go lists that find a CGO_ENABLED=0 cell's cgo
	// stubs (Result.CgoStubs), for a run that does not report them.
	NoStubs bool

	// run runs go list for cgoPackages; nil means RunGo.
	run     goRunner
	cgoMu   sync.Mutex
	cgoPkgs map[string]*cgoCheck // by CompileKey
}

// cgoCheck is one go list of a compile configuration's cgo packages:
// the first cell that needs it runs it, the others wait for done.
type cgoCheck struct {
	done chan struct{}
	deps *PackageDeps
	err  error
}

// Result is what building one cell gave.
type Result struct {
	Combination Combination
	Status      string // StatusOK, StatusFailed or StatusSkipped
	Reason      string // why the cell failed or was skipped
	Path        string // the binary, when Status is StatusOK
	Command     string // the shell command that reproduces the build, run in the target's folder
	Env         []string
	Args        []string
	Started     time.Time
	Duration    time.Duration // wall time of the go build; 0 when skipped
	// CgoFree is set for a cgo cell built without a C compiler because
	// none of its packages uses cgo.
	CgoFree bool
	// Compiled is the number of packages this build compiled, the ones
	// it did not find in the build cache (go build -v names them): on a
	// cold cache the first build of a compile configuration compiles
	// them all, and the builds that share them only link.
	Compiled int
	// Linking is how far into Duration the linker started, when the
	// build was watched (a GOTMPDIR); -1 when not known.
	Linking time.Duration
	// CgoStubs are the packages a CGO_ENABLED=0 build compiled without
	// their C code, from a !cgo fallback (Plan.CgoStubs).
	CgoStubs []string
}

// Invocation returns what the go build of c is run with: the variables
// set on top of the inherited environment, and the arguments after "go"
// (without -o), ending with the package when it is not the one in Dir.
// Every cell passes -tags and -ldflags explicitly, so that GOFLAGS
// cannot change one silently.
func (p *Plan) Invocation(c Combination) (env, args []string) {
	if c.Spec != nil {
		env = append(env, c.Spec.Env...)
	}
	env = append(env, "CGO_ENABLED="+bit(c.CGO, "1", "0"), "GOOS="+c.GOOS, "GOARCH="+c.GOARCH)
	if v := c.variantEnv(); v != "" {
		env = append(env, v)
	}
	if cc := p.CC[c.Platform()]; c.CGO && cc != "" {
		env = append(env, "CC="+cc)
	}
	if !hasVar(p.Env, "GOTOOLCHAIN") && !hasVar(env, "GOTOOLCHAIN") && p.GoEnv.Changed["GOTOOLCHAIN"] == "" {
		// A run never downloads a toolchain unless the user asked for it.
		env = append(env, "GOTOOLCHAIN=local")
	}
	if c.Spec != nil {
		// GoReleaser's order: flags (-asmflags and -gcflags last), -tags,
		// -ldflags, -buildmode.
		args = append(append([]string{"build"}, c.Spec.Flags...), "-tags="+strings.Join(NormalizeTags(c.Tags), ","), "-ldflags="+c.Spec.LDFlags)
		if c.Spec.BuildMode != "" {
			args = append(args, "-buildmode="+c.Spec.BuildMode)
		}
		if pkg := p.pkg(c); pkg != "." {
			args = append(args, pkg)
		}
		return env, args
	}
	ldflags := p.Settings.LDFlags
	if c.Strip {
		ldflags = strings.TrimSpace("-s -w " + ldflags)
	}
	args = []string{"build", "-ldflags=" + ldflags, "-tags=" + strings.Join(NormalizeTags(c.Tags), ",")}
	if p.Settings.Trimpath {
		args = append(args, "-trimpath")
	}
	if p.Settings.BuildMode != "" {
		args = append(args, "-buildmode="+p.Settings.BuildMode)
	}
	if pkg := p.pkg(c); pkg != "." {
		args = append(args, pkg)
	}
	return env, args
}

// pkg is the package argument of c's build: "." for the one in its folder.
func (p *Plan) pkg(c Combination) string {
	if c.Spec != nil {
		return cmp.Or(c.Spec.Package, ".")
	}
	return cmp.Or(p.Package, ".")
}

// dir is the folder c's build runs in.
func (p *Plan) dir(c Combination) string {
	if c.Spec != nil && c.Spec.Dir != "" {
		return c.Spec.Dir
	}
	return p.Dir
}

// CommandLine renders the command that reproduces the build of c, as a
// POSIX shell reads it: CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build
// -ldflags="-s -w" -tags=containers.
func (p *Plan) CommandLine(c Combination) string {
	if c.Spec != nil && len(c.Spec.Universal) > 0 {
		// One binary of several builds: their commands, then the join,
		// from the folder of the first.
		var cmds, names []string
		for _, t := range c.Spec.Universal {
			name := ShellQuote(OutputName(p.binary(t), t))
			cmds = append(cmds, p.commandLine(t, OutputName(p.binary(t), t)))
			names = append(names, name)
		}
		line := strings.Join(cmds, " && ") + " && lipo -create -output " + ShellQuote(OutputName(p.binary(c), c)) + " " + strings.Join(names, " ")
		return p.cd(c.Spec.Universal[0]) + line
	}
	return p.cd(c) + p.commandLine(c, "")
}

// cd is "cd DIR && " when c builds in another folder than the Plan's,
// with DIR relative to it; "" otherwise.
func (p *Plan) cd(c Combination) string {
	d := p.dir(c)
	if d == p.Dir {
		return ""
	}
	if rel, err := filepath.Rel(p.Dir, d); err == nil {
		d = rel
	}
	return "cd " + ShellQuote(filepath.ToSlash(d)) + " && "
}

// commandLine is c's go build, without a cd, with -o out after build when
// out is not "".
func (p *Plan) commandLine(c Combination, out string) string {
	env, args := p.Invocation(c)
	if out != "" {
		args = append([]string{args[0], "-o", out}, args[1:]...)
	}
	var parts []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOTOOLCHAIN=") {
			continue // binscope's safety net, not part of the build
		}
		k, v, _ := strings.Cut(kv, "=")
		parts = append(parts, k+"="+ShellQuote(v))
	}
	parts = append(parts, "go")
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(k, "-") {
			parts = append(parts, k+"="+ShellQuote(v))
		} else {
			parts = append(parts, ShellQuote(a))
		}
	}
	return strings.Join(parts, " ")
}

// ShellQuote quotes s for a POSIX shell the way people write build
// commands: bare when it is safe, otherwise in double quotes
// (-ldflags="-s -w"), and "" when empty.
func ShellQuote(s string) string {
	if s == "" {
		return `""`
	}
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./,+=:@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if strings.ContainsRune("\"\\$`", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// OutputPath returns where the binary of c goes: OutDir/BINARY_FILENAME,
// or OutDir/FILENAME without a Binary name; .exe for Windows.
func (p *Plan) OutputPath(c Combination) string {
	return filepath.Join(p.OutDir, OutputName(p.binary(c), c))
}

// binary is the base name of c's binary.
func (p *Plan) binary(c Combination) string {
	if c.Spec != nil && c.Spec.Binary != "" {
		return c.Spec.Binary
	}
	return p.Binary
}

// OutputName is the file name of the binary of c: the program's name (if
// any), '_', c's FileName, and .exe for Windows.
func OutputName(binary string, c Combination) string {
	name := c.FileName()
	if binary != "" {
		name = binary + "_" + name
	}
	if c.GOOS == "windows" {
		name += ".exe"
	}
	return name
}

// Build builds one cell. A cell whose build fails has StatusFailed and the
// last lines of the go command's output as its Reason; a cgo cell that
// needs a C compiler the machine lacks has StatusSkipped and a Reason that
// says how to provide one. Build returns an error only when ctx ends
// first; it has then interrupted the go command and ended its whole
// process group.
func (p *Plan) Build(ctx context.Context, c Combination) (Result, error) {
	return p.build(ctx, c, nil)
}

// build is Build that also calls linking, when not nil, as soon as the go
// command starts linking: every package is compiled and in the build
// cache by then, so the builds that share them may start.
func (p *Plan) build(ctx context.Context, c Combination, linking func()) (Result, error) {
	if c.Spec != nil && c.Spec.Skip != "" {
		return Result{Combination: c, Status: StatusSkipped, Reason: c.Spec.Skip, Command: p.CommandLine(c), Linking: -1}, nil
	}
	if c.Spec != nil && len(c.Spec.Universal) > 0 {
		return p.buildUniversal(ctx, c, linking)
	}
	return p.buildTo(ctx, c, p.OutputPath(c), linking)
}

// buildTo is build with the binary written to out.
func (p *Plan) buildTo(ctx context.Context, c Combination, out string, linking func()) (Result, error) {
	env, args := p.Invocation(c)
	r := Result{Combination: c, Command: p.CommandLine(c), Env: env, Args: args}
	if c.CGO && !CgoSupported(c.Platform()) {
		r.Status, r.Reason = StatusSkipped, fmt.Sprintf("%s has no cgo: the toolchain builds it pure Go only (go tool dist list -json: CgoSupported false)", c.Platform())
		return r, nil
	}
	if c.CGO {
		skip, cgoFree, err := p.checkCompiler(ctx, c)
		if err != nil {
			return r, err
		}
		if skip != "" {
			r.Status, r.Reason = StatusSkipped, skip
			return r, nil
		}
		r.CgoFree = cgoFree
	}
	// -v names each package compiled (none that the build cache had):
	// binscope's own instrument, so not in Command.
	full := append([]string{args[0], "-v", "-o", out}, args[1:]...)
	if p.Toolexec != "" {
		full = append([]string{args[0], "-toolexec", p.Toolexec}, full[1:]...)
	}
	if p.pkg(c) == "." {
		full = append(full, ".")
	}
	cmd := exec.CommandContext(ctx, p.goCmd(), full...)
	cmd.Dir = p.dir(c)
	cmd.Env = append(p.buildEnv(env), p.ToolexecEnv...)
	if p.TempDir != "" {
		// Each build has a GOTMPDIR of its own, removed when it ends: go
		// leaves its work folder behind when it is interrupted.
		tmp, err := os.MkdirTemp(p.TempDir, c.FileName()+"-")
		if err != nil {
			r.Status, r.Reason = StatusFailed, err.Error()
			return r, nil
		}
		defer os.RemoveAll(tmp)
		cmd.Env = append(cmd.Env, "GOTMPDIR="+tmp)
	}
	var log tailBuffer
	cmd.Stdout = &log
	cmd.Stderr = &log
	setProcessGroup(cmd, p.grace())
	r.Started = time.Now()
	r.Linking = -1
	var linkMu sync.Mutex
	linkedAt := func() {
		linkMu.Lock()
		r.Linking = time.Since(r.Started)
		linkMu.Unlock()
		if linking != nil {
			linking()
		}
	}
	err := cmd.Start()
	if err == nil {
		stop := watchLink(cmd.Env, linkedAt)
		err = cmd.Wait()
		stop()
		if ctx.Err() != nil {
			endProcessGroup(cmd)
		}
	}
	r.Duration = time.Since(r.Started)
	linkMu.Lock()
	defer linkMu.Unlock()
	output := ""
	main := p.Main
	if c.Spec != nil {
		main = "" // another main package, maybe: its line counts as compiled
	}
	r.Compiled, output = compiledPackages(log.String(), main)
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	if err != nil {
		r.Status = StatusFailed
		r.Reason = LastLines(output, 10)
		if r.Reason == "" {
			r.Reason = err.Error()
		}
		return r, nil
	}
	r.Status, r.Path = StatusOK, out
	if !c.CGO && !p.NoStubs {
		// A go list that fails here says nothing the build did not.
		if stubs, err := p.CgoStubs(ctx, c); err == nil {
			r.CgoStubs = stubs
		} else if ctx.Err() != nil {
			return r, ctx.Err()
		}
	}
	return r, nil
}

// buildUniversal builds the thin cells of a universal cell (the build
// cache makes a thin cell that is also a cell of its own one link) and
// joins them with lipo.Create, as GoReleaser's universal_binaries do.
// The thin binaries go to a folder of their own, removed at the end.
func (p *Plan) buildUniversal(ctx context.Context, c Combination, linking func()) (Result, error) {
	r := Result{Combination: c, Command: p.CommandLine(c), Linking: -1, Started: time.Now()}
	tmp, err := os.MkdirTemp(cmp.Or(p.TempDir, p.OutDir), "universal-")
	if err != nil {
		r.Status, r.Reason = StatusFailed, err.Error()
		return r, nil
	}
	defer os.RemoveAll(tmp)
	var thin [][]byte
	for i, t := range c.Spec.Universal {
		var onLink func()
		if i == len(c.Spec.Universal)-1 {
			onLink = linking
		}
		tr, err := p.buildTo(ctx, t, filepath.Join(tmp, OutputName(p.binary(t), t)), onLink)
		r.Compiled += tr.Compiled
		r.CgoStubs = append(r.CgoStubs, tr.CgoStubs...)
		if err != nil {
			r.Duration = time.Since(r.Started)
			return r, err
		}
		if tr.Status != StatusOK {
			r.Status, r.Reason = tr.Status, fmt.Sprintf("%s: %s", t, tr.Reason)
			r.Duration = time.Since(r.Started)
			return r, nil
		}
		data, err := os.ReadFile(tr.Path)
		if err != nil {
			r.Status, r.Reason = StatusFailed, err.Error()
			return r, nil
		}
		thin = append(thin, data)
	}
	slices.Sort(r.CgoStubs)
	r.CgoStubs = slices.Compact(r.CgoStubs)
	fat, err := lipo.Create(lipo.FatMagic, thin...)
	if err == nil {
		err = os.WriteFile(p.OutputPath(c), fat, 0o755)
	}
	r.Duration = time.Since(r.Started)
	if err != nil {
		r.Status, r.Reason = StatusFailed, err.Error()
		return r, nil
	}
	r.Status, r.Path = StatusOK, p.OutputPath(c)
	return r, nil
}

// compiledPackages splits go build -v's output into the packages it
// names, counted, and the rest, the build's own messages. -v writes each
// package it compiles as its import path alone on a line (and the main
// package, main, whenever it links: that one is not counted); an error
// block starts with "# path", and messages hold spaces or colons.
func compiledPackages(log, main string) (n int, rest string) {
	var b strings.Builder
	for line := range strings.SplitAfterSeq(log, "\n") {
		if l := strings.TrimRight(line, "\n"); l != "" && importPathLine.MatchString(l) {
			if l != main {
				n++
			}
			continue
		}
		b.WriteString(line)
	}
	return n, b.String()
}

var importPathLine = regexp.MustCompile(`^[A-Za-z0-9_.~+-]+(/[A-Za-z0-9_.~+-]+)*$`)

// watchLink calls linking once the go command whose environment is env
// starts to link: it creates $WORK/b001/exe, the folder of the binary,
// right before it runs the linker, and $WORK is a go-build folder in the
// build's own GOTMPDIR. It polls every 50ms until stop is called, and
// does nothing without linking or a GOTMPDIR.
func watchLink(env []string, linking func()) (stop func()) {
	tmp := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GOTMPDIR="); ok {
			tmp = v
		}
	}
	if linking == nil || tmp == "" {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if m, _ := filepath.Glob(filepath.Join(tmp, "go-build*", "b001", "exe")); len(m) > 0 {
					linking()
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}

func (p *Plan) goCmd() string {
	if p.GoCmd == "" {
		return "go"
	}
	return p.GoCmd
}

func (p *Plan) grace() time.Duration {
	if p.Grace <= 0 {
		return 3 * time.Second
	}
	return p.Grace
}

// buildEnv is the inherited environment with the cell's variables in
// place of any inherited ones. GOTMPDIR is dropped: Build sets its own.
func (p *Plan) buildEnv(vars []string) []string {
	out := make([]string, 0, len(p.Env)+len(vars)+1)
	for _, kv := range p.Env {
		k, _, _ := strings.Cut(kv, "=")
		if k != "GOTMPDIR" && !hasVar(vars, k) {
			out = append(out, kv)
		}
	}
	return append(out, vars...)
}

func hasVar(env []string, key string) bool {
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			return true
		}
	}
	return false
}

// crossCompilers are the usual names of the C cross compilers of Debian
// and Ubuntu (and osxcross for Darwin), for the hint of a skipped cell.
var crossCompilers = map[string]string{
	"linux/arm64":    "aarch64-linux-gnu-gcc",
	"linux/arm":      "arm-linux-gnueabihf-gcc",
	"linux/386":      "i686-linux-gnu-gcc",
	"linux/amd64":    "x86_64-linux-gnu-gcc",
	"linux/riscv64":  "riscv64-linux-gnu-gcc",
	"linux/ppc64le":  "powerpc64le-linux-gnu-gcc",
	"linux/s390x":    "s390x-linux-gnu-gcc",
	"linux/loong64":  "loongarch64-linux-gnu-gcc",
	"windows/amd64":  "x86_64-w64-mingw32-gcc",
	"windows/386":    "i686-w64-mingw32-gcc",
	"darwin/amd64":   "o64-clang",
	"darwin/arm64":   "oa64-clang",
	"freebsd/amd64":  "clang",
	"android/arm64":  "aarch64-linux-android21-clang",
	"linux/mips64le": "mips64el-linux-gnuabi64-gcc",
}

// checkCompiler decides whether a cgo cell can be built: yes when its C
// compiler is installed; yes also without one when none of its packages
// uses cgo (cgoFree); otherwise skip says why and how to fix it.
func (p *Plan) checkCompiler(ctx context.Context, c Combination) (skip string, cgoFree bool, err error) {
	plat := c.Platform()
	cc, explicit := p.CC[plat], true
	if cc == "" {
		explicit = false
		if plat == p.GoEnv.Host() {
			cc = p.GoEnv.Get("CC")
			if cc == "" {
				cc = "gcc"
			}
		}
	}
	var missing string
	if cc != "" {
		if _, err := exec.LookPath(strings.Fields(cc)[0]); err == nil {
			return "", false, nil
		}
		missing = cc
	}
	pkgs, err := p.cgoPackages(ctx, c)
	if err != nil {
		if ctx.Err() != nil {
			return "", false, ctx.Err()
		}
		// The build itself will say what is wrong.
		return "", false, nil
	}
	if len(pkgs) == 0 {
		return "", true, nil
	}
	uses := "its packages " + strings.Join(pkgs, ", ") + " use cgo"
	if len(pkgs) > 4 {
		uses = fmt.Sprintf("its packages %s and %d more use cgo", strings.Join(pkgs[:4], ", "), len(pkgs)-4)
	}
	hint := crossCompilers[plat.String()]
	if hint == "" {
		hint = "CC"
	}
	switch {
	case explicit:
		return fmt.Sprintf("needs a C compiler for %s and %s is not installed (%s); install it, or fix --cc %s=…", plat, missing, uses, plat), false, nil
	case missing != "":
		return fmt.Sprintf("needs a C compiler and %s is not installed (%s); install %s, or name another with --cc %s=clang", missing, uses, missing, plat), false, nil
	}
	return fmt.Sprintf("needs a C compiler for %s (%s); pass --cc %s=%s", plat, uses, plat, hint), false, nil
}

// cgoPackages lists the packages of c's build that have cgo files.
func (p *Plan) cgoPackages(ctx context.Context, c Combination) ([]string, error) {
	d, err := p.deps(ctx, c)
	if err != nil {
		return nil, err
	}
	return d.Cgo, nil
}

// CgoStubs lists the packages a CGO_ENABLED=0 build of c compiles
// without their C code: outside the standard library, they have cgo files
// when cgo is on and still build when it is off, from a !cgo fallback.
// Such a fallback can be a stub that fails at run time, as
// mattn/go-sqlite3's "requires cgo to work. This is a stub"; the
// standard library's own fallbacks (net, os/user) are real code. It is
// nil for a cgo cell, and compares two go lists (cgo on and off) of c's
// compile configuration.
func (p *Plan) CgoStubs(ctx context.Context, c Combination) ([]string, error) {
	if c.CGO || !CgoSupported(c.Platform()) {
		return nil, nil
	}
	on := c
	on.CGO = true
	withC, err := p.deps(ctx, on)
	if err != nil {
		return nil, err
	}
	without, err := p.deps(ctx, c)
	if err != nil {
		return nil, err
	}
	return StubPackages(withC, without), nil
}

// StubPackages lists the packages outside the standard library that have
// cgo files in withC (go list -deps with cgo on) and are still linked in
// without (the same list with cgo off): those a CGO_ENABLED=0 build
// compiles from a !cgo fallback. See Plan.CgoStubs.
func StubPackages(withC, without *PackageDeps) []string {
	var stubs []string
	for _, pkg := range withC.Cgo {
		if !withC.Standard[pkg] && slices.Contains(without.Deps, pkg) {
			stubs = append(stubs, pkg)
		}
	}
	return stubs
}

// deps is go list -deps of c's build, in the cell's environment. It asks
// once per compile configuration: cells that ask while the list runs wait
// for its answer. An answer cut short by ctx is not kept.
func (p *Plan) deps(ctx context.Context, c Combination) (*PackageDeps, error) {
	key := c.CompileKey()
	p.cgoMu.Lock()
	if call, ok := p.cgoPkgs[key]; ok {
		p.cgoMu.Unlock()
		select {
		case <-call.done:
			return call.deps, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &cgoCheck{done: make(chan struct{})}
	if p.cgoPkgs == nil {
		p.cgoPkgs = map[string]*cgoCheck{}
	}
	p.cgoPkgs[key] = call
	p.cgoMu.Unlock()

	run := p.run
	if run == nil {
		run = RunGo
	}
	env, _ := p.Invocation(c)
	call.deps, call.err = listDeps(ctx, run, p.goCmd(), p.dir(c), p.buildEnv(env), c.Tags, p.pkg(c))
	if ctx.Err() != nil {
		p.cgoMu.Lock()
		delete(p.cgoPkgs, key)
		p.cgoMu.Unlock()
	}
	close(call.done)
	return call.deps, call.err
}

// tailBuffer keeps the last 64 KiB written to it: enough for the end of
// any compiler error, bounded whatever a build prints.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailMax = 64 << 10

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > tailMax {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailMax:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// errCanceled is what Run reports for cells it did not get to build.
var errCanceled = errors.New("not built: the run was interrupted")

// Deps is go list -deps of c's build, in the cell's environment, with
// each package's imports and embedded files.
func (p *Plan) Deps(ctx context.Context, c Combination) (*PackageDeps, error) {
	return p.deps(ctx, c)
}
