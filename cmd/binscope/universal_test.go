package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/internal/testbuild"
)

// TestUniversalSchemas validates the inspect, size and diff reports of a
// macOS universal binary against docs/schema, and checks that the size
// report is of one slice and says so.
func TestUniversalSchemas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds testdata/pomo for darwin/amd64 and darwin/arm64")
	}
	path, _ := testbuild.Universal(t, testbuild.Pomo(t), "pomo-universal")
	runJSON := func(args ...string) []byte { t.Helper(); return mustRun(t, args...) }
	checkSchema(t, "inspect.schema.json", runJSON("inspect", "--format", "json", path))
	size := runJSON("size", "--format", "json", "--arch", "arm64", path)
	checkSchema(t, "size.schema.json", size)
	checkSchema(t, "diff.schema.json", runJSON("diff", "--format", "json", "--arch", "arm64", path, path))
	var r analyze.SizeReport
	if err := json.Unmarshal(size, &r); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if u := r.Universal; u == nil || u.Arch != "arm64" || r.GOARCH != "arm64" || u.UniversalSize != st.Size() || r.Size >= st.Size() {
		t.Errorf("size report of the arm64 slice: goarch %s, size %d, universal %+v; file of %d bytes", r.GOARCH, r.Size, r.Universal, st.Size())
	}
	// check's budgets measure the whole file, fat header and all.
	check := runJSON("check", "--format", "json", "--max-size", "1G", path)
	checkSchema(t, "check.schema.json", check)
	var c struct {
		Cells []struct {
			Size int64 `json:"size"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(check, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Cells) != 1 || c.Cells[0].Size != st.Size() {
		t.Errorf("check cells %+v, want one of the file's %d bytes", c.Cells, st.Size())
	}
}
