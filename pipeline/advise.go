package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze/advise"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
)

// Advised is what binscope advise builds: the graph of the build the
// advice is for, and the variants whose savings it measures.
type Advised struct {
	*Graphed
	Input advise.Input
}

// Advise builds req's one cell with the graph linker, then the variants
// to measure, each as compare builds it: the cell with -s -w and, for a
// cgo build, with CGO_ENABLED=0 (one run, so that their figures are the
// ones compare reports for those cells); the cell with -trimpath; for a
// cgo build whose net or os/user use cgo, the cell with -tags
// netgo,osusergo.
func Advise(ctx context.Context, req Request, env []string, cacheDir string, progress func(Event)) (*Advised, error) {
	if progress == nil {
		progress = func(Event) {}
	}
	g, err := BuildGraph(ctx, req, env, cacheDir, progress)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			g.Close()
		}
	}()
	base := g.Cell.Options
	deps := g.Deps
	var cgo, stdCgo []string
	if deps != nil && base.CGO {
		for _, p := range deps.Cgo {
			switch {
			case p == "net" || p == "os/user":
				stdCgo = append(stdCgo, p)
			case !deps.Standard[p]:
				cgo = append(cgo, p)
			}
		}
	}
	one := func(r Request) Request {
		r.Platforms = []buildmatrix.Platform{{GOOS: base.GOOS, GOARCH: base.GOARCH}}
		r.CGO, r.Strip, r.TagSets, r.TagsGiven = []bool{base.CGO}, []bool{base.Strip}, [][]string{base.Tags}, true
		r.MatrixOnly, r.Graph, r.Keep, r.Shard, r.Exclude = true, nil, "", nil, nil
		return r
	}
	matrix := one(req)
	if base.CGO {
		matrix.CGO = append(matrix.CGO, false)
	}
	if !base.Strip {
		matrix.Strip = append(matrix.Strip, true)
	}
	m, err := Run(ctx, matrix, env, progress)
	if err != nil {
		return nil, err
	}
	cells := m.Cells
	baseCell := g.Cell
	for _, c := range cells {
		if c.ID == g.Cell.ID && c.Status == compare.StatusOK {
			baseCell = c
		}
	}
	var trim *compare.Cell
	if !req.Settings.Trimpath {
		t := one(req)
		t.Settings.Trimpath = true
		if tr, err := Run(ctx, t, env, progress); err != nil {
			return nil, err
		} else if len(tr.Cells) == 1 {
			trim = &tr.Cells[0]
		}
	}
	if len(stdCgo) > 0 {
		n := one(req)
		n.TagSets = [][]string{buildmatrix.NormalizeTags(append(slices.Clone(base.Tags), "netgo", "osusergo"))}
		nr, err := Run(ctx, n, env, progress)
		if err != nil {
			return nil, err
		}
		cells = append(cells, nr.Cells...)
	}
	prog := g.Program
	in := advise.Input{Base: baseCell, Cells: cells, Trimpath: trim, Program: prog, Blockers: prog.Blockers(), Top: prog.Top(10),
		DWARFBytes: g.DWARFBytes, DWARFCompressed: g.DWARFCompressed, Cgo: cgo, StdCgo: stdCgo, MainModule: g.Report.Target.Module}
	if deps != nil {
		for _, pkg := range deps.Deps {
			if deps.Standard[pkg] {
				continue
			}
			for _, file := range deps.Embeds[pkg] {
				st, err := os.Stat(filepath.Join(deps.Dirs[pkg], file))
				if err == nil && st.Mode().IsRegular() {
					in.Embeds = append(in.Embeds, advise.Embed{Package: pkg, File: shortEmbed(pkg, file), Bytes: st.Size()})
				}
			}
		}
	}
	ok = true
	return &Advised{Graphed: g, Input: in}, nil
}

// shortEmbed names an embedded file by its package and path in it.
func shortEmbed(pkg, file string) string {
	return strings.TrimSuffix(pkg, "/") + "/" + filepath.ToSlash(file)
}
