package pipeline

import (
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/ldflags"
)

// BinaryCell makes a cell of one binary file that binscope did not
// build, as check judges a lone binary: its facts, its size by package
// and module, and its options read back from its Go build info, so that
// budget selectors (cgo=0,strip=on) apply to it as to a built cell. Its
// id and label are the path.
func BinaryCell(path string) (compare.Cell, error) {
	f, err := elfinfo.Open(path)
	if err != nil {
		return compare.Cell{}, err
	}
	defer f.Close()
	b := analyze.NewBinary(f)
	cell := compare.Cell{ID: path, Label: path, Status: compare.StatusOK, Size: f.Size, Binary: &b}
	if g := f.Go; g != nil {
		cell.Options = compare.Options{
			CGO: g.CGOEnabled != nil && *g.CGOEnabled, GOOS: g.GOOS, GOARCH: g.GOARCH,
			// The strip option is -ldflags="-s -w"; -s alone implies -w.
			Strip: ldflags.Stripped(strings.Fields(g.LDFlags)),
			Tags:  buildmatrix.NormalizeTags(splitTags(g.Tags)),
		}
	}
	if r, err := analyze.Size(f); err == nil {
		cell.Packages, cell.Modules = r.Packages, r.Modules
	}
	return cell, nil
}

// splitTags splits the -tags setting of the build info (a,b).
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
