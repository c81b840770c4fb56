package elfinfo_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// TestNoBuildInfo: a Go binary whose build info was removed (its magic
// zeroed, which is what `go version` looks for) is still Go, of the
// version its build info said, read from runtime.buildVersion: through
// the symbol table, or without one (-s -w) by a scan of data. With its
// function table gone too, it is not a Go binary.
func TestNoBuildInfo(t *testing.T) {
	dir := testbuild.Pomo(t)
	// The variants of TestFacts, built once for both, and a PIE, whose
	// string header the loader relocates.
	for _, v := range []testbuild.Variant{
		{Name: "cgo0", Env: []string{"CGO_ENABLED=0"}},
		{Name: "cgo0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
		{Name: "cgo0-pie-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildmode=pie", "-ldflags=-s -w"}},
		{Name: "windows-sw.exe", Env: []string{"GOOS=windows", "GOARCH=amd64"}, Flags: []string{"-ldflags=-s -w"}},
		{Name: "darwin", Env: []string{"GOOS=darwin", "GOARCH=arm64"}},
	} {
		t.Run(v.Name, func(t *testing.T) {
			src := testbuild.Build(t, dir, v)
			orig := open(t, src)
			if orig.Go == nil || !orig.Go.BuildInfo {
				t.Fatalf("the build itself has no build info: %+v", orig.Go)
			}
			path := testbuild.WithoutBuildInfo(t, src, v.Name+"-nobi")
			f := open(t, path)
			want := &elfinfo.GoInfo{Version: orig.Go.Version, VersionFrom: elfinfo.VersionFromBuildVersion, BuildInfo: false,
				Deps: []elfinfo.Module{}, Settings: []elfinfo.Setting{}}
			if diff := cmp.Diff(want, f.Go); diff != "" {
				t.Errorf("Go without build info (-want +got):\n%s", diff)
			}
			// The system too, which in a static Linux binary only the
			// build info said: the runtime's functions say it then.
			if f.OS != orig.OS {
				t.Errorf("os %q without build info, %q with it", f.OS, orig.OS)
			}
			p, err := f.Pclntab()
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			neither := testbuild.Patch(t, path, v.Name+"-nogo", p.Offset, make([]byte, 4))
			g := open(t, neither)
			if g.Go != nil || !errors.Is(g.GoError, elfinfo.ErrNotGo) {
				t.Errorf("without build info and function table: Go %+v, error %v; want nil, ErrNotGo", g.Go, g.GoError)
			}
		})
	}
}

func open(t *testing.T, path string) *elfinfo.File {
	t.Helper()
	f, err := elfinfo.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestGoInfoJSON: a report written before build_info existed had build
// info whenever it had a go object; a report that says false keeps it.
func TestGoInfoJSON(t *testing.T) {
	for _, tc := range []struct {
		json string
		want bool
	}{
		{`{"version": "go1.26.8", "path": "example.com/pomo"}`, true},
		{`{"version": "go1.26.8", "build_info": true}`, true},
		{`{"version": "", "build_info": false}`, false},
	} {
		var g elfinfo.GoInfo
		if err := json.Unmarshal([]byte(tc.json), &g); err != nil {
			t.Fatal(err)
		}
		if g.BuildInfo != tc.want {
			t.Errorf("%s: build_info %v, want %v", tc.json, g.BuildInfo, tc.want)
		}
	}
}
