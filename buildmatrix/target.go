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

// Target is the program a matrix builds: the main package in a folder.
type Target struct {
	Dir        string // absolute folder of the package; builds run there
	ImportPath string
	Module     string // path of the module the package belongs to
	ModuleDir  string
	BinaryName string // the name go build gives the binary, without .exe

	// Tags are the custom build tags found in the build constraints of
	// the module's own packages that the target imports, by tag.
	Tags []TagUse
}

// TagUse is one custom build tag and the files whose constraints name it.
type TagUse struct {
	Tag   string   `json:"tag"`
	Files []string `json:"files"` // slash-separated, relative to the module root
}

// listPackage is the part of `go list -json` that LoadTarget reads.
type listPackage struct {
	Dir               string
	ImportPath        string
	Name              string
	Module            *struct{ Path, Dir string }
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

// LoadTarget reads the package in dir and its dependencies with
// `go list -deps -json`, checks that it is a main package, and finds the
// custom build tags of its module's own packages: the identifiers in the
// //go:build (and legacy // +build) lines of all their files, including
// those the constraints exclude, that are not GOOS or GOARCH values, cgo,
// goN.M, unix, ignore or other tags the toolchain sets.
func LoadTarget(ctx context.Context, goCmd, dir string, env []string) (*Target, error) {
	out, err := RunGo(ctx, goCmd, dir, env, "list", "-deps", "-json="+listFields, ".")
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := err.Error()
		if ge, ok := err.(*GoError); ok {
			msg = cmp.Or(LastLines(ge.Stderr, 3), ge.Err.Error())
		}
		return nil, errors.New(msg)
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
	if len(pkgs) == 0 {
		return nil, errors.New("go list found no package")
	}
	root := pkgs[len(pkgs)-1] // -deps lists dependencies first
	if root.Error != nil {
		return nil, errors.New(root.Error.Err)
	}
	if root.Name != "main" {
		return nil, fmt.Errorf("%w (package %s is a library)", ErrNotMain, root.Name)
	}
	t := &Target{Dir: root.Dir, ImportPath: root.ImportPath, BinaryName: binaryName(root.ImportPath)}
	if root.Module != nil {
		t.Module, t.ModuleDir = root.Module.Path, root.Module.Dir
	}
	base := t.ModuleDir
	if base == "" {
		base = t.Dir
	}
	files := map[string][]string{}
	for _, p := range pkgs {
		own := p.ImportPath == root.ImportPath || t.Module != "" && p.Module != nil && p.Module.Path == t.Module
		if !own {
			continue
		}
		for _, list := range [][]string{p.GoFiles, p.CgoFiles, p.IgnoredGoFiles, p.IgnoredOtherFiles, p.SFiles, p.CFiles, p.CXXFiles, p.HFiles} {
			for _, name := range list {
				if strings.HasSuffix(name, "_test.go") {
					continue // tests do not go into the binary
				}
				full := filepath.Join(p.Dir, name)
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
	}
	for _, tag := range slices.Sorted(maps.Keys(files)) {
		f := files[tag]
		slices.Sort(f)
		t.Tags = append(t.Tags, TagUse{Tag: tag, Files: slices.Compact(f)})
	}
	return t, nil
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
