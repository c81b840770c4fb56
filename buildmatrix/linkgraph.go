package buildmatrix

import (
	"context"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
)

// The linker's reachability graph, whole.
//
// go build -ldflags=-dumpdep prints the edge by which the linker's dead
// code pass first reached each symbol: a spanning tree of the graph, in
// which every symbol has one parent, so that what a package "retains"
// would depend on the order the pass happened to visit it in. binscope
// why needs every edge. No flag prints them, so binscope builds, once per
// toolchain, a copy of that toolchain's own linker with a few lines added
// (linkgraph/dump.go.txt): the same go build -overlay the go command
// offers for any package, applied to cmd/link. The copy links exactly as
// the original does; with BINSCOPE_LINKGRAPH set it also writes the graph.
// It doubles as the build's -toolexec program (linkgraph/toolexec.go.txt):
// every other tool runs unchanged, so the compiler's cache entries are a
// plain build's, and the binary is byte for byte the one go build makes.

//go:embed linkgraph/dump.go.txt
var graphDumpSource string

//go:embed linkgraph/toolexec.go.txt
var graphToolexecSource string

// graphPatches are the lines added to cmd/link/internal/ld/deadcode.go:
// each anchor must appear exactly once. They hold, and the added code
// builds, from Go 1.19 to 1.27 (TestGraphToolchains builds each toolchain
// the tests have).
var graphPatches = []struct{ anchor, with string }{
	{"func (d *deadcodePass) init() {\n", "func (d *deadcodePass) init() {\n\tbinscopeInit(d)\n"},
	{"func (d *deadcodePass) mark(symIdx, parent loader.Sym) {\n", "func (d *deadcodePass) mark(symIdx, parent loader.Sym) {\n\tbinscopeMark(d, symIdx, parent)\n"},
	{"func deadcode(ctxt *Link) {\n", "func deadcode(ctxt *Link) { binscopeDeadcode(ctxt, deadcodeLinker) }\n\nfunc deadcodeLinker(ctxt *Link) {\n"},
	{"\t\t\t\td.markMethod(m)\n", "\t\t\t\tbinscopeMethod(&d, m)\n\t\t\t\td.markMethod(m)\n"},
	{"\t\t\t\td.ifaceMethod[m] = true\n", "\t\t\t\tbinscopeIface(d, symIdx, m)\n\t\t\t\td.ifaceMethod[m] = true\n"},
	{"\t\t\t\td.genericIfaceMethod[name] = true\n", "\t\t\t\tbinscopeNamed(d, symIdx, name)\n\t\t\t\td.genericIfaceMethod[name] = true\n"},
}

// GraphEnv is what a go build with the graph linker as -toolexec needs
// in its environment, for the graph to be written to file.
func GraphEnv(file string) []string {
	return []string{"BINSCOPE_TOOLEXEC=1", "BINSCOPE_LINKGRAPH=" + file}
}

// ErrGraphLinker is the error of a toolchain whose linker binscope cannot
// extend: too old, or changed where the patch goes.
var ErrGraphLinker = errors.New("cannot build the linker that writes the reachability graph")

// GraphLinker returns the path of the graph linker for the toolchain
// that goenv describes, building it under cacheDir when it is not there
// yet (about 10 seconds, once per toolchain): with that toolchain's own
// go command (goenv names its GOROOT), in env, the builds' environment,
// for the machine itself.
func GraphLinker(ctx context.Context, goenv GoEnv, env []string, cacheDir string) (string, error) {
	exe, deadcode, patched, err := graphLinker(goenv, cacheDir)
	if err != nil {
		return "", err
	}
	out, goroot := filepath.Dir(exe), goenv.Vars["GOROOT"]
	if _, err := os.Stat(exe); err == nil {
		return exe, nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", fmt.Errorf("%w: %v", ErrGraphLinker, err)
	}
	// The sources, the overlay and the new linker in a folder of this
	// run's own: two first runs at once each build theirs, and the last
	// rename wins, with the same linker.
	src, err := os.MkdirTemp(out, "build-")
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrGraphLinker, err)
	}
	defer os.RemoveAll(src)
	files := map[string]string{
		deadcode: "deadcode.go",
		filepath.Join(goroot, "src", "cmd", "link", "internal", "ld", "binscope_linkgraph.go"): "binscope_linkgraph.go",
		filepath.Join(goroot, "src", "cmd", "link", "binscope_toolexec.go"):                    "binscope_toolexec.go",
	}
	contents := map[string]string{"deadcode.go": patched, "binscope_linkgraph.go": graphDumpSource, "binscope_toolexec.go": graphToolexecSource}
	replace := map[string]string{}
	for target, name := range files {
		p := filepath.Join(src, name)
		if err := os.WriteFile(p, []byte(contents[name]), 0o644); err != nil {
			return "", fmt.Errorf("%w: %v", ErrGraphLinker, err)
		}
		replace[target] = p
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": replace})
	overlayFile := filepath.Join(src, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return "", fmt.Errorf("%w: %v", ErrGraphLinker, err)
	}
	// Built for the machine, whatever the cells' platform, with the
	// toolchain the cells build with; in the run's folder first, so that
	// an interrupted build leaves no half a linker.
	tmp := filepath.Join(src, filepath.Base(exe))
	// The toolchain's own go command builds it, with no module cache:
	// a toolchain that GOTOOLCHAIN downloaded lives in the module cache,
	// where the go command takes no overlay, and cmd/link needs no module.
	gobin := filepath.Join(goroot, "bin", "go")
	if goenv.Vars["GOHOSTOS"] == "windows" {
		gobin += ".exe"
	}
	benv := append(hostEnv(env, goenv), "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOMODCACHE="+filepath.Join(src, "modcache"), "GOWORK=off")
	if _, err := RunGo(ctx, gobin, src, benv, "build", "-overlay", overlayFile, "-o", tmp, "cmd/link"); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("%w: %v", ErrGraphLinker, err)
	}
	if err := os.Rename(tmp, exe); err != nil {
		return "", fmt.Errorf("%w: %v", ErrGraphLinker, err)
	}
	return exe, nil
}

// HaveGraphLinker reports whether GraphLinker has the linker for goenv's
// toolchain already, so that asking for it costs nothing.
func HaveGraphLinker(goenv GoEnv, cacheDir string) bool {
	exe, _, _, err := graphLinker(goenv, cacheDir)
	if err != nil {
		return true // GraphLinker fails at once
	}
	_, err = os.Stat(exe)
	return err == nil
}

// graphLinker returns where the graph linker of goenv's toolchain goes,
// and the toolchain's deadcode.go, with its path, patched.
func graphLinker(goenv GoEnv, cacheDir string) (exe, deadcode, patched string, err error) {
	goroot, version := goenv.Vars["GOROOT"], goenv.Vars["GOVERSION"]
	if goroot == "" {
		return "", "", "", fmt.Errorf("%w: go env names no GOROOT", ErrGraphLinker)
	}
	deadcode = filepath.Join(goroot, "src", "cmd", "link", "internal", "ld", "deadcode.go")
	src, err := os.ReadFile(deadcode)
	if err != nil {
		return "", "", "", fmt.Errorf("%w: %v (the toolchain's sources are needed)", ErrGraphLinker, err)
	}
	patched = string(src)
	for _, p := range graphPatches {
		if n := strings.Count(patched, p.anchor); n != 1 {
			return "", "", "", fmt.Errorf("%w: %s of %s has %d of the line %q where it needs one (binscope why knows the linkers of Go 1.19 to 1.27)",
				ErrGraphLinker, deadcode, version, n, strings.TrimSpace(p.anchor))
		}
		patched = strings.Replace(patched, p.anchor, p.with, 1)
	}
	// FNV, not SHA-256: a cache key needs no cryptography, and
	// crypto/sha256 brings the FIPS module's code into binscope (135K,
	// by binscope why).
	h := fnv.New128a()
	for _, s := range []string{version, goroot, patched, graphDumpSource, graphToolexecSource, goenv.Vars["GOHOSTOS"], goenv.Vars["GOHOSTARCH"]} {
		fmt.Fprintf(h, "%d\n%s", len(s), s)
	}
	exe = filepath.Join(cacheDir, "linkgraph", version+"-"+hex.EncodeToString(h.Sum(nil))[:16], "link")
	if goenv.Vars["GOHOSTOS"] == "windows" {
		exe += ".exe"
	}
	return exe, deadcode, patched, nil
}

// hostEnv is env for building a tool of the machine's own: no target
// platform, no cgo, no GOFLAGS (GraphLinker adds the toolchain's own
// GOROOT).
func hostEnv(env []string, goenv GoEnv) []string {
	var out []string
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOOS", "GOARCH", "GOARM", "GOAMD64", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM", "CGO_ENABLED", "GOFLAGS", "GOEXPERIMENT",
			"GOROOT", "GOTOOLCHAIN", "GOMODCACHE", "GOWORK":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "GOOS="+goenv.Vars["GOHOSTOS"], "GOARCH="+goenv.Vars["GOHOSTARCH"], "CGO_ENABLED=0", "GOFLAGS=")
}
