package analyze

import (
	"encoding/json"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/google/go-cmp/cmp"
)

// TestFactsOf: the report's facts are elfinfo.File's JSON to the byte, and
// share nothing the reader could change.
func TestFactsOf(t *testing.T) {
	yes := true
	f := &elfinfo.File{
		Path: "pomo", Size: 1234, Format: elfinfo.FormatELF, Class: "64-bit", ByteOrder: "LSB",
		Arch: "amd64", Machine: "x86-64", OS: "linux", OSABI: "SYSV", Type: "executable",
		Linkage: elfinfo.LinkageDynamic, Interpreter: "/lib64/ld-linux-x86-64.so.2", Needed: []string{"libc.so.6"},
		Stripped: false, DebugInfo: true, DWARFBytes: 10, SymtabBytes: 20, GoBuildID: "go", GNUBuildID: "gnu",
		Hardening:    elfinfo.Hardening{PIE: true, RELRO: "partial", NXStack: true},
		VersionNeeds: []elfinfo.VersionNeed{{Library: "libc.so.6", Versions: []string{"GLIBC_2.34"}}},
		Go: &elfinfo.GoInfo{Version: "go1.26.8", Path: "example.com/pomo", CGOEnabled: &yes,
			Main:     elfinfo.Module{Path: "example.com/pomo", Replace: &elfinfo.Module{Path: "../pomo"}},
			Deps:     []elfinfo.Module{{Path: "example.com/dep", Version: "v1.0.0"}},
			Settings: []elfinfo.Setting{{Key: "CGO_ENABLED", Value: "1"}}},
		Sections: []elfinfo.Section{{Name: ".text", Kind: elfinfo.KindCode, FileSize: 100, VMSize: 100, Offset: 64, Addr: 0x401000}},
		Summary:  "ELF 64-bit LSB executable",
	}
	want, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	facts := factsOf(f)
	got, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("factsOf JSON (-want +got):\n%s", diff)
	}
	f.Needed[0], f.VersionNeeds[0].Versions[0], f.Sections[0].Name = "x", "x", "x"
	f.Go.Deps[0].Path, f.Go.Settings[0].Value, f.Go.Main.Replace.Path, *f.Go.CGOEnabled = "x", "x", "x", false
	again, _ := json.Marshal(facts)
	if diff := cmp.Diff(string(got), string(again)); diff != "" {
		t.Errorf("facts changed with the reader's (-before +after):\n%s", diff)
	}
}
