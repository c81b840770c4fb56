package compare

import (
	"errors"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/google/go-cmp/cmp"
)

// cell makes an ok cell of the given id and size, or one with another
// status when size is negative.
func cell(t *testing.T, id string, size int64, linkage string, stripped bool) Cell {
	t.Helper()
	c, err := buildmatrix.Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	out := Cell{ID: id, Options: OptionsOf(c), Status: StatusOK, Size: size}
	if size < 0 {
		out.Status, out.Size = StatusSkipped, 0
		return out
	}
	out.Binary = &analyze.Binary{Facts: &analyze.Facts{Size: size, Linkage: linkage, Stripped: stripped, DebugInfo: !stripped}}
	return out
}

const (
	base     = "cgo=1,goos=linux,goarch=amd64,strip=off,tags="
	baseS    = "cgo=1,goos=linux,goarch=amd64,strip=on,tags="
	baseT    = "cgo=1,goos=linux,goarch=amd64,strip=off,tags=containers"
	baseTS   = "cgo=1,goos=linux,goarch=amd64,strip=on,tags=containers"
	cgo0     = "cgo=0,goos=linux,goarch=amd64,strip=off,tags="
	cgo0S    = "cgo=0,goos=linux,goarch=amd64,strip=on,tags="
	cgo0T    = "cgo=0,goos=linux,goarch=amd64,strip=off,tags=containers"
	cgo0TS   = "cgo=0,goos=linux,goarch=amd64,strip=on,tags=containers"
	win1     = "cgo=1,goos=windows,goarch=amd64,strip=off,tags="
	win0     = "cgo=0,goos=windows,goarch=amd64,strip=off,tags="
	arm1     = "cgo=1,goos=linux,goarch=arm64,strip=off,tags="
	arm0     = "cgo=0,goos=linux,goarch=arm64,strip=off,tags="
	megabyte = 1 << 20
)

func TestSummarizeSeedMatrix(t *testing.T) {
	r := &Report{Baseline: base, Cells: []Cell{
		cell(t, base, 13*megabyte, "dynamic", false),
		cell(t, baseS, 9*megabyte, "dynamic", true),
		cell(t, baseT, 11*megabyte, "dynamic", false),
		cell(t, baseTS, 8*megabyte, "dynamic", true),
		cell(t, cgo0, 12*megabyte, "static", false),
		cell(t, cgo0S, 8*megabyte+512*1024, "static", true),
		cell(t, cgo0T, 10*megabyte, "static", false),
		cell(t, cgo0TS, 7*megabyte+200*1024, "static", true),
	}}
	for i := range r.Cells {
		r.Cells[i].Index = i
	}
	r.Summarize()

	var order []string
	for _, c := range r.Cells {
		order = append(order, c.Label)
	}
	wantOrder := []string{
		"go build", "CGO_ENABLED=0", "-tags=containers", "CGO_ENABLED=0 -tags=containers",
		`-ldflags="-s -w"`, `CGO_ENABLED=0 -ldflags="-s -w"`, `-ldflags="-s -w" -tags=containers`,
		`CGO_ENABLED=0 -ldflags="-s -w" -tags=containers`,
	}
	if diff := cmp.Diff(wantOrder, order); diff != "" {
		t.Errorf("cell order, biggest first (-want +got):\n%s", diff)
	}

	last := r.Cells[len(r.Cells)-1]
	if last.Delta == nil || *last.Delta != 7*megabyte+200*1024-13*megabyte {
		t.Errorf("delta of the smallest cell = %v", last.Delta)
	}
	if r.Cells[0].Delta == nil || *r.Cells[0].Delta != 0 {
		t.Errorf("baseline delta = %v, want 0", r.Cells[0].Delta)
	}

	wantHeadline := `go build → 13M (dynamically linked, with debug_info, not stripped); ` +
		`CGO_ENABLED=0 -ldflags="-s -w" -tags=containers → 7.2M (statically linked, stripped): -45%`
	if r.Headline == nil {
		t.Fatal("no headline")
	}
	if diff := cmp.Diff(wantHeadline, r.Headline.Text); diff != "" {
		t.Errorf("headline (-want +got):\n%s", diff)
	}

	type eff struct {
		Option, Against string
		Delta           int64
		Pairs           int
		Min, Max        int64
	}
	var got []eff
	for _, e := range r.Effects {
		got = append(got, eff{e.Option, e.Against, e.Delta, e.Pairs, e.Min, e.Max})
	}
	// strip: -4M, -3M, -3.5M, -2.8M (sorted -4, -3.5, -3, -2.8 → median -3.25M)
	// tags: -2M, -1M, -2M, -1.3M (→ -1.65M); cgo=0: -1M, -0.5M, -1M, -0.8M (→ -0.9M)
	want := []eff{
		{`-ldflags="-s -w"`, `no -ldflags="-s -w"`, -3407872, 4, -4 * megabyte, -(2*megabyte + 824*1024)},
		{"-tags=containers", "no -tags", -1732608, 4, -2 * megabyte, -megabyte},
		{"CGO_ENABLED=0", "CGO_ENABLED=1", -946176, 4, -megabyte, -512 * 1024},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("effects (-want +got):\n%s", diff)
	}
}

// TestHeadlineBaselineSmallest: when no cell of the baseline's platform
// is smaller than the plain go build (a shard holding it alone, or a
// matrix of bigger options), the headline says so rather than setting the
// build against itself.
func TestHeadlineBaselineSmallest(t *testing.T) {
	r := &Report{Baseline: cgo0S, Cells: []Cell{
		cell(t, cgo0S, 8*megabyte, "static", true),
		cell(t, cgo0, 12*megabyte, "static", false),
	}}
	r.Summarize()
	if r.Headline == nil {
		t.Fatal("no headline")
	}
	want := `go build → 8.0M (statically linked, stripped): the smallest build of linux/amd64`
	if diff := cmp.Diff(want, r.Headline.Text); diff != "" {
		t.Errorf("headline (-want +got):\n%s", diff)
	}
}

func TestEffectsSameSizeAndSkipped(t *testing.T) {
	r := &Report{Baseline: base, Cells: []Cell{
		cell(t, base, 1000, "dynamic", false),
		cell(t, cgo0, 900, "static", false),
		cell(t, win1, 1200, "dynamic", false),
		cell(t, win0, 1200, "dynamic", false),
		cell(t, arm1, -1, "", false), // skipped: no C cross compiler
		cell(t, arm0, 950, "static", false),
	}}
	r.Summarize()
	byOption := map[string]Effect{}
	for _, e := range r.Effects {
		byOption[e.Option] = e
	}
	c := byOption["CGO_ENABLED=0"]
	if c.Pairs != 2 || c.Delta != -50 || c.Min != -100 || c.Max != 0 {
		t.Errorf("cgo effect = %+v, want 2 pairs (linux -100, windows 0), median -50", c)
	}
	if diff := cmp.Diff([]string{"windows/amd64"}, c.NoEffectOn); diff != "" {
		t.Errorf("cgo no effect on (-want +got):\n%s", diff)
	}
	if c.Note != "no effect on windows/amd64: every pair is the same size" {
		t.Errorf("cgo note = %q", c.Note)
	}
	// The pooled median (-50) is neither platform's: each has its own.
	wantByPlatform := []PlatformEffect{
		{Platform: "linux/amd64", Delta: -100, Percent: -10, Pairs: 1, Min: -100, Max: -100},
		{Platform: "windows/amd64", Delta: 0, Percent: 0, Pairs: 1, Min: 0, Max: 0, NoEffect: true},
	}
	if diff := cmp.Diff(wantByPlatform, c.ByPlatform); diff != "" {
		t.Errorf("cgo effect by platform (-want +got):\n%s", diff)
	}
	w := byOption["GOOS=windows GOARCH=amd64"]
	if w.ByPlatform != nil {
		t.Errorf("a platform's own effect is split by platform: %+v", w.ByPlatform)
	}
	if w.Pairs != 2 || w.Delta != 250 || w.Against != "GOOS=linux GOARCH=amd64" {
		t.Errorf("windows effect = %+v, want 2 pairs (+200, +300) against linux/amd64", w)
	}
	// The skipped cgo=1 arm64 cell makes no pair: only cgo=0's is left.
	if a := byOption["GOOS=linux GOARCH=arm64"]; a.Pairs != 1 || a.Delta != 50 {
		t.Errorf("arm64 effect = %+v, want 1 pair of +50", a)
	}
	for _, c := range r.Cells {
		if c.Status != StatusOK && c.Delta != nil {
			t.Errorf("%s: delta %d for a cell that did not build", c.ID, *c.Delta)
		}
	}
	if got := r.Cells[len(r.Cells)-1].ID; got != arm1 {
		t.Errorf("last cell %s, want the skipped one", got)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []int64
		want int64
	}{
		{[]int64{5}, 5},
		{[]int64{3, 1, 2}, 2},
		{[]int64{4, 1, 3, 2}, 3}, // (2+3)/2 rounded half away from zero
		{[]int64{-4, -1, -3, -2}, -3},
		{[]int64{0, 0}, 0},
	} {
		if got := medianInt(tc.in); got != tc.want {
			t.Errorf("medianInt(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func shardReport(t *testing.T, k, n int, ids ...string) *Report {
	all := []string{base, baseS, cgo0, cgo0S}
	r := &Report{
		SchemaVersion: analyze.SchemaVersion,
		Target:        Target{Module: "example.com/pomo", Package: "example.com/pomo", GoVersion: "go1.26.1", Host: "linux/amd64"},
		Baseline:      base,
		Matrix:        Matrix{Cells: all},
		Shard:         &buildmatrix.Shard{Index: k, Count: n},
	}
	sizes := map[string]int64{base: 1000, baseS: 700, cgo0: 950, cgo0S: 650}
	for _, id := range ids {
		c := cell(t, id, sizes[id], "static", false)
		r.Cells = append(r.Cells, c)
	}
	r.Summarize()
	return r
}

func TestMerge(t *testing.T) {
	a := shardReport(t, 1, 2, base, baseS)
	b := shardReport(t, 2, 2, cgo0, cgo0S)
	if b.Headline != nil {
		t.Errorf("a shard without the baseline has a headline: %+v", b.Headline)
	}
	m, err := Merge([]string{"a.json", "b.json"}, []*Report{b, a})
	if err != nil {
		t.Fatal(err)
	}
	if m.Shard != nil || len(m.Cells) != 4 {
		t.Fatalf("merged: shard %v, %d cells", m.Shard, len(m.Cells))
	}
	if m.Headline == nil || m.Headline.Smallest != cgo0S || m.Headline.Delta != -350 {
		t.Errorf("merged headline = %+v", m.Headline)
	}
	for _, c := range m.Cells {
		if c.Delta == nil {
			t.Errorf("%s: no delta after merge", c.ID)
		}
	}
	if len(m.Effects) != 2 {
		t.Errorf("merged effects = %+v, want cgo and strip", m.Effects)
	}
}

func TestMergeRefuses(t *testing.T) {
	other := shardReport(t, 2, 2, cgo0, cgo0S)
	other.Target.Package = "example.com/other"
	goVer := shardReport(t, 2, 2, cgo0, cgo0S)
	goVer.Target.GoVersion = "go1.25.0"
	v1, v2 := shardReport(t, 1, 2, base, baseS), shardReport(t, 2, 2, cgo0, cgo0S)
	v1.Target.Version, v2.Target.Version = "v1.0.0", "v1.1.0"
	matrix := shardReport(t, 2, 2, cgo0, cgo0S)
	matrix.Matrix.Exclude = []string{"cgo=1,strip=on"}
	three := shardReport(t, 2, 3, cgo0, cgo0S)
	tests := []struct {
		name    string
		reports []*Report
		want    string
	}{
		{"different targets", []*Report{shardReport(t, 1, 2, base, baseS), other}, "different targets (example.com/pomo, example.com/other)"},
		{"different versions", []*Report{v1, v2}, "different versions of " + v1.Target.Module + " (v1.0.0, v1.1.0)"},
		{"different toolchains", []*Report{shardReport(t, 1, 2, base, baseS), goVer}, "different toolchains (go1.26.1, go1.25.0)"},
		{"different matrices", []*Report{shardReport(t, 1, 2, base, baseS), matrix}, "different matrices: exclude"},
		{"different shard counts", []*Report{shardReport(t, 1, 2, base, baseS), three}, "one of 3 shards"},
		{"shard twice", []*Report{shardReport(t, 1, 2, base, baseS), shardReport(t, 1, 2, base, baseS)}, "r0 and r1 are both shard 1/2"},
		{"missing shard", []*Report{shardReport(t, 1, 2, base, baseS)}, "shard 2/2 missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			names := []string{"r0", "r1"}[:len(tc.reports)]
			_, err := Merge(names, tc.reports)
			if !errors.Is(err, ErrMerge) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Merge = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
