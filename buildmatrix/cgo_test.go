package buildmatrix

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestListDeps runs go list -deps on testdata/pomo, which uses net and
// os/user: with cgo on they have cgo files, with cgo off (or with the
// netgo and osusergo tags) no package does.
func TestListDeps(t *testing.T) {
	pomo, err := filepath.Abs(filepath.Join("..", "testdata", "pomo"))
	if err != nil {
		t.Fatal(err)
	}
	env := func(cgo string) []string {
		return append(os.Environ(), "GOTOOLCHAIN=local", "GOPROXY=off", "GOWORK=off", "GOOS=linux", "CGO_ENABLED="+cgo)
	}
	tests := []struct {
		name string
		cgo  string
		tags []string
		want []string
	}{
		{"cgo on", "1", nil, []string{"net", "os/user", "runtime/cgo"}},
		{"cgo on, containers", "1", []string{"containers"}, []string{"net", "os/user", "runtime/cgo"}},
		{"cgo on, netgo osusergo", "1", []string{"netgo", "osusergo"}, []string{}},
		{"cgo off", "0", nil, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ListDeps(context.Background(), "go", pomo, env(tc.cgo), tc.tags, "")
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(slices.Values(d.Cgo))
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("cgo packages (-want +got):\n%s", diff)
			}
			if d.ImportPath != "example.com/pomo" || d.Deps[len(d.Deps)-1] != "example.com/pomo" {
				t.Errorf("import path %q, last dep %q", d.ImportPath, d.Deps[len(d.Deps)-1])
			}
			if slices.Contains(d.Deps, "net/http") == slices.Contains(tc.tags, "containers") {
				t.Errorf("net/http in deps = %v with tags %v", slices.Contains(d.Deps, "net/http"), tc.tags)
			}
		})
	}
	if _, err := ListDeps(context.Background(), "go", t.TempDir(), env("0"), nil, ""); err == nil || !strings.Contains(err.Error(), "go list -deps") {
		t.Errorf("ListDeps in an empty folder: %v", err)
	}
}
