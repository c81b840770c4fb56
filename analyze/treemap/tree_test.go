package treemap_test

import (
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/treemap"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { testbuild.Main(m) }

func TestFromSize(t *testing.T) {
	r := &analyze.SizeReport{
		Path: "app", Size: 1000,
		Packages: []analyze.PackageSize{
			{Name: "main", Module: "example.com/app", Size: 300, Code: 200, Functab: 50, Data: 50, EstimatedBytes: 90},
			{Name: "example.com/app/db", Module: "example.com/app", Size: 100, Code: 10, Functab: 10, Data: 80, EstimatedBytes: 30},
			{Name: "fmt", Module: "std", Size: 250, Code: 150, Functab: 100},
			{Name: analyze.RowDebugInfo, Size: 350},
			{Name: "empty", Module: "std", Size: 0},
		},
		Symbols: []analyze.SymbolSize{
			{Name: "main.main", Package: "main", Kind: elfinfo.KindCode, Size: 120},
			{Name: "main.big", Package: "main", Kind: elfinfo.KindRodata, Size: 90, Estimated: true},
			{Name: "main.small", Package: "main", Kind: elfinfo.KindCode, Size: 10},
			{Name: "main.buf", Package: "main", Kind: elfinfo.KindBSS, Size: 4096},
		},
	}
	got := treemap.FromSize(r, 2)
	want := &treemap.Node{Name: "app", Level: treemap.LevelBinary, Bytes: 1000, Estimated: 120, Children: []*treemap.Node{
		{Name: "example.com/app", Level: treemap.LevelModule, Bytes: 400, Estimated: 120, Children: []*treemap.Node{
			{Name: "main", Level: treemap.LevelPackage, Kind: treemap.KindCode, Bytes: 300, Estimated: 90, Children: []*treemap.Node{
				{Name: "main.main", Level: treemap.LevelSymbol, Kind: treemap.KindCode, Bytes: 120},
				{Name: "main.big", Level: treemap.LevelSymbol, Kind: treemap.KindData, Bytes: 90, Estimated: 90},
				{Name: "rest of main", Level: treemap.LevelRest, Kind: treemap.KindCode, Bytes: 90},
			}},
			{Name: "example.com/app/db", Level: treemap.LevelPackage, Kind: treemap.KindData, Bytes: 100, Estimated: 30},
		}},
		{Name: analyze.RowDebugInfo, Level: treemap.LevelPackage, Kind: treemap.KindDebug, Bytes: 350},
		{Name: "std", Level: treemap.LevelModule, Bytes: 250, Children: []*treemap.Node{
			{Name: "fmt", Level: treemap.LevelPackage, Kind: treemap.KindCode, Bytes: 250},
		}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FromSize (-want +got):\n%s", diff)
	}
}

// On real binaries, with and without symbols, every tile's bytes are its
// children's sum and the whole is the file: the treemap draws exactly the
// package view.
func TestFromSizeSumsToFile(t *testing.T) {
	for _, v := range []testbuild.Variant{sizetest.PomoStatic, sizetest.PomoSW} {
		t.Run(v.Name, func(t *testing.T) {
			r, _ := sizetest.SizeOf(t, sizetest.Build(t, v), analyze.SizeOptions{Symbols: true})
			root := treemap.FromSize(r, 20)
			if root.Bytes != r.Size {
				t.Errorf("root has %d bytes, the file %d", root.Bytes, r.Size)
			}
			packages, symbols := 0, 0
			var walk func(n *treemap.Node)
			walk = func(n *treemap.Node) {
				if n.Bytes <= 0 {
					t.Errorf("%s %q has %d bytes", n.Level, n.Name, n.Bytes)
				}
				if n.Estimated > n.Bytes || n.Estimated < 0 {
					t.Errorf("%s %q: estimated %d of %d", n.Level, n.Name, n.Estimated, n.Bytes)
				}
				switch n.Level {
				case treemap.LevelPackage:
					packages++
				case treemap.LevelSymbol:
					symbols++
				}
				if len(n.Children) == 0 {
					return
				}
				var sum int64
				for i, c := range n.Children {
					sum += c.Bytes
					if i > 0 && c.Level != treemap.LevelRest && c.Bytes > n.Children[i-1].Bytes {
						t.Errorf("%q: child %q (%d) after a smaller one", n.Name, c.Name, c.Bytes)
					}
					walk(c)
				}
				if sum != n.Bytes {
					t.Errorf("%s %q: children sum to %d, it has %d", n.Level, n.Name, sum, n.Bytes)
				}
			}
			walk(root)
			want := 0
			for _, p := range r.Packages {
				if p.Size > 0 {
					want++
				}
			}
			if packages != want {
				t.Errorf("%d package tiles, the report has %d packages with bytes", packages, want)
			}
			if symbols == 0 {
				t.Errorf("no symbol tiles from %d symbols", len(r.Symbols))
			}
		})
	}
}
