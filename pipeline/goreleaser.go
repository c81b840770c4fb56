package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/config"
)

// GoReleaserRequest takes the matrix from a GoReleaser config's builds in
// place of the axes.
type GoReleaserRequest struct {
	Config *config.GoReleaser
	// Dir is the config's folder, which builds' dir fields are relative to.
	Dir string
}

// goreleaserCells turns a GoReleaser config's builds into cells, each with
// the Spec of its go build line. A target whose CGO_ENABLED neither env
// list sets builds with what the go command would choose where GoReleaser
// runs: the environment's CGO_ENABLED for the host platform (goenv's,
// which reads it) and 0 when cross-compiling, as go does without a C
// cross-compiler named.
func goreleaserCells(g *GoReleaserRequest, goenv buildmatrix.GoEnv, env []string) ([]buildmatrix.Combination, error) {
	dir, err := filepath.Abs(g.Dir)
	if err != nil {
		return nil, err
	}
	var cells []buildmatrix.Combination
	byBuild := map[string][]buildmatrix.Combination{}
	for _, b := range g.Config.Builds {
		if b.Skip != "" {
			continue
		}
		for _, t := range b.Targets {
			c := buildmatrix.Combination{GOOS: t.GOOS, GOARCH: t.GOARCH, Tags: t.Tags, Build: b.ID}
			switch t.CGO {
			case "1":
				c.CGO = true
			case "":
				if (buildmatrix.Platform{GOOS: t.GOOS, GOARCH: t.GOARCH}) == goenv.Host() {
					c.CGO = goenv.CGOEnabled()
				} else {
					c.CGO = getenv(env, "CGO_ENABLED") == "1"
				}
			}
			if t.Variant != "" {
				v, err := buildmatrix.VariantValue(t.GOARCH, t.Variant)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: build %s: %v", g.Config.File, b.Line, b.ID, err)
				}
				c.Variant = v
			}
			c.Strip = slices.Contains(strings.Fields(t.LDFlags), "-s")
			bdir := b.Dir
			if !filepath.IsAbs(bdir) {
				bdir = filepath.Join(dir, bdir)
			}
			c.Spec = &buildmatrix.Spec{
				Dir:       bdir,
				Package:   mainPackage(b.Main),
				Binary:    t.Binary,
				LDFlags:   t.LDFlags,
				Flags:     t.Flags,
				BuildMode: t.BuildMode,
				Env:       t.Env,
			}
			if slices.ContainsFunc(cells, c.Equal) {
				continue // a target listed twice
			}
			cells = append(cells, c)
			byBuild[b.ID] = append(byBuild[b.ID], c)
		}
	}
	for _, u := range g.Config.Universal {
		var thin []buildmatrix.Combination
		for _, arch := range []string{"amd64", "arm64"} { // lipo's order
			for _, id := range u.IDs {
				for _, c := range byBuild[id] {
					if c.GOOS == "darwin" && c.GOARCH == arch {
						thin = append(thin, c)
					}
				}
			}
		}
		if len(thin) == 0 {
			return nil, fmt.Errorf("%s:%d: universal binary %s: builds %s make no darwin/amd64 or darwin/arm64 binary to join", g.Config.File, u.Line, u.ID, strings.Join(u.IDs, ", "))
		}
		// A fat file holds one slice per architecture: two amd64 builds
		// (goamd64: [v1, v3]) cannot both go in.
		for i := 1; i < len(thin); i++ {
			if thin[i].GOARCH == thin[i-1].GOARCH {
				return nil, fmt.Errorf("%s:%d: universal binary %s: builds %s make two darwin/%s binaries (%s and %s), and a universal binary holds one per architecture", g.Config.File, u.Line, u.ID, strings.Join(u.IDs, ", "), thin[i].GOARCH, thin[i-1], thin[i])
			}
		}
		first := thin[0]
		c := buildmatrix.Combination{CGO: first.CGO, GOOS: "darwin", GOARCH: buildmatrix.Universal, Strip: first.Strip, Tags: first.Tags, Build: u.ID}
		for _, t := range thin[1:] {
			c.CGO = c.CGO || t.CGO
			c.Strip = c.Strip && t.Strip
		}
		spec := *first.Spec
		spec.Universal = thin
		c.Spec = &spec
		cells = append(cells, c)
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("%s: no build makes a binary (each is skipped or of another builder)", g.Config.File)
	}
	return cells, nil
}

// mainPackage writes a build's main as a package argument: GoReleaser
// takes a folder (cmd/gh, ./cmd/gh) or a .go file's folder.
func mainPackage(m string) string {
	if strings.HasSuffix(m, ".go") {
		m = filepath.Dir(m)
	}
	m = filepath.ToSlash(filepath.Clean(m))
	if m == "." || strings.HasPrefix(m, "../") || strings.HasPrefix(m, "/") {
		return m
	}
	return "./" + m
}
