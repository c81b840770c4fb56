package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/google/go-cmp/cmp"
)

const issueExample = `target: ./cmd/pomo
matrix:
  cgo: [false, true]
  platforms: [linux/amd64, darwin/arm64]
  strip: [false, true]
  tags: [[], [containers]]
  exclude: [{cgo: true, goos: darwin}]
budgets:
  - name: container image binary
    cells: {cgo: 0, strip: true, tags: [containers]}   # or: all
    max_size: 8M
    warn_size: 7.5M
    linkage: static
    stripped: true
  - name: no surprise growth
    cells: all
    max_growth: 5%          # against --baseline
    max_growth_bytes: 300K  # with both given, fail only when both are exceeded
`

func ptr[T any](v T) *T { return &v }

func TestParseIssueExample(t *testing.T) {
	c, err := Parse([]byte(issueExample), ".binscope.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		File:   ".binscope.yaml",
		Target: "./cmd/pomo",
		Line:   1,
		Matrix: buildmatrix.Axes{
			CGO:       []bool{false, true},
			Platforms: []buildmatrix.Platform{{GOOS: "linux", GOARCH: "amd64"}, {GOOS: "darwin", GOARCH: "arm64"}},
			Strip:     []bool{false, true},
			TagSets:   [][]string{nil, {"containers"}},
		},
		PlatformsLine: 4,
		TagsLine:      6,
		Exclude:       []buildmatrix.Selector{{CGO: ptr(true), GOOS: "darwin"}},
		ExcludeLines:  []int{7},
		Budgets: []budget.Budget{
			{
				Name: "container image binary", Line: 9,
				Cells: buildmatrix.Selector{CGO: ptr(false), Strip: ptr(true), Tags: ptr([]string{"containers"})},
				Rules: []budget.Rule{
					{Kind: "max_size", Line: 11, Bytes: 8 << 20, HasBytes: true},
					{Kind: "warn_size", Line: 12, Bytes: 7864320, HasBytes: true},
					{Kind: "linkage", Line: 13, Linkage: "static"},
					{Kind: "stripped", Line: 14, Want: true},
				},
			},
			{
				Name: "no surprise growth", Line: 15, All: true,
				Rules: []budget.Rule{
					{Kind: "max_growth", Line: 17, Percent: 5, HasPercent: true, Bytes: 300 << 10, HasBytes: true},
				},
			},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseVariants(t *testing.T) {
	c, err := Parse([]byte(`
matrix:
  goos: [linux, windows]
  goarch: amd64
  cgo: 0
  strip: true
build:
  ldflags: -X main.version=1
  trimpath: true
budgets:
  - cells: {platform: linux/amd64, tags: []}
    max_size: 8000000
    max_headroom: 20%
    debug_info: false
    warn_growth: 2.5%
`), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]buildmatrix.Platform{{GOOS: "linux", GOARCH: "amd64"}, {GOOS: "windows", GOARCH: "amd64"}}, c.Matrix.Platforms); diff != "" {
		t.Errorf("platforms (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(buildmatrix.Settings{LDFlags: "-X main.version=1", Trimpath: true}, c.Settings); diff != "" {
		t.Errorf("settings (-want +got):\n%s", diff)
	}
	b := c.Budgets[0]
	if b.Name != "budget 1" || b.CellsText() != "goos=linux,goarch=amd64,tags=" {
		t.Errorf("budget = %q with cells %q", b.Name, b.CellsText())
	}
	if got := b.Rules[1]; got.Kind != "max_headroom" || got.Limit != 8000000 || got.Percent != 20 {
		t.Errorf("headroom rule = %+v", got)
	}
}

// TestParseErrors: every malformed config names the file, the line and
// what is wrong.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"empty", "", "c.yaml: empty config: want at least a budgets list"},
		{"not yaml", "budgets: [\n", "c.yaml:1: invalid YAML: did not find expected node content"},
		{"tab on the first line", "\ttarget: .\n", "c.yaml:1: invalid YAML: found character that cannot start any token"},
		{"tab in the indentation", "target: .\nbudgets:\n  - name: x\n\tcells: all\n", "c.yaml:4: invalid YAML: found a tab character that violates indentation"},
		{"unclosed flow mapping", "target: .\nbudgets:\n  - {name: a, max_size: 1M\n", "c.yaml:3: invalid YAML: did not find expected ',' or '}'"},
		{"unclosed flow sequence", "target: .\n\nbudgets: [a\n", "c.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{"unterminated string", "target: .\nbudgets:\n  - name: \"a\n", "c.yaml:3: invalid YAML: found unexpected end of stream"},
		{"bad UTF-8", "target: .\nbudgets:\n  - name: \xff\n", "c.yaml:3: invalid YAML: invalid leading UTF-8 octet"},
		{"control character", "target: .\n\x01budgets:\n", "c.yaml:2: invalid YAML: control characters are not allowed"},
		{"not a mapping", "- a\n- b\n", "c.yaml:1:1: want a mapping with target, goreleaser, matrix, build, budgets"},
		{"unknown top key", "budget:\n  - cells: all\n", `c.yaml:1:1: unknown key "budget" (did you mean "budgets"?)`},
		{"unknown rule near", "budgets:\n  - cells: all\n    max_sise: 8M\n", `c.yaml:3:5: unknown key "max_sise" (did you mean "max_size"?)`},
		{"unknown rule far", "budgets:\n  - cells: all\n    frobnicate: 8M\n", `c.yaml:3:5: unknown key "frobnicate": want one of name, cells, max_size`},
		{"bad size", "budgets:\n  - cells: all\n    max_size: 8Q\n", `c.yaml:3:15: max_size: invalid size "8Q": unknown unit "Q"`},
		{"negative size", "budgets:\n  - cells: all\n    max_size: -8M\n", `c.yaml:3:15: max_size: invalid size "-8M"`},
		{"bad percent", "budgets:\n  - cells: all\n    max_growth: 5\n", `c.yaml:3:17: max_growth: invalid percentage "5": want a number followed by %`},
		{"no rule", "budgets:\n  - name: x\n    cells: all\n", `c.yaml:2:5: budget "x" has no rule`},
		{"no cells", "budgets:\n  - max_size: 1M\n", `c.yaml:2:5: budget "budget 1": no cells`},
		{"headroom without max", "budgets:\n  - cells: all\n    max_headroom: 20%\n", `c.yaml:3: budget "budget 1": max_headroom needs a max_size`},
		{"warn above max", "budgets:\n  - cells: all\n    max_size: 1M\n    warn_size: 2M\n", `c.yaml:4: budget "budget 1": warn_size (2097152 bytes) must be below max_size (1048576 bytes)`},
		{"bad linkage", "budgets:\n  - cells: all\n    linkage: statik\n", `c.yaml:3:14: linkage "statik": want static, static-pie or dynamic`},
		{"bad bool", "budgets:\n  - cells: all\n    stripped: maybe\n", `c.yaml:3:15: stripped: want true or false (or 1/0), got "maybe"`},
		{"bad selector key", "budgets:\n  - cells: {cgo: 0, gos: linux}\n    max_size: 1M\n", `c.yaml:2:21: unknown key "gos" (did you mean "goos"?)`},
		{"bad platform", "matrix:\n  platforms: [linux-amd64]\nbudgets:\n  - cells: all\n    max_size: 1M\n", `c.yaml:2:15: invalid platform "linux-amd64": want GOOS/GOARCH`},
		{"bad tag", "matrix:\n  tags: [[a b]]\nbudgets:\n  - cells: all\n    max_size: 1M\n", `c.yaml:2:10: tags: "a b" is not a build tag`},
		{"two bare tags", "matrix:\n  tags: [a, b]\nbudgets:\n  - cells: all\n    max_size: 1M\n",
			`c.yaml:2:9: tags: [a, b] is ambiguous: write [[a, b]] for one tag set (like --tags a,b) or [[a], [b]] for 2 sets, one build each (like --tags a --tags b)`},
		{"bare tags with commas", "matrix:\n  tags:\n    - netgo,osusergo\n    - containers\nbudgets:\n  - cells: all\n    max_size: 1M\n",
			`c.yaml:3:5: tags: ["netgo,osusergo", containers] is ambiguous: write [[containers, netgo, osusergo]] for one tag set (like --tags containers,netgo,osusergo) or [[netgo, osusergo], [containers]] for 2 sets, one build each (like --tags netgo,osusergo --tags containers)`},
		{"cells string", "budgets:\n  - cells: some\n    max_size: 1M\n", `c.yaml:2:12: cells: want all, or a selector`},
		{"empty selector", "budgets:\n  - cells: {}\n    max_size: 1M\n", `c.yaml:2:12: cells: empty selector matches every cell; write cells: all for that`},
		{"key twice", "budgets:\n  - cells: all\n    max_size: 1M\n    max_size: 2M\n", `c.yaml:4:5: key "max_size" given twice`},
		{"no budgets", "target: ./x\n", "c.yaml:1: no budgets"},
		{"goos alone", "matrix:\n  goos: [linux]\nbudgets:\n  - cells: all\n    max_size: 1M\n", "c.yaml:2:3: goos and goarch go together"},
		{"two documents", "budgets:\n  - cells: all\n    max_size: 1M\n---\nbudgets:\n  - cells: all\n    max_size: 2M\n", "c.yaml:4: a second YAML document: a budget file is one document"},
		{"blank goos", "budgets:\n  - cells: {goos: \" linux\"}\n    max_size: 1M\n", `c.yaml:2:19: goos " linux": want a name such as linux or amd64`},
		{"merge of a scalar", "budgets:\n  - <<: 3\n    cells: all\n    max_size: 1M\n", "c.yaml:2:9: <<: want an alias of a mapping (<<: *name) or a list of them"},
		{"merged unknown key", "x: &x {max_sise: 1M}\n", `c.yaml:1:1: unknown key "x": want one of target, goreleaser, matrix, build, budgets`},
		{"merge brings unknown key", "budgets:\n  - &b {cells: all, max_size: 1M}\n  - <<: *b\n    max_sise: 2M\n", `c.yaml:4:5: unknown key "max_sise" (did you mean "max_size"?)`},
		{"too large", "# " + strings.Repeat("x", MaxSize) + "\n", "c.yaml: 1.1M is larger than any budget file (limit 1.0M)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "c.yaml")
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *config.Error", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n got: %s\nwant: %s…", err, tc.want)
			}
		})
	}
}

// A matrix's tags is a list of tag sets. A flat list of two or more
// tags is refused (TestParseErrors) as ambiguous; the forms that say
// what they mean keep working.
func TestParseTagSets(t *testing.T) {
	for _, tc := range []struct {
		tags string
		want [][]string
	}{
		{"[[], [containers]]", [][]string{nil, {"containers"}}},
		{"[containers]", [][]string{{"containers"}}},
		{"[[a, b]]", [][]string{{"a", "b"}}},
		{"[[b, a], [a]]", [][]string{{"a", "b"}, {"a"}}},
		{`["a,b"]`, [][]string{{"a", "b"}}},
		{"[[], containers]", [][]string{nil, {"containers"}}},
		{`["", "netgo,osusergo"]`, [][]string{nil, {"netgo", "osusergo"}}},
		{"[[]]", [][]string{nil}},
	} {
		c, err := Parse([]byte("matrix:\n  tags: "+tc.tags+"\nbudgets:\n  - cells: all\n    max_size: 1M\n"), "c.yaml")
		if err != nil {
			t.Errorf("tags: %s: %v", tc.tags, err)
			continue
		}
		if diff := cmp.Diff(tc.want, c.Matrix.TagSets); diff != "" {
			t.Errorf("tags: %s (-want +got):\n%s", tc.tags, diff)
		}
		if c.TagsLine != 2 {
			t.Errorf("tags: %s: TagsLine = %d, want 2", tc.tags, c.TagsLine)
		}
	}
}

// TestParseAnchors: anchors and aliases share selectors and whole
// budgets, and a merge key (<<: *name) takes a mapping's keys, those
// written beside it overriding them.
func TestParseAnchors(t *testing.T) {
	c, err := Parse([]byte(`budgets:
  - &small
    name: small
    cells: &static {cgo: false, strip: true}
    max_size: 8M
  - <<: *small
    name: small arm
    cells: {platform: linux/arm64}
  - name: tight
    cells: *static
    max_size: 4M
  - <<: [*small]
    name: tiny
    max_size: 2M
`), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range c.Budgets {
		got = append(got, fmt.Sprintf("%s {%s} %s=%d", b.Name, b.CellsText(), b.Rules[0].Kind, b.Rules[0].Bytes))
	}
	want := []string{
		"small {cgo=0,strip=on} max_size=8388608",
		"small arm {goos=linux,goarch=arm64} max_size=8388608",
		"tight {cgo=0,strip=on} max_size=4194304",
		"tiny {cgo=0,strip=on} max_size=2097152",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("budgets (-want +got):\n%s", diff)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(sub); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find without a file = %v, want ErrNotFound", err)
	}
	want := filepath.Join(root, FileName)
	if err := os.WriteFile(want, []byte("budgets: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(sub); err != nil || got != want {
		t.Errorf("Find = %q, %v; want %q", got, err, want)
	}
	// A budget file above the module root is not this module's.
	inner := filepath.Join(root, "a")
	if err := os.WriteFile(filepath.Join(inner, "go.mod"), []byte("module y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(sub); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find past the module root = %v, want ErrNotFound", err)
	}
}

// TestParseFlowRuleOrder parses budgets written on one line, where every
// rule key has the same line: the rules keep the order they are written
// in, on every run (they once came in a map's order).
func TestParseFlowRuleOrder(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []budget.Kind
	}{
		{"flow list", `budgets: [{name: x, cells: all, max_size: 10M, warn_size: 8M, stripped: true, linkage: static, debug_info: false, max_growth: 5%, warn_growth: 1%}]`,
			[]budget.Kind{budget.MaxSize, budget.WarnSize, budget.Stripped, budget.Linkage, budget.DebugInfo, budget.MaxGrowth, budget.WarnGrowth}},
		{"flow mapping", "budgets:\n  - {cells: all, warn_growth_bytes: 1K, debug_info: false, max_size: 10M, stripped: true, max_headroom: 20%, warn_size: 9M}",
			[]budget.Kind{budget.WarnGrowth, budget.DebugInfo, budget.MaxSize, budget.Stripped, budget.MaxHeadroom, budget.WarnSize}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 50 {
				c, err := Parse([]byte(tc.doc), "x.yaml")
				if err != nil {
					t.Fatal(err)
				}
				var got []budget.Kind
				for _, r := range c.Budgets[0].Rules {
					got = append(got, r.Kind)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Fatalf("rule order (-want +got):\n%s", diff)
				}
			}
		})
	}
}
