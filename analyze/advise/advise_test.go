package advise

import (
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/analyze/reach"
)

func cell(id string, cgo, strip bool, tags []string, size int64) compare.Cell {
	return compare.Cell{ID: id, Status: compare.StatusOK, Size: size, Command: "go build " + id,
		Options: compare.Options{CGO: cgo, GOOS: "linux", GOARCH: "amd64", Strip: strip, Tags: tags}}
}

func TestAdvise(t *testing.T) {
	base := cell("base", true, false, []string{}, 10_000_000)
	in := Input{
		Base: base,
		Cells: []compare.Cell{base,
			cell("strip", true, true, []string{}, 7_000_000),
			cell("nocgo", false, false, []string{}, 9_900_000),
			cell("netgo", true, false, []string{"netgo", "osusergo"}, 9_950_000),
			{ID: "failed", Status: compare.StatusFailed, Options: compare.Options{CGO: false, GOOS: "linux", GOARCH: "amd64", Strip: true}},
		},
		Trimpath: func() *compare.Cell { c := cell("base", true, false, []string{}, 9_990_000); return &c }(),
		Blockers: reach.Blockers{Cost: reach.Retained{Bytes: 1_500_000, Symbols: 900}, Functions: []reach.Blocker{
			{Symbol: "example.com/app.call", Package: "example.com/app", Primary: true, Caller: &reach.Frame{Symbol: "example.com/app.call", File: "app.go", Line: 9}},
		}},
		Top: reach.Top{Packages: []reach.TopPackage{
			{Package: "example.com/app/internal/x", Retained: reach.Retained{Bytes: 4_000_000}, Cuts: []reach.Cut{{From: "main"}}}, // the program's own: not a dependency
			{Package: "github.com/big/dep", Retained: reach.Retained{Bytes: 2_000_000}, Cuts: []reach.Cut{{From: "main", Edges: 3}}},
			{Package: "github.com/big/dep/inner", Retained: reach.Retained{Bytes: 1_900_000}, Cuts: []reach.Cut{{From: "github.com/big/dep", Edges: 9}}}, // goes with dep
		}},
		Embeds:     []Embed{{Package: "main", File: "main/a.bin", Bytes: 300_000}, {Package: "main", File: "main/b.txt", Bytes: 100}},
		DWARFBytes: 2_000_000, DWARFCompressed: true,
		StdCgo:     []string{"net"},
		MainModule: "example.com/app",
	}
	r := Advise(in)
	var ids []string
	for _, a := range r.Actions {
		ids = append(ids, a.ID)
	}
	want := "strip dependency dce-blocker embed cgo-off netgo trimpath"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("actions %s, want %s (ranked by saving)", got, want)
	}
	for _, a := range r.Actions {
		switch a.ID {
		case "strip":
			if a.How != Measured || a.Saving != 3_000_000 || a.Cells[1] != "strip" || a.SavingPercent != 30 {
				t.Errorf("strip: %+v", a)
			}
		case "dependency":
			if a.How != Computed || !strings.Contains(a.Change, "github.com/big/dep: cut its import in main") {
				t.Errorf("dependency: %+v", a)
			}
		case "dce-blocker":
			if !strings.Contains(a.Change, "example.com/app.call` at app.go:9") {
				t.Errorf("blocker: %+v", a)
			}
		case "cgo-off":
			if !strings.Contains(a.Caveat, "pure Go") {
				t.Errorf("cgo-off on a pure Go program: %+v", a)
			}
		case "embed":
			if a.Saving != 300_100 {
				t.Errorf("embed: %+v", a)
			}
		}
	}
	if !strings.Contains(strings.Join(r.Checked, ";"), "DWARF is compressed") {
		t.Errorf("checked %q: no word on the compressed DWARF", r.Checked)
	}

	// A stripped pure Go build has little left to do.
	s := cell("s", false, true, []string{}, 5_000_000)
	r = Advise(Input{Base: s, Cells: []compare.Cell{s}})
	if len(r.Actions) != 0 || len(r.Checked) == 0 {
		t.Errorf("stripped build: actions %+v, checked %q", r.Actions, r.Checked)
	}
}
