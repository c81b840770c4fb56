package buildmatrix

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CgoSupported reports whether the toolchain can build the platform with
// cgo. WebAssembly (js/wasm, wasip1/wasm) cannot: there is no C toolchain
// for its Go ABI, and CGO_ENABLED=1 only breaks packages such as os/user
// that select cgo files.
func CgoSupported(p Platform) bool { return p.GOARCH != "wasm" }

// PackageDeps is what go list -deps says about one main package under a
// build's settings.
type PackageDeps struct {
	ImportPath string   // the main package's
	Deps       []string // every package the build links, the main one included, in go list's order
	Cgo        []string // the packages among Deps that have cgo files
	// Standard marks the packages of Deps from the standard library.
	Standard map[string]bool
	// Imports are each package's imports, as the build resolves them
	// (vendor/… in the standard library).
	Imports map[string][]string
	// Embeds are the files each package embeds (//go:embed), as paths in
	// its folder, Dirs[pkg].
	Embeds map[string][]string
	Dirs   map[string]string
}

// ListDeps runs go list -deps on the package pkg ("." when empty) in dir,
// with env as the whole environment (KEY=VALUE) and the given build tags.
// With CGO_ENABLED=1 in env, Cgo lists the packages that would link C;
// an empty Cgo means the program links statically even with cgo on.
func ListDeps(ctx context.Context, goCmd, dir string, env []string, tags []string, pkg string) (*PackageDeps, error) {
	return listDeps(ctx, RunGo, goCmd, dir, env, tags, pkg)
}

func listDeps(ctx context.Context, run goRunner, goCmd, dir string, env []string, tags []string, pkg string) (*PackageDeps, error) {
	if pkg == "" {
		pkg = "."
	}
	// -tags is always explicit, as in Build, so that tags in GOFLAGS do
	// not make the answer differ from the build's.
	args := []string{"list", "-deps", "-tags=" + strings.Join(NormalizeTags(tags), ","), "-f", "{{.ImportPath}}\t{{len .CgoFiles}}\t{{.DepOnly}}\t{{.Standard}}\t{{join .Imports \" \"}}\t{{.Dir}}\t{{range .EmbedFiles}}{{printf \"%q \" .}}{{end}}"}
	out, err := run(ctx, goCmd, dir, env, append(args, "--", pkg)...)
	if err != nil {
		var ge *GoError
		if errors.As(err, &ge) {
			return nil, fmt.Errorf("go list -deps: %w%s", ge.Err, stderrLine([]byte(ge.Stderr)))
		}
		return nil, fmt.Errorf("go list -deps: %w", err)
	}
	d := &PackageDeps{Deps: []string{}, Cgo: []string{}, Standard: map[string]bool{},
		Imports: map[string][]string{}, Embeds: map[string][]string{}, Dirs: map[string]string{}}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		if len(f) >= 6 { // the last line's empty seventh field is trimmed away with its tab
			d.Imports[f[0]] = strings.Fields(f[4])
			d.Dirs[f[0]] = f[5]
		}
		if len(f) >= 7 {
			for rest := strings.TrimSpace(f[6]); rest != ""; rest = strings.TrimSpace(rest) {
				q, err := strconv.QuotedPrefix(rest)
				if err != nil {
					break
				}
				name, _ := strconv.Unquote(q)
				d.Embeds[f[0]] = append(d.Embeds[f[0]], name)
				rest = rest[len(q):]
			}
		}
		if len(f) >= 4 && f[3] == "true" {
			d.Standard[f[0]] = true
		}
		d.Deps = append(d.Deps, f[0])
		if f[1] != "0" {
			d.Cgo = append(d.Cgo, f[0])
		}
		if f[2] == "false" && d.ImportPath == "" {
			d.ImportPath = f[0]
		}
	}
	if d.ImportPath == "" {
		return nil, fmt.Errorf("go list -deps %s: no package", pkg)
	}
	return d, nil
}
