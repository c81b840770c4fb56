package main

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/binscope/binscope/analyze/advise"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/internal/testbuild"
)

// why's and advise's reports match their schemas, on pomo.
func TestWhySchema(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pomo")
	}
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("BINSCOPE_CACHE", graphCacheForTests(t))
	pomo := testbuild.Pomo(t)
	for _, args := range [][]string{
		{"why", "-q", "--format", "json", "encoding/json", pomo},
		{"why", "-q", "--format", "json", "html/template.(*Template).Execute", pomo},
		{"why", "-q", "--format", "json", "internal/goos", pomo},
		{"why", "-q", "--format", "json", "--top", "5", pomo},
	} {
		out := mustRun(t, args...)
		checkSchema(t, "why.schema.json", out)
		var r whyReport
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		if r.Build.Symbols == 0 || r.Build.Edges == 0 || r.Build.Size == 0 {
			t.Errorf("%v: build %+v", args, r.Build)
		}
		switch q := args[4]; {
		case q == "internal/goos":
			if r.Answer == nil || r.Answer.InBinary || len(r.Answer.ImportChain) < 2 {
				t.Errorf("why internal/goos: %+v, want imported, not in the binary", r.Answer)
			}
		case q == "--top":
			if r.Top == nil || len(r.Top.Packages) != 5 {
				t.Errorf("why --top 5: %+v", r.Top)
			}
		default:
			if a := r.Answer; a == nil || !a.InBinary || a.Retained.Bytes < a.Bytes/2 || len(a.Chain) == 0 {
				t.Errorf("why %s: %+v", q, a)
			}
		}
	}
}

var (
	graphCacheOnce    sync.Once
	graphCacheDirTest string
)

// graphCacheForTests is one folder for the graph linker for the whole
// test binary.
func graphCacheForTests(t *testing.T) string {
	graphCacheOnce.Do(func() {
		graphCacheDirTest, _ = os.MkdirTemp("", "binscope-graph-")
	})
	if graphCacheDirTest == "" {
		t.Fatal("no temporary folder for the graph linker")
	}
	return graphCacheDirTest
}

// Advice is honest: every measured saving is the difference of two sizes
// that compare reports for the same cells, built the same way.
func TestAdviseMeasuredIsCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pomo")
	}
	t.Setenv("GOTOOLCHAIN", "local")
	t.Setenv("BINSCOPE_CACHE", graphCacheForTests(t))
	pomo := testbuild.Pomo(t)
	out := mustRun(t, "advise", "-q", "--format", "json", pomo)
	checkSchema(t, "advise.schema.json", out)
	var r adviseReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	sizes := map[string]int64{}
	readCompare := func(key string, args ...string) {
		var c compare.Report
		if err := json.Unmarshal(mustRun(t, append([]string{"compare", "-q", "--format", "json", "--tags", ""}, args...)...), &c); err != nil {
			t.Fatal(err)
		}
		for _, cell := range c.Cells {
			if cell.Status == compare.StatusOK {
				sizes[key+cell.ID] = cell.Size
			}
		}
	}
	readCompare("", "--cgo", "0,1", pomo)
	readCompare("trimpath:", "--trimpath", pomo)
	readCompare("", "--tags", "netgo,osusergo", pomo)
	measured := 0
	for _, a := range r.Actions {
		if a.How != advise.Measured {
			continue
		}
		measured++
		variant := a.Cells[1]
		if a.ID == "trimpath" {
			variant = "trimpath:" + variant
		}
		if want := sizes[a.Cells[0]]; a.Sizes[0] != want {
			t.Errorf("%s: the build is %d bytes, compare says %d for %s", a.ID, a.Sizes[0], want, a.Cells[0])
		}
		if want, ok := sizes[variant]; !ok || a.Sizes[1] != want {
			t.Errorf("%s: the variant is %d bytes, compare says %d for %s", a.ID, a.Sizes[1], want, variant)
		}
		if a.Saving != a.Sizes[0]-a.Sizes[1] {
			t.Errorf("%s: saving %d, sizes %v", a.ID, a.Saving, a.Sizes)
		}
	}
	if measured < 2 {
		t.Errorf("%d measured actions, want at least -s -w and -trimpath", measured)
	}
	for i := 1; i < len(r.Actions); i++ {
		if r.Actions[i].Saving > r.Actions[i-1].Saving {
			t.Errorf("action %d saves more than action %d: not ranked", i+1, i)
		}
	}
	text := string(mustRun(t, "advise", "-q", pomo))
	for _, want := range []string{"Strip the symbol table and DWARF", "(measured)", "(computed)", "text/template.(*state).evalField"} {
		if !strings.Contains(text, want) {
			t.Errorf("advise's text lacks %q:\n%s", want, text)
		}
	}
	md := string(mustRun(t, "advise", "-q", "--format", "markdown", pomo))
	if !strings.HasPrefix(md, "### What would make `example.com/pomo` smaller\n") || !strings.Contains(md, "| # | action | saving | how | change |") {
		t.Errorf("advise's markdown:\n%s", md)
	}
}
