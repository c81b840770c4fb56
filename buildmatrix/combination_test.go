package buildmatrix

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCombinationString(t *testing.T) {
	tests := []struct {
		name string
		c    Combination
		id   string
		file string
	}{
		{
			name: "seed's container build",
			c:    Combination{GOOS: "linux", GOARCH: "amd64", Strip: true, Tags: []string{"containers"}},
			id:   "cgo=0,goos=linux,goarch=amd64,strip=on,tags=containers",
			file: "cgo0_linux_amd64_strip_tags-containers",
		},
		{
			name: "plain build",
			c:    Combination{CGO: true, GOOS: "linux", GOARCH: "amd64"},
			id:   "cgo=1,goos=linux,goarch=amd64,strip=off,tags=",
			file: "cgo1_linux_amd64_nostrip_notags",
		},
		{
			name: "tags sorted and deduplicated",
			c:    Combination{GOOS: "windows", GOARCH: "amd64", Tags: []string{"osusergo", "netgo", "osusergo", ""}},
			id:   "cgo=0,goos=windows,goarch=amd64,strip=off,tags=netgo+osusergo",
			file: "cgo0_windows_amd64_nostrip_tags-netgo+osusergo",
		},
		{
			name: "tags with underscores and dots",
			c:    Combination{CGO: true, GOOS: "darwin", GOARCH: "arm64", Strip: true, Tags: []string{"my_tag", "v1.2"}},
			id:   "cgo=1,goos=darwin,goarch=arm64,strip=on,tags=my_tag+v1.2",
			file: "cgo1_darwin_arm64_strip_tags-my_tag+v1.2",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.String(); got != tc.id {
				t.Errorf("String() = %q, want %q", got, tc.id)
			}
			if got := tc.c.FileName(); got != tc.file {
				t.Errorf("FileName() = %q, want %q", got, tc.file)
			}
			back, err := Parse(tc.id)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.id, err)
			}
			if diff := cmp.Diff(tc.c.String(), back.String()); diff != "" {
				t.Errorf("Parse(String()) round trip (-want +got):\n%s", diff)
			}
			fromFile, err := ParseFileName("pomo_" + tc.file + ".exe")
			if err != nil {
				t.Fatalf("ParseFileName: %v", err)
			}
			if !fromFile.Equal(tc.c) {
				t.Errorf("ParseFileName(FileName()) = %v, want %v", fromFile, tc.c)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		id, want string
	}{
		{"cgo=0,goos=linux", "want all of cgo, goos, goarch, strip and tags"},
		{"cgo=2,goos=linux,goarch=amd64,strip=on,tags=", "cgo=2: want 0 or 1"},
		{"cgo=0,goos=linux,goarch=amd64,strip=yes,tags=", "strip=yes: want on or off"},
		{"strip=on,cgo=0,goos=linux,goarch=amd64,tags=", "not in canonical form"},
		{"cgo=0,goos=linux,goarch=amd64,strip=on,tags=b+a", "not in canonical form"},
		{"cgo=0,goos=linux,goarch=amd64,strip=on,tags=a-b", `invalid build tag "a-b"`},
		{"cgo=0,goos=Linux,goarch=amd64,strip=on,tags=", "goos=Linux: want a GOOS"},
		{"", "empty"},
		{"cgo=0,cgo=1,goos=linux,goarch=amd64,strip=on,tags=", "cgo given twice"},
		{"cgo=0,os=linux", `unknown key "os"`},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			_, err := Parse(tc.id)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) = %v, want an error containing %q", tc.id, err, tc.want)
			}
			if err != nil && strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}
}

func TestParseFileNameErrors(t *testing.T) {
	for _, name := range []string{"pomo", "cgo2_linux_amd64_strip_notags", "cgo0_linux_amd64_stripped_notags", "cgo0_linux_amd64_strip", "cgo0_linux_amd64_strip_tags-b+a"} {
		if c, err := ParseFileName(name); err == nil {
			t.Errorf("ParseFileName(%q) = %v, want an error", name, c)
		}
	}
}

func TestSelector(t *testing.T) {
	linux := Combination{CGO: true, GOOS: "linux", GOARCH: "amd64"}
	win := Combination{CGO: true, GOOS: "windows", GOARCH: "amd64", Strip: true, Tags: []string{"netgo", "osusergo"}}
	tests := []struct {
		sel       string
		canonical string
		matches   []bool // linux, win
	}{
		{"cgo=1,goos=windows", "cgo=1,goos=windows", []bool{false, true}},
		{"cgo=1", "cgo=1", []bool{true, true}},
		{"strip=off", "strip=off", []bool{true, false}},
		{"platform=windows/amd64", "goos=windows,goarch=amd64", []bool{false, true}},
		{"tags=", "tags=", []bool{true, false}},
		{"tags=osusergo+netgo", "tags=netgo+osusergo", []bool{false, true}},
		{"tags=netgo", "tags=netgo", []bool{false, false}},
		{"goarch=amd64, strip=on", "goarch=amd64,strip=on", []bool{false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.sel, func(t *testing.T) {
			sel, err := ParseSelector(tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := sel.String(); got != tc.canonical {
				t.Errorf("String() = %q, want %q", got, tc.canonical)
			}
			got := []bool{sel.Match(linux), sel.Match(win)}
			if diff := cmp.Diff(tc.matches, got); diff != "" {
				t.Errorf("Match (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSelectorErrors(t *testing.T) {
	tests := []struct{ sel, want string }{
		{"tags=netgo,osusergo", "join several tags with '+'"},
		{"platform=linux", "want GOOS/GOARCH"},
		{"platform=linux/amd64,goos=linux", "goos given twice"},
		{"goos=linux,platform=linux/amd64", "platform and goos/goarch both given"},
		{"cgo=yes", "cgo=yes: want 0 or 1"},
		{"linux", `field "linux" is not KEY=VALUE`},
	}
	for _, tc := range tests {
		t.Run(tc.sel, func(t *testing.T) {
			_, err := ParseSelector(tc.sel)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseSelector(%q) = %v, want an error containing %q", tc.sel, err, tc.want)
			}
		})
	}
}

func TestLabel(t *testing.T) {
	base := Combination{CGO: true, GOOS: "linux", GOARCH: "amd64"}
	tests := []struct {
		c    Combination
		want string
	}{
		{base, "go build"},
		{Combination{GOOS: "linux", GOARCH: "amd64", Strip: true, Tags: []string{"containers"}}, `CGO_ENABLED=0 -ldflags="-s -w" -tags=containers`},
		{Combination{CGO: true, GOOS: "windows", GOARCH: "amd64", Tags: []string{"osusergo", "netgo"}}, "GOOS=windows -tags=netgo,osusergo"},
		{Combination{CGO: true, GOOS: "linux", GOARCH: "arm64", Strip: true}, `GOARCH=arm64 -ldflags="-s -w"`},
	}
	for _, tc := range tests {
		if got := tc.c.Label(base); got != tc.want {
			t.Errorf("%v.Label() = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestCombinationJSON(t *testing.T) {
	got, err := json.Marshal(Combination{GOOS: "linux", GOARCH: "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"cgo":false,"goos":"linux","goarch":"amd64","strip":false,"tags":[]}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	var back Combination
	if err := json.Unmarshal([]byte(`{"cgo":true,"goos":"linux","goarch":"arm64","strip":true,"tags":["a"]}`), &back); err != nil {
		t.Fatal(err)
	}
	if got := back.String(); got != "cgo=1,goos=linux,goarch=arm64,strip=on,tags=a" {
		t.Errorf("unmarshalled %q", got)
	}
}

func TestParseTags(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"containers", []string{"containers"}, false},
		{"osusergo,netgo", []string{"netgo", "osusergo"}, false},
		{"netgo osusergo", []string{"netgo", "osusergo"}, false},
		{"a,,a", []string{"a"}, false},
		{"a;b", nil, true},
		{"-tags", nil, true},
	}
	for _, tc := range tests {
		got, err := ParseTags(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("ParseTags(%q) error = %v, want error %v", tc.in, err, tc.err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseTags(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}
