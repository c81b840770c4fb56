package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/reach"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
)

// Graphed is one build linked with the graph linker: the cell as compare
// reports it, and the program's reachability graph ready for questions.
type Graphed struct {
	Report  *compare.Report // the one-cell run
	Cell    compare.Cell
	Program *reach.Program
	Deps    *buildmatrix.PackageDeps
	// GraphBytes is the size of the graph the linker wrote.
	GraphBytes int64
	// DWARFBytes and DWARFCompressed are the binary's debug info.
	DWARFBytes      int64
	DWARFCompressed bool

	close     func()
	graphFile string // the graph's file, until Close (BenchmarkWhy reads it)
}

// Close closes the binary, which Program reads the code of, and removes
// it.
func (g *Graphed) Close() {
	if g.close != nil {
		g.close()
		g.close = nil
	}
}

// ErrCellFailed is BuildGraph's error for a cell that did not build:
// one that failed, or one skipped (a cgo build without its C compiler).
var ErrCellFailed = errors.New("no binary to answer about")

// BuildGraph builds req's one cell with the graph linker, whose copy for
// the toolchain lives under cacheDir, and reads the graph, the binary's
// package view and its function table.
func BuildGraph(ctx context.Context, req Request, env []string, cacheDir string, progress func(Event)) (*Graphed, error) {
	tmpBase := getenv(env, "GOTMPDIR")
	if tmpBase == "" {
		tmpBase = tempDir(env)
	}
	tmp, err := os.MkdirTemp(tmpBase, "binscope-why-")
	if err != nil {
		return nil, &Error{Err: err}
	}
	var f *elfinfo.File
	done := func() {
		if f != nil {
			f.Close()
		}
		os.RemoveAll(tmp)
	}
	ok := false
	defer func() {
		if !ok {
			done()
		}
	}()
	req.Keep = filepath.Join(tmp, "bin")
	req.MatrixOnly = true
	req.Graph = &GraphRequest{CacheDir: cacheDir, File: filepath.Join(tmp, "graph")}
	report, err := Run(ctx, req, env, progress)
	if err != nil {
		return nil, err
	}
	if len(report.Cells) != 1 {
		return nil, &RequestError{Field: FieldMatrix, Err: fmt.Errorf("the options select %d builds where one is needed", len(report.Cells))}
	}
	cell := report.Cells[0]
	switch cell.Status {
	case compare.StatusOK:
	case compare.StatusSkipped:
		return nil, &Error{Err: fmt.Errorf("%w: %s was skipped: %s", ErrCellFailed, cell.Label, cell.Reason)}
	default:
		return nil, &Error{Err: fmt.Errorf("%w: %s: %s", ErrCellFailed, cell.Label, cell.Reason)}
	}
	out := &Graphed{Report: report, Cell: cell, Deps: req.Graph.Deps, graphFile: req.Graph.File}
	gf, err := os.Open(req.Graph.File)
	if err != nil {
		return nil, &Error{Err: fmt.Errorf("the linker wrote no graph: %w", err)}
	}
	defer gf.Close()
	if st, err := gf.Stat(); err == nil {
		out.GraphBytes = st.Size()
	}
	// The package view is made while the graph is read (each takes
	// about as long), from a File of its own.
	name := filepath.Join(req.Keep, buildmatrix.OutputName(report.Target.Binary, mustParse(cell.ID)))
	type sized struct {
		r   *analyze.SizeReport
		err error
	}
	sizeDone := make(chan sized, 1)
	go func() {
		sf, err := elfinfo.Open(name)
		if err != nil {
			sizeDone <- sized{nil, err}
			return
		}
		defer sf.Close()
		r, err := analyze.Size(sf)
		sizeDone <- sized{r, err}
	}()
	g, err := reach.ReadGraph(gf)
	if err != nil {
		<-sizeDone
		return nil, &Error{Err: fmt.Errorf("%s: %w", req.Graph.File, err)}
	}
	f, err = elfinfo.Open(name)
	if err != nil {
		<-sizeDone
		return nil, &Error{Err: err}
	}
	out.DWARFBytes, out.DWARFCompressed = f.DWARFBytes, f.DWARFCompressed
	t, err := f.FuncTable()
	if err != nil {
		<-sizeDone
		return nil, &Error{Err: fmt.Errorf("%s: %w", cell.Label, err)}
	}
	g.Weigh(t)
	sz := <-sizeDone
	if sz.err != nil {
		return nil, &Error{Err: fmt.Errorf("%s: %w", cell.Label, sz.err)}
	}
	size := sz.r
	cell.Packages, cell.Modules = size.Packages, size.Modules
	out.Cell = cell
	prog := &reach.Program{Graph: g, Size: size, Calls: f.CallSites, Funcs: map[string][2]uint64{}}
	if line, err := f.LineTable(); err == nil {
		prog.Line = line
	}
	for _, fn := range t.Funcs {
		if _, ok := prog.Funcs[fn.Name]; !ok {
			prog.Funcs[fn.Name] = [2]uint64{fn.Entry, fn.End}
		}
	}
	if d := out.Deps; d != nil {
		prog.Main, prog.Imports, prog.Standard = d.ImportPath, d.Imports, d.Standard
		if cell.Options.CGO {
			for _, pkg := range d.Cgo {
				if !d.Standard[pkg] {
					prog.Cgo = append(prog.Cgo, pkg)
				}
			}
		}
	}
	for _, r := range size.Packages {
		if r.Name == analyze.RowC {
			prog.C = r.Size
		}
	}
	out.Program, out.close, ok = prog, done, true
	return out, nil
}

func mustParse(id string) buildmatrix.Combination {
	c, _ := buildmatrix.Parse(id)
	return c
}
