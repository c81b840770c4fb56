package buildmatrix

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/build/constraint"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// ErrNotMain means the target folder holds a package that is not a
// command, so there is nothing to build a binary of.
var ErrNotMain = errors.New("not a main package")

// ErrNoGoFiles means the target folder holds no Go files at all.
var ErrNoGoFiles = errors.New("no Go files")

// Target is the program a matrix builds: a main package, and the folder
// its builds run in.
type Target struct {
	// Dir is the folder builds run in: the package's own folder when it
	// was named by its folder, else the folder its import path was
	// resolved in (the main module's, or a temporary module's).
	Dir string
	// Package is the package argument of every go build in Dir: "." for
	// the package in Dir, else its import path.
	Package    string
	ImportPath string
	Module     string // path of the module the package belongs to
	ModuleDir  string
	// Version is the version of Module when it is not a main module: a
	// dependency of the main module, or the module of pkg@version.
	Version    string
	BinaryName string // the name go build gives the binary, without .exe

	// Tags are the custom build tags found in the build constraints of
	// the module's own packages that the target imports, by tag.
	Tags []TagUse

	// deps are the other packages of the build (dependencies, the
	// standard library), whose constraints UnknownTags reads on demand;
	// own are the folders of the module's own packages, read already.
	deps []listPackage
	own  map[string]bool
}

// TagUse is one custom build tag and the files whose constraints name it.
type TagUse struct {
	Tag   string   `json:"tag"`
	Files []string `json:"files"` // slash-separated, relative to the module root
}

// listPackage is the part of `go list -json` that LoadTarget reads.
type listPackage struct {
	Dir        string
	ImportPath string
	Name       string
	Module     *struct {
		Path, Dir, Version string
		Main               bool
	}
	GoFiles           []string
	CgoFiles          []string
	IgnoredGoFiles    []string
	IgnoredOtherFiles []string
	SFiles            []string
	CFiles            []string
	CXXFiles          []string
	HFiles            []string
	Error             *struct{ Err string }
}

const listFields = "Dir,ImportPath,Name,Module,GoFiles,CgoFiles,IgnoredGoFiles,IgnoredOtherFiles,SFiles,CFiles,CXXFiles,HFiles,Error"

// LoadTarget reads the package pkg ("." or "" for the package in dir,
// else an import path) and its dependencies with `go list -deps -json`
// in dir, checks that it is a main package, and finds the custom build
// tags of its module's own packages: the identifiers in the //go:build
// (and legacy // +build) lines of all their files, including those the
// constraints exclude, that are not GOOS or GOARCH values, cgo, goN.M,
// unix, ignore or other tags the toolchain sets. The target's builds run
// in dir with pkg as their package argument.
func LoadTarget(ctx context.Context, goCmd, dir, pkg string, env []string) (*Target, error) {
	pkg = cmp.Or(pkg, ".")
	pkgs, err := goList(ctx, goCmd, dir, env, "-deps", "--", pkg)
	if err != nil {
		return nil, noGoFiles(err)
	}
	if len(pkgs) == 0 {
		return nil, errors.New("go list found no package")
	}
	root := pkgs[len(pkgs)-1] // -deps lists dependencies first
	if root.Error != nil {
		return nil, noGoFiles(errors.New(oneLine(root.Error.Err)))
	}
	if root.Name != "main" {
		return nil, fmt.Errorf("%w (package %s is a library)", ErrNotMain, root.Name)
	}
	t := &Target{Dir: root.Dir, Package: ".", ImportPath: root.ImportPath, BinaryName: binaryName(root.ImportPath)}
	if pkg != "." {
		t.Dir, t.Package = dir, root.ImportPath
		if abs, err := filepath.Abs(dir); err == nil {
			t.Dir = abs
		}
	}
	if root.Module != nil {
		t.Module, t.ModuleDir = root.Module.Path, root.Module.Dir
		if !root.Module.Main {
			t.Version = root.Module.Version
		}
	}
	base := t.ModuleDir
	if base == "" {
		base = t.Dir
	}
	files := map[string][]string{}
	t.own = map[string]bool{}
	for _, p := range pkgs {
		own := p.ImportPath == root.ImportPath || t.Module != "" && p.Module != nil && p.Module.Path == t.Module
		if !own {
			t.deps = append(t.deps, p)
			continue
		}
		t.own[p.Dir] = true
		for _, full := range sourceFiles(p) {
			tags, err := fileTags(full)
			if err != nil {
				return nil, err
			}
			rel, err := filepath.Rel(base, full)
			if err != nil {
				rel = full
			}
			for _, tag := range tags {
				if !ToolchainTag(tag) {
					files[tag] = append(files[tag], filepath.ToSlash(rel))
				}
			}
		}
	}
	for _, tag := range slices.Sorted(maps.Keys(files)) {
		f := files[tag]
		slices.Sort(f)
		t.Tags = append(t.Tags, TagUse{Tag: tag, Files: slices.Compact(f)})
	}
	return t, nil
}

// noGoFiles returns the go command's "no Go files in DIR" as an error
// that wraps ErrNoGoFiles, with the same text; other errors as they are.
func noGoFiles(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, ErrNoGoFiles.Error()+" in "); i >= 0 {
		return fmt.Errorf("%s%w%s", msg[:i], ErrNoGoFiles, msg[i+len(ErrNoGoFiles.Error()):])
	}
	return err
}

// Package is a package that go list names, as ListPackages returns it.
type Package struct {
	ImportPath string
	Name       string // main for a command
	Dir        string
	// Main reports whether the package is in a main module: the current
	// module, or one of the workspace's.
	Main bool
	Err  string // what go list could not load, when not ""
}

// ListPackages lists the packages pattern matches (an import path, a
// folder such as ./cmd/pomo, or a pattern with ...) in dir, without their
// dependencies, in go list's order. A pattern that matches no package is
// not an error: the list is empty. A package go list cannot load is in
// the list with its Err.
func ListPackages(ctx context.Context, goCmd, dir string, env []string, pattern string) ([]Package, error) {
	pkgs, err := goList(ctx, goCmd, dir, env, "-e", "--", pattern)
	if err != nil {
		return nil, err
	}
	var out []Package
	for _, p := range pkgs {
		if p.Name == "" && p.Error == nil && strings.Contains(p.ImportPath, "...") {
			continue // go list -e's stand-in for a pattern that matched nothing
		}
		q := Package{ImportPath: p.ImportPath, Name: p.Name, Dir: p.Dir, Main: p.Module != nil && p.Module.Main}
		if p.Error != nil {
			q.Err = oneLine(p.Error.Err)
		}
		out = append(out, q)
	}
	return out, nil
}

// sourceFiles returns the paths of a package's files that go into a
// binary, those its constraints exclude included: Go, cgo, assembly and
// C files, and no tests.
func sourceFiles(p listPackage) []string {
	var out []string
	for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.IgnoredGoFiles, p.IgnoredOtherFiles, p.SFiles, p.CFiles, p.CXXFiles, p.HFiles} {
		for _, name := range list {
			if !strings.HasSuffix(name, "_test.go") {
				out = append(out, filepath.Join(p.Dir, name))
			}
		}
	}
	return out
}

// stdSwitches are build tags that the standard library documents as
// switches to pass with -tags: net's netgo and netcgo, os/user's
// osusergo, time/tzdata's timetzdata. UnknownTags never reports them,
// even for a program that does not import the package they switch: one
// tag set often serves several programs.
var stdSwitches = []string{"netgo", "netcgo", "osusergo", "timetzdata"}

// UnknownTags returns the tags among tags, in their order, that no build
// constraint of the target's build names, so that building with them
// changes nothing and they are most likely misspelt: tags that are not a
// custom tag of the target's module (Tags), not named by a file of a
// dependency or of the standard library, not set by the toolchain
// (ToolchainTag) and not a switch the standard library documents (netgo,
// netcgo, osusergo, timetzdata).
//
// The packages LoadTarget listed are read first, so that the usual case
// runs no go command. For a tag still unknown, the packages that the tags
// themselves or another platform bring into the build are listed with go
// list -deps -tags=TAGS in env, once per platform of platforms, and read
// too. A go list that fails leaves its platform out.
func (t *Target) UnknownTags(ctx context.Context, goCmd string, env []string, tags []string, platforms []Platform) ([]string, error) {
	unknown := map[string]bool{}
	for _, tag := range tags {
		if ToolchainTag(tag) || slices.Contains(stdSwitches, tag) || slices.ContainsFunc(t.Tags, func(u TagUse) bool { return u.Tag == tag }) {
			continue
		}
		unknown[tag] = true
	}
	seen := maps.Clone(t.own)
	if seen == nil {
		seen = map[string]bool{}
	}
	scan := func(pkgs []listPackage) {
		for _, p := range pkgs {
			if len(unknown) == 0 {
				return
			}
			if seen[p.Dir] {
				continue
			}
			seen[p.Dir] = true
			for _, f := range sourceFiles(p) {
				named, err := fileTags(f)
				if err != nil {
					continue // the go command says what is wrong with it, if it matters
				}
				for _, tag := range named {
					delete(unknown, tag)
				}
			}
		}
	}
	scan(t.deps)
	all := strings.Join(NormalizeTags(tags), ",")
	for _, p := range platforms {
		if len(unknown) == 0 {
			break
		}
		penv := append(slices.Clip(env), "GOOS="+p.GOOS, "GOARCH="+p.GOARCH)
		pkgs, err := goList(ctx, goCmd, t.Dir, penv, "-e", "-deps", "-tags="+all, "--", cmp.Or(t.Package, "."))
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		scan(pkgs)
	}
	var out []string
	for _, tag := range tags {
		if unknown[tag] && !slices.Contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out, nil
}

// goList runs go list -json with args in dir and decodes the packages it
// prints. Its error is the go command's own message, on one line.
func goList(ctx context.Context, goCmd, dir string, env []string, args ...string) ([]listPackage, error) {
	out, err := RunGo(ctx, goCmd, dir, env, append([]string{"list", "-json=" + listFields}, args...)...)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := err.Error()
		if ge, ok := err.(*GoError); ok {
			msg = cmp.Or(LastLines(ge.Stderr, 3), ge.Err.Error())
		}
		return nil, errors.New(oneLine(msg))
	}
	var pkgs []listPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: reading its JSON: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// oneLine joins the lines of a go command's message with "; ", so that an
// error stays one line ("no required module provides package x; to add
// it:; go get x" reads better as "…; to add it: go get x").
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if n := len(parts); n > 0 && strings.HasSuffix(parts[n-1], ":") {
				parts[n-1] += " " + l
				continue
			}
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}

// binaryName is the name go build gives the binary of a package: the last
// element of its import path, or the one before a major version suffix.
func binaryName(importPath string) string {
	elem := path.Base(importPath)
	if isMajorVersion(elem) {
		if d := path.Dir(importPath); d != "." && d != "/" {
			elem = path.Base(d)
		}
	}
	return elem
}

func isMajorVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' || s[1] == '0' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != "v1"
}

// fileTags returns every tag named in the build constraints of a file's
// header: the comment lines before its first line of code.
func fileTags(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tags []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	inBlock := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if inBlock {
			if i := strings.Index(line, "*/"); i >= 0 {
				inBlock = false
				if strings.TrimSpace(line[i+2:]) != "" {
					break
				}
			}
			continue
		}
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "//"):
			if constraint.IsGoBuild(line) || constraint.IsPlusBuild(line) {
				expr, err := constraint.Parse(line)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				tags = appendTags(tags, expr)
			}
			continue
		case strings.HasPrefix(line, "/*"):
			if !strings.Contains(line[2:], "*/") {
				inBlock = true
			}
			continue
		}
		break // the first line of code ends the header
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return tags, nil
}

func appendTags(tags []string, e constraint.Expr) []string {
	switch e := e.(type) {
	case *constraint.TagExpr:
		return append(tags, e.Tag)
	case *constraint.NotExpr:
		return appendTags(tags, e.X)
	case *constraint.AndExpr:
		return appendTags(appendTags(tags, e.X), e.Y)
	case *constraint.OrExpr:
		return appendTags(appendTags(tags, e.X), e.Y)
	}
	return tags
}

// knownOS and knownArch are every GOOS and GOARCH value the go command
// recognizes in file names and build constraints, including those it
// reserves for ports that do not exist (yet).
var (
	knownOS = []string{"aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
		"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"}
	knownArch = []string{"386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64",
		"mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
		"riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"}
	// toolchainTags are set by the go command itself (or, for ignore, keep
	// a file out of every build by convention).
	toolchainTags = []string{"cgo", "gc", "gccgo", "unix", "ignore", "race", "msan", "asan", "boringcrypto"}
	goVersionTag  = regexp.MustCompile(`^go1\.[0-9]+$`)
)

// ToolchainTag reports whether a build tag is one the toolchain sets
// (GOOS and GOARCH values and their architecture features such as
// amd64.v3, cgo, gc, gccgo, unix, race, msan, asan, goN.M,
// goexperiment.X) or the ignore convention, rather than a tag a user
// passes with -tags.
func ToolchainTag(tag string) bool {
	if slices.Contains(knownOS, tag) || slices.Contains(knownArch, tag) || slices.Contains(toolchainTags, tag) {
		return true
	}
	if goVersionTag.MatchString(tag) || strings.HasPrefix(tag, "goexperiment.") {
		return true
	}
	if arch, _, ok := strings.Cut(tag, "."); ok && slices.Contains(knownArch, arch) {
		return true
	}
	return false
}
