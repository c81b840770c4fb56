package buildmatrix

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Platform is a GOOS/GOARCH pair.
type Platform struct {
	GOOS   string `json:"goos"`
	GOARCH string `json:"goarch"`
}

// String returns "GOOS/GOARCH".
func (p Platform) String() string { return p.GOOS + "/" + p.GOARCH }

// MarshalJSON writes a platform as "GOOS/GOARCH", as flags and YAML do.
func (p Platform) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// UnmarshalJSON reads "GOOS/GOARCH".
func (p *Platform) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	q, err := ParsePlatform(s)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePlatform reads "GOOS/GOARCH". It checks the spelling only; whether
// the toolchain knows the pair is for the caller to ask it.
func ParsePlatform(s string) (Platform, error) {
	goos, goarch, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || !validName(goos) || !validName(goarch) || strings.Contains(goarch, "/") {
		return Platform{}, fmt.Errorf("invalid platform %q: want GOOS/GOARCH, such as linux/amd64", s)
	}
	return Platform{GOOS: goos, GOARCH: goarch}, nil
}

// Axes are the options a matrix varies. Each axis lists its values in the
// order the cells are built; an empty axis is an error.
type Axes struct {
	CGO       []bool     `json:"cgo"`
	Platforms []Platform `json:"platforms"`
	Strip     []bool     `json:"strip"`
	TagSets   [][]string `json:"tags"`
}

// ErrAllExcluded is returned by Expand when the exclusions leave no cell.
var ErrAllExcluded = errors.New("the exclusions remove every cell of the matrix")

// Expand returns the cells of the matrix in its stable order, without the
// cells any of exclude matches. Platforms vary slowest, then cgo, then tag
// sets, then strip, so that the cells sharing a compile configuration (all
// but strip) are next to each other: a cell and its -s -w twin. Repeated
// values in an axis count once.
func Expand(a Axes, exclude []Selector) ([]Combination, error) {
	for name, n := range map[string]int{"cgo": len(a.CGO), "platform": len(a.Platforms), "strip": len(a.Strip), "tags": len(a.TagSets)} {
		if n == 0 {
			return nil, fmt.Errorf("expand matrix: no value for %s", name)
		}
	}
	var cells []Combination
	seen := map[string]bool{}
	for _, p := range a.Platforms {
		for _, cgo := range a.CGO {
			for _, tags := range a.TagSets {
				for _, strip := range a.Strip {
					c := Combination{CGO: cgo, GOOS: p.GOOS, GOARCH: p.GOARCH, Strip: strip, Tags: NormalizeTags(tags)}
					id := c.String()
					if seen[id] {
						continue
					}
					seen[id] = true
					if excluded(c, exclude) {
						continue
					}
					cells = append(cells, c)
				}
			}
		}
	}
	if len(cells) == 0 {
		return nil, ErrAllExcluded
	}
	return cells, nil
}

func excluded(c Combination, exclude []Selector) bool {
	for _, sel := range exclude {
		if sel.Match(c) {
			return true
		}
	}
	return false
}

// Unmatched returns the indexes in exclude of the selectors that match
// none of the cells of a (before exclusion): most likely misspelt.
func Unmatched(a Axes, exclude []Selector) []int {
	all, err := Expand(a, nil)
	if err != nil {
		return nil
	}
	var out []int
	for i, sel := range exclude {
		if !slices.ContainsFunc(all, sel.Match) {
			out = append(out, i)
		}
	}
	return out
}

// Shard is the K-th of N slices of a matrix (1 ≤ K ≤ N).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// String returns "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseShard reads "K/N".
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("invalid shard %q: want K/N, such as 1/4", s)
	}
	if ni < 1 || ki < 1 || ki > ni {
		return Shard{}, fmt.Errorf("invalid shard %q: want 1 ≤ K ≤ N", s)
	}
	return Shard{Index: ki, Count: ni}, nil
}

// Select returns the cells of the shard: the K-th of N contiguous slices
// of cells, cut only between compile configurations, so that a cell and
// its -s -w twin are built on the same machine and the twin costs only a
// link. The slices hold as nearly equal numbers of compile configurations
// as can be; with more shards than configurations some shards are empty.
func (s Shard) Select(cells []Combination) []Combination {
	if s.Count <= 1 {
		return cells
	}
	groups := Groups(cells)
	lo := (s.Index - 1) * len(groups) / s.Count
	hi := s.Index * len(groups) / s.Count
	var out []Combination
	for _, g := range groups[lo:hi] {
		out = append(out, g...)
	}
	return out
}

// Groups splits cells into runs of the same compile configuration, in
// order. Cells of one configuration that are not next to each other form
// separate groups; Expand's order keeps them together.
func Groups(cells []Combination) [][]Combination {
	var groups [][]Combination
	for i, c := range cells {
		if i > 0 && cells[i-1].CompileKey() == c.CompileKey() {
			groups[len(groups)-1] = append(groups[len(groups)-1], c)
			continue
		}
		groups = append(groups, []Combination{c})
	}
	return groups
}
