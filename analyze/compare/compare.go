// Package compare holds the report of binscope compare: one cell per build
// of a matrix, the effect of each option, the headline, and the merge of
// sharded reports.
package compare

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/units"
)

// Report is what binscope compare reports: one cell per build
// option combination, each compared with the baseline cell (a plain go
// build), and the effect of each option.
type Report struct {
	SchemaVersion int      `json:"schema_version"`
	Target        Target   `json:"target"`
	Baseline      string   `json:"baseline"` // the id of the baseline cell
	Cells         []Cell   `json:"cells"`
	Effects       []Effect `json:"effects"`

	// Headline sets the baseline against the smallest cell, in the words
	// of file(1); nil when either did not build.
	Headline *Headline `json:"headline"`
	// Matrix is what was asked for: two reports of one matrix (shards)
	// have equal Matrix values.
	Matrix Matrix `json:"matrix"`
	// Shard is set when the report holds one shard of the matrix.
	Shard *buildmatrix.Shard `json:"shard,omitempty"`
	// Timing is how the run spent its time; merged reports have none.
	Timing *Timing `json:"timing,omitempty"`
	// Planned, in the report of compare --list, are the cells the run
	// would build, in build order; such a report has no Cells.
	Planned []PlannedCell `json:"planned,omitempty"`
}

// Target is the program compare built.
type Target struct {
	// Dir is the folder every cell's command runs in: the target's folder,
	// or the folder its import path was resolved in; "" for pkg@version,
	// built in a temporary module that is removed with the run.
	Dir     string `json:"dir"`
	Module  string `json:"module"`
	Package string `json:"package"`
	// Version is the version of Module when it is not the main module:
	// a dependency named by import path, or the module of pkg@version as
	// the version query resolved (v1.2.3 for @latest).
	Version   string `json:"version,omitempty"`
	GoVersion string `json:"go_version"`
	Host      string `json:"host"` // GOOS/GOARCH of the machine that built

	Binary string `json:"binary"` // the name go build gives the binary
	// Tags are the custom build tags found in the build constraints of
	// the target's own module, with the files that name them.
	Tags []buildmatrix.TagUse `json:"tags"`
	// Inherited are the go settings, from the environment or the go env
	// file, that differ from the toolchain's defaults and reach every
	// build (such as GOFLAGS or GOAMD64). Settings compare gives each cell
	// (CGO_ENABLED, GOOS, GOARCH) and those that only say where files or
	// modules live (GOCACHE, GOPROXY…) are left out.
	Inherited map[string]string `json:"inherited"`
}

// Options are a cell's build options, named as in flags and YAML: the
// "options" object of a report's cells. They hold what the
// buildmatrix.Combination the cell was built with holds, but the report
// owns its JSON: OptionsOf and Combination convert.
type Options struct {
	CGO    bool     `json:"cgo"`    // CGO_ENABLED=1
	GOOS   string   `json:"goos"`   // target operating system
	GOARCH string   `json:"goarch"` // target architecture
	Strip  bool     `json:"strip"`  // -ldflags="-s -w"
	Tags   []string `json:"tags"`   // build tags, sorted, no duplicates; [] for none

	// The instruction-set variant, under its variable's name, when the
	// cell sets it (GoReleaser's cells do): at most one, the one of
	// GOARCH, with '+' for the value's commas.
	GOARM     string `json:"goarm,omitempty"`
	GOAMD64   string `json:"goamd64,omitempty"`
	GOARM64   string `json:"goarm64,omitempty"`
	GO386     string `json:"go386,omitempty"`
	GOMIPS    string `json:"gomips,omitempty"`
	GOMIPS64  string `json:"gomips64,omitempty"`
	GOPPC64   string `json:"goppc64,omitempty"`
	GORISCV64 string `json:"goriscv64,omitempty"`
	// Build is the GoReleaser build id of the cell, when it has one.
	Build string `json:"build,omitempty"`
}

// variant points at the field of o that holds GOARCH's variant, or nil.
func (o *Options) variant() *string {
	switch buildmatrix.VariantVar(o.GOARCH) {
	case "GOARM":
		return &o.GOARM
	case "GOAMD64":
		return &o.GOAMD64
	case "GOARM64":
		return &o.GOARM64
	case "GO386":
		return &o.GO386
	case "GOMIPS":
		return &o.GOMIPS
	case "GOMIPS64":
		return &o.GOMIPS64
	case "GOPPC64":
		return &o.GOPPC64
	case "GORISCV64":
		return &o.GORISCV64
	}
	return nil
}

// OptionsOf returns the options of a cell built as c.
func OptionsOf(c buildmatrix.Combination) Options {
	o := Options{CGO: c.CGO, GOOS: c.GOOS, GOARCH: c.GOARCH, Strip: c.Strip, Tags: c.Tags, Build: c.Build}
	if v := o.variant(); v != nil {
		*v = c.Variant
	}
	return o
}

// Combination returns the buildmatrix cell the options describe.
func (o Options) Combination() buildmatrix.Combination {
	c := buildmatrix.Combination{CGO: o.CGO, GOOS: o.GOOS, GOARCH: o.GOARCH, Strip: o.Strip, Tags: o.Tags, Build: o.Build}
	if v := o.variant(); v != nil {
		c.Variant = *v
	}
	return c
}

// MarshalJSON writes Tags as [] rather than null when there are none, so
// that "tags" is always a list.
func (o Options) MarshalJSON() ([]byte, error) {
	type plain Options
	p := plain(o)
	if p.Tags == nil {
		p.Tags = []string{}
	}
	return json.Marshal(p)
}

// String returns the canonical id of the cell (buildmatrix.Combination's
// String).
func (o Options) String() string { return o.Combination().String() }

// Platform returns the cell's GOOS/GOARCH.
func (o Options) Platform() buildmatrix.Platform { return o.Combination().Platform() }

// FileName returns the cell's id as a file name, as --keep names binaries.
func (o Options) FileName() string { return o.Combination().FileName() }

// Label names the cell by how it differs from base.
func (o Options) Label(base Options) string { return o.Combination().Label(base.Combination()) }

// Match reports whether sel selects the cell.
func (o Options) Match(sel buildmatrix.Selector) bool { return sel.Match(o.Combination()) }

// Matrix is the matrix a report was made from.
type Matrix struct {
	buildmatrix.Axes
	Exclude  []string             `json:"exclude"` // selectors, as --exclude took them
	Settings buildmatrix.Settings `json:"settings"`
	CC       map[string]string    `json:"cc"` // C compiler by platform, from --cc
	// Cells are the ids of every cell of the matrix, in build order,
	// before any sharding.
	Cells []string `json:"cells"`
	// GoReleaser is the GoReleaser config the cells come from
	// (compare --goreleaser); the axes then list the values they take.
	GoReleaser string `json:"goreleaser,omitempty"`
}

// PlannedCell is a cell compare --list would build: what it is and the
// command that builds it.
type PlannedCell struct {
	ID      string  `json:"id"`
	Options Options `json:"options"`
	Label   string  `json:"label"`
	Command string  `json:"command"`
	// Skip says why the run would skip the cell, when it would.
	Skip string `json:"skip,omitempty"`
}

// Timing says how a compare run spent its wall time.
type Timing struct {
	WallSeconds float64 `json:"wall_seconds"` // from the first go command to the last analysis
	// BusySeconds is the wall time during which at least one go build
	// ran; the rest is binscope's own work.
	BusySeconds float64 `json:"busy_seconds"`
	Jobs        int     `json:"jobs"`
}

// Status is how a cell's build went.
type Status string

// Cell statuses, the values of a cell's "status".
const (
	StatusOK      Status = "ok"
	StatusFailed  Status = "failed"
	StatusSkipped Status = "skipped"
)

// Cell is one build of the matrix.
type Cell struct {
	ID           string          `json:"id"`
	Options      Options         `json:"options"`
	Command      string          `json:"command"` // the shell command that reproduces the build
	Status       Status          `json:"status"`  // ok, failed or skipped
	Reason       string          `json:"reason"`  // why it failed or was skipped
	Size         int64           `json:"size"`
	Binary       *analyze.Binary `json:"binary"` // the same object as one entry of inspect's "binaries"
	BuildSeconds float64         `json:"build_seconds"`
	// StartSeconds is when the build started, in seconds since its run
	// (or shard) began: with BuildSeconds it shows which builds
	// overlapped.
	StartSeconds float64 `json:"start_seconds"`
	// CompiledPackages is how many packages the build compiled rather
	// than found in the build cache. On a cold cache the first build of
	// each compile configuration (platform, cgo, tags) compiles them, and
	// its BuildSeconds holds that shared work; the builds after it link.
	CompiledPackages int `json:"compiled_packages"`
	// LinkSeconds is how long the linker ran, from when it started to
	// the build's end, when binscope could watch for it; nil otherwise.
	LinkSeconds *float64              `json:"link_seconds,omitempty"`
	Packages    []analyze.PackageSize `json:"packages,omitempty"`
	Modules     []analyze.ModuleSize  `json:"modules,omitempty"`

	// Index is the cell's place in Matrix.Cells.
	Index int `json:"index"`
	// Label is the options as a user types them on top of a plain
	// go build: CGO_ENABLED=0 -ldflags="-s -w" -tags=containers, or
	// "go build" for the baseline.
	Label string `json:"label"`
	// Env are the variables the build set over the inherited
	// environment, and Args the go command's arguments (without -o and
	// the package, "."); Command is the two as a shell line, run in the
	// target's folder.
	Env       []string `json:"env"`
	Args      []string `json:"args"`
	GoVersion string   `json:"go_version"`
	// Delta is Size minus the baseline's size, and DeltaPercent that as
	// a percentage of the baseline; null when either did not build.
	Delta        *int64   `json:"delta"`
	DeltaPercent *float64 `json:"delta_percent"`
	// Note is what else is worth knowing about an ok cell, such as a cgo
	// cell that no C compiler was needed for.
	Note string `json:"note,omitempty"`
	// CgoUnused is set on a cell built with CGO_ENABLED=1 none of whose
	// packages uses cgo (so it needed no C compiler): cgo changes nothing
	// in it. It is known for the cells compare checked, those that had no
	// C compiler.
	CgoUnused bool `json:"cgo_unused,omitempty"`
	// CgoStubs are the packages a CGO_ENABLED=0 cell compiled without
	// their C code, from a !cgo fallback that may be a stub failing at
	// run time (as mattn/go-sqlite3's is): the cell builds, but may not
	// work. Found by comparing go list with cgo on and off.
	CgoStubs []string `json:"cgo_stubs,omitempty"`
}

// Effect is the median change one option value causes across the pairs of
// cells that differ only in that option.
type Effect struct {
	Option  string  `json:"option"` // as a user types it: -ldflags="-s -w", CGO_ENABLED=0, -tags=containers
	Delta   int64   `json:"delta"`  // median change in bytes
	Percent float64 `json:"percent"`
	Pairs   int     `json:"pairs"` // how many cell pairs the median is taken over
	Note    string  `json:"note,omitempty"`

	// Key is the option's name (cgo, strip, tags or platform) and Value
	// the value whose effect this is (0 or 1, on, containers+netgo,
	// linux/arm64); Against is the baseline's value it is measured from.
	Key     string `json:"key"`
	Value   string `json:"value"`
	Against string `json:"against"`
	// Min and Max are the smallest and largest change of a pair.
	Min int64 `json:"min"`
	Max int64 `json:"max"`
	// NoEffectOn lists the platforms where the option changes nothing:
	// every pair of cells is the same size, or, for cgo, no package of
	// the cgo build uses cgo.
	NoEffectOn []string `json:"no_effect_on"`
	// ByPlatform splits the effect by the platform of its pairs, in the
	// matrix's platform order, when the pairs span more than one: an
	// option can save megabytes on Linux and nothing on macOS, and the
	// pooled median hides which.
	ByPlatform []PlatformEffect `json:"by_platform,omitempty"`
}

// PlatformEffect is an Effect over the pairs of one platform.
type PlatformEffect struct {
	Platform string  `json:"platform"` // GOOS/GOARCH
	Delta    int64   `json:"delta"`    // median change in bytes
	Percent  float64 `json:"percent"`
	Pairs    int     `json:"pairs"`
	Min      int64   `json:"min"`
	Max      int64   `json:"max"`
	// NoEffect is set when the option changes nothing on this platform
	// (see Effect.NoEffectOn).
	NoEffect bool `json:"no_effect"`
}

// Headline sets the baseline against the smallest cell, as the seed
// compared 13M with 7.2M.
type Headline struct {
	Baseline string  `json:"baseline"` // cell id
	Smallest string  `json:"smallest"` // cell id
	Delta    int64   `json:"delta"`
	Percent  float64 `json:"percent"`
	// Text is the headline in words: go build → 13M (dynamically
	// linked, with debug_info, not stripped); CGO_ENABLED=0
	// -ldflags="-s -w" -tags=containers → 7.2M (statically linked,
	// stripped): -45%
	Text string `json:"text"`
}

// Summarize fills in what follows from a report's cells: each cell's
// delta against the baseline, the option effects and the headline; and
// puts the cells in report order, biggest first (ok cells by size, then
// id; then failed and skipped cells in matrix order). compare and merge
// both end with it.
func (r *Report) Summarize() {
	byID := map[string]*Cell{}
	for i := range r.Cells {
		byID[r.Cells[i].ID] = &r.Cells[i]
	}
	base := byID[r.Baseline]
	baseOK := base != nil && base.Status == StatusOK
	var baseOpts Options
	if base != nil {
		baseOpts = base.Options
	} else if c, err := buildmatrix.Parse(r.Baseline); err == nil {
		baseOpts = OptionsOf(c)
	}
	for i := range r.Cells {
		c := &r.Cells[i]
		c.Label = c.Options.Label(baseOpts)
		c.Delta, c.DeltaPercent = nil, nil
		if baseOK && c.Status == StatusOK {
			d := c.Size - base.Size
			p := percent(d, base.Size)
			c.Delta, c.DeltaPercent = &d, &p
		}
	}
	sort.SliceStable(r.Cells, func(i, j int) bool { return cellLess(&r.Cells[i], &r.Cells[j]) })
	r.Effects = effects(r.Cells, baseOpts)
	r.Headline = nil
	if baseOK {
		// The smallest cell of the baseline's platform: the seed's
		// comparison is of two builds for one machine.
		var smallest *Cell
		for i := range r.Cells {
			c := &r.Cells[i]
			if c.Options.Platform() != baseOpts.Platform() {
				continue
			}
			if c.Status == StatusOK && (smallest == nil || c.Size < smallest.Size || c.Size == smallest.Size && c.Index < smallest.Index) {
				smallest = c
			}
		}
		r.Headline = headline(byIDIn(r.Cells, r.Baseline), smallest)
	}
}

func byIDIn(cells []Cell, id string) *Cell {
	for i := range cells {
		if cells[i].ID == id {
			return &cells[i]
		}
	}
	return nil
}

func cellLess(a, b *Cell) bool {
	rank := func(c *Cell) int {
		switch c.Status {
		case StatusOK:
			return 0
		case StatusFailed:
			return 1
		}
		return 2
	}
	if rank(a) != rank(b) {
		return rank(a) < rank(b)
	}
	if rank(a) == 0 && a.Size != b.Size {
		return a.Size > b.Size
	}
	if rank(a) == 0 {
		return a.ID < b.ID
	}
	return a.Index < b.Index
}

func percent(delta, base int64) float64 {
	p, _ := units.PercentOf(delta, base)
	return p
}

// headline words the comparison of the baseline with the smallest cell.
func headline(base, small *Cell) *Headline {
	if base == nil || small == nil || base.Binary == nil || small.Binary == nil {
		return nil
	}
	d := small.Size - base.Size
	h := &Headline{Baseline: base.ID, Smallest: small.ID, Delta: d, Percent: percent(d, base.Size)}
	if small.ID == base.ID {
		h.Text = fmt.Sprintf("%s → %s (%s): the smallest build of %s",
			base.Label, units.HumanSize(base.Size), describe(base.Binary), base.Options.Platform())
		return h
	}
	h.Text = fmt.Sprintf("%s → %s (%s); %s → %s (%s): %s",
		base.Label, units.HumanSize(base.Size), describe(base.Binary),
		small.Label, units.HumanSize(small.Size), describe(small.Binary), units.Percent(d, base.Size))
	return h
}

// describe words a binary's linkage and stripping as file(1) does:
// "dynamically linked, with debug_info, not stripped" or "statically
// linked, stripped".
func describe(b *analyze.Binary) string {
	if b == nil || b.Facts == nil {
		return ""
	}
	var parts []string
	if l := LinkedWords(b.Linkage); l != "" {
		parts = append(parts, l)
	}
	if b.DebugInfo {
		parts = append(parts, "with debug_info")
	}
	if b.Stripped {
		parts = append(parts, "stripped")
	} else {
		parts = append(parts, "not stripped")
	}
	return strings.Join(parts, ", ")
}

// LinkedWords words a linkage as file(1) does: "statically linked",
// "static-pie linked", "dynamically linked"; "" for another value.
func LinkedWords(linkage string) string {
	switch linkage {
	case "static":
		return "statically linked"
	case "static-pie":
		return "static-pie linked"
	case "dynamic":
		return "dynamically linked"
	}
	return ""
}

// effectAxes are the options whose effects a report gives, in order.
var effectAxes = []string{"cgo", "strip", "tags", "platform"}

func axisValue(o Options, key string) string {
	switch key {
	case "cgo":
		if o.CGO {
			return "1"
		}
		return "0"
	case "strip":
		if o.Strip {
			return "on"
		}
		return "off"
	case "tags":
		return strings.Join(buildmatrix.NormalizeTags(o.Tags), "+")
	case "platform":
		return o.Platform().String()
	}
	return ""
}

func withAxis(o Options, key string, from Options) Options {
	switch key {
	case "cgo":
		o.CGO = from.CGO
	case "strip":
		o.Strip = from.Strip
	case "tags":
		o.Tags = from.Tags
	case "platform":
		o.GOOS, o.GOARCH = from.GOOS, from.GOARCH
	}
	return o
}

// effectLabel is how a user types one option value.
func effectLabel(key string, o Options, base Options) string {
	switch key {
	case "cgo":
		if o.CGO {
			return "CGO_ENABLED=1"
		}
		return "CGO_ENABLED=0"
	case "strip":
		if o.Strip {
			return `-ldflags="-s -w"`
		}
		return `no -ldflags="-s -w"`
	case "tags":
		t := buildmatrix.NormalizeTags(o.Tags)
		if len(t) == 0 {
			return "no -tags"
		}
		return "-tags=" + strings.Join(t, ",")
	case "platform":
		return "GOOS=" + o.GOOS + " GOARCH=" + o.GOARCH
	}
	return ""
}

type pair struct {
	delta    int64
	percent  float64
	platform string
	none     bool // the option changes nothing in this pair
	unused   bool // a cgo pair whose cgo cell uses no cgo package
}

// effects computes, for each option value other than the baseline's, the
// median change across the pairs of ok cells that differ only in that
// option, one of them having the baseline's value. Effects are ordered
// by the size of the median change, largest first.
func effects(cells []Cell, base Options) []Effect {
	ok := map[string]*Cell{}
	for i := range cells {
		if cells[i].Status == StatusOK {
			ok[cells[i].ID] = &cells[i]
		}
	}
	type group struct {
		key, value string
		example    Options
		pairs      []pair
	}
	groups := map[string]*group{}
	for _, key := range effectAxes {
		ref := axisValue(base, key)
		for _, b := range cells {
			if b.Status != StatusOK || axisValue(b.Options, key) == ref {
				continue
			}
			a := ok[withAxis(b.Options, key, base).String()]
			if a == nil {
				continue
			}
			val := axisValue(b.Options, key)
			g := groups[key+"\x00"+val]
			if g == nil {
				g = &group{key: key, value: val, example: b.Options}
				groups[key+"\x00"+val] = g
			}
			d := b.Size - a.Size
			unused := key == "cgo" && (a.CgoUnused || b.CgoUnused)
			g.pairs = append(g.pairs, pair{delta: d, percent: percent(d, a.Size), platform: b.Options.Platform().String(), none: d == 0 || unused, unused: unused})
		}
	}
	out := []Effect{}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		g := groups[k]
		deltas := make([]int64, len(g.pairs))
		pcts := make([]float64, len(g.pairs))
		for i, p := range g.pairs {
			deltas[i], pcts[i] = p.delta, p.percent
		}
		e := Effect{
			Option:     effectLabel(g.key, g.example, base),
			Key:        g.key,
			Value:      g.value,
			Against:    effectLabel(g.key, base, base),
			Delta:      medianInt(deltas),
			Percent:    medianFloat(pcts),
			Pairs:      len(g.pairs),
			Min:        slices.Min(deltas),
			Max:        slices.Max(deltas),
			NoEffectOn: []string{},
		}
		if g.key == "platform" {
			e.Against = effectLabel("platform", base, base)
		}
		none := map[string]bool{}
		unused := false
		for _, p := range g.pairs {
			if _, seen := none[p.platform]; !seen {
				none[p.platform] = true
			}
			none[p.platform] = none[p.platform] && p.none
			unused = unused || p.unused
		}
		for _, plat := range slices.Sorted(maps.Keys(none)) {
			if none[plat] {
				e.NoEffectOn = append(e.NoEffectOn, plat)
			}
		}
		if len(none) > 1 && g.key != "platform" {
			e.ByPlatform = byPlatform(g.pairs, none, base.Platform().String())
		}
		why := "every pair is the same size"
		if unused {
			why = "no package uses cgo there"
		}
		switch {
		case len(e.NoEffectOn) == len(none):
			e.Note = "no effect: " + why
		case len(e.NoEffectOn) > 0 && g.key != "platform":
			e.Note = "no effect on " + strings.Join(e.NoEffectOn, ", ") + ": " + why
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ai, aj := abs(out[i].Delta), abs(out[j].Delta)
		if ai != aj {
			return ai > aj
		}
		return out[i].Option < out[j].Option
	})
	return out
}

// byPlatform is the effect of pairs on each of their platforms, the
// baseline's platform first and the others by name; none says which
// platforms the option changes nothing on.
func byPlatform(pairs []pair, none map[string]bool, basePlatform string) []PlatformEffect {
	deltas := map[string][]int64{}
	pcts := map[string][]float64{}
	for _, p := range pairs {
		deltas[p.platform] = append(deltas[p.platform], p.delta)
		pcts[p.platform] = append(pcts[p.platform], p.percent)
	}
	order := slices.SortedFunc(maps.Keys(deltas), func(a, b string) int {
		return cmp.Or(-cmp.Compare(boolInt(a == basePlatform), boolInt(b == basePlatform)), cmp.Compare(a, b))
	})
	var out []PlatformEffect
	for _, plat := range order {
		d := deltas[plat]
		out = append(out, PlatformEffect{
			Platform: plat,
			Delta:    medianInt(d),
			Percent:  medianFloat(pcts[plat]),
			Pairs:    len(d),
			Min:      slices.Min(d),
			Max:      slices.Max(d),
			NoEffect: none[plat],
		})
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// medianInt is the middle value, or the mean of the two middle values
// rounded half away from zero.
func medianInt(v []int64) int64 {
	lo, hi := middle(v)
	return int64(math.Round((float64(lo) + float64(hi)) / 2))
}

func medianFloat(v []float64) float64 {
	lo, hi := middle(v)
	return (lo + hi) / 2
}

// middle returns the two middle values of v in order (the same one twice
// for an odd count), zeros for none.
func middle[T int64 | float64](v []T) (lo, hi T) {
	if len(v) == 0 {
		return 0, 0
	}
	s := slices.Sorted(slices.Values(v))
	return s[(len(s)-1)/2], s[len(s)/2]
}

// ErrMerge is wrapped by every error of Merge: reports that are not
// shards of one run.
var ErrMerge = errors.New("cannot merge")

// Merge joins the shard reports of one matrix into one report, as if one
// run had built every cell. It refuses reports of different targets,
// toolchains or matrices, a shard given twice and missing shards; names
// label the reports in its errors.
func Merge(names []string, reports []*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, fmt.Errorf("%w: no reports", ErrMerge)
	}
	first := reports[0]
	out := &Report{
		SchemaVersion: analyze.SchemaVersion,
		Target:        first.Target,
		Baseline:      first.Baseline,
		Matrix:        first.Matrix,
	}
	count := shardCount(first)
	shards := map[int]string{}
	cells := map[string]string{} // id → report name
	for i, r := range reports {
		name := names[i]
		if r.SchemaVersion != analyze.SchemaVersion {
			return nil, fmt.Errorf("%w %s: schema_version %d, want %d", ErrMerge, name, r.SchemaVersion, analyze.SchemaVersion)
		}
		if err := sameRun(first, r); err != nil {
			return nil, fmt.Errorf("%w %s with %s: %v", ErrMerge, name, names[0], err)
		}
		if n := shardCount(r); n != count {
			return nil, fmt.Errorf("%w %s with %s: it is one of %d shards, %s one of %d", ErrMerge, name, names[0], n, names[0], count)
		}
		k := 1
		if r.Shard != nil {
			k = r.Shard.Index
		}
		if prev, dup := shards[k]; dup {
			return nil, fmt.Errorf("%w: %s and %s are both shard %d/%d", ErrMerge, prev, name, k, count)
		}
		shards[k] = name
		for _, c := range r.Cells {
			if prev, dup := cells[c.ID]; dup {
				return nil, fmt.Errorf("%w: cell %s is in both %s and %s", ErrMerge, c.ID, prev, name)
			}
			if !slices.Contains(first.Matrix.Cells, c.ID) {
				return nil, fmt.Errorf("%w %s: cell %s is not in the matrix", ErrMerge, name, c.ID)
			}
			cells[c.ID] = name
			out.Cells = append(out.Cells, c)
		}
	}
	var missing []string
	for k := 1; k <= count; k++ {
		if _, ok := shards[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, count))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: shard %s missing", ErrMerge, strings.Join(missing, ", "))
	}
	if out.Cells == nil {
		out.Cells = []Cell{}
	}
	out.Summarize()
	return out, nil
}

func shardCount(r *Report) int {
	if r.Shard == nil {
		return 1
	}
	return r.Shard.Count
}

// sameRun says how two reports differ in what they built: target,
// toolchain, host, inherited settings or matrix; nil when they do not.
func sameRun(a, b *Report) error {
	ta, tb := a.Target, b.Target
	switch {
	case ta.Module != tb.Module || ta.Package != tb.Package:
		return fmt.Errorf("different targets (%s, %s)", ta.Package, tb.Package)
	case ta.Version != tb.Version:
		return fmt.Errorf("different versions of %s (%s, %s)", ta.Module, cmp.Or(ta.Version, "the main module"), cmp.Or(tb.Version, "the main module"))
	case ta.GoVersion != tb.GoVersion:
		return fmt.Errorf("different toolchains (%s, %s)", ta.GoVersion, tb.GoVersion)
	case ta.Host != tb.Host:
		return fmt.Errorf("different hosts (%s, %s)", ta.Host, tb.Host)
	case !maps.Equal(ta.Inherited, tb.Inherited):
		return fmt.Errorf("different inherited go settings (%s; %s)", kvList(ta.Inherited), kvList(tb.Inherited))
	case a.Baseline != b.Baseline:
		return fmt.Errorf("different baselines (%s, %s)", a.Baseline, b.Baseline)
	}
	ma, mb := a.Matrix, b.Matrix
	for _, part := range []struct {
		name string
		a, b any
	}{
		{"cgo", ma.CGO, mb.CGO},
		{"platforms", ma.Platforms, mb.Platforms},
		{"strip", ma.Strip, mb.Strip},
		{"tags", ma.TagSets, mb.TagSets},
		{"exclude", ma.Exclude, mb.Exclude},
		{"settings", ma.Settings, mb.Settings},
		{"cc", ma.CC, mb.CC},
		{"cells", ma.Cells, mb.Cells},
	} {
		ja, _ := json.Marshal(part.a)
		jb, _ := json.Marshal(part.b)
		if !bytes.Equal(ja, jb) {
			return fmt.Errorf("different matrices: %s %s, %s", part.name, ja, jb)
		}
	}
	return nil
}

func kvList(m map[string]string) string {
	if len(m) == 0 {
		return "none"
	}
	var s []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s = append(s, k+"="+m[k])
	}
	return strings.Join(s, " ")
}
