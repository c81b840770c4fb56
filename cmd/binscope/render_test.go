package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/budget"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

// readReport decodes a JSON report from testdata/golden.
func readReport(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestRenderInspect renders inspect reports recorded from real builds of
// testdata/pomo (a static stripped one, a dynamic cgo one, a Mach-O and a
// PE one) and compares the text with the golden file.
func TestRenderInspect(t *testing.T) {
	var r analyze.InspectReport
	readReport(t, "inspect.json", &r)
	var buf bytes.Buffer
	if err := renderInspectText(&buf, &r, palette{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "inspect.txt", buf.Bytes())
}

// TestRenderCheck renders a check report recorded from a real run (a
// baseline and a grown pomo, on linux and darwin, with FAIL, WARN, NEW,
// N/A and PASS results) in every text format.
func TestRenderCheck(t *testing.T) {
	var r budget.Report
	readReport(t, "check.json", &r)
	for _, tc := range []struct {
		golden string
		render func(*bytes.Buffer) error
	}{
		{"check.txt", func(b *bytes.Buffer) error { return renderCheckText(b, &r, palette{}) }},
		{"check.md", func(b *bytes.Buffer) error { return renderCheckMarkdown(b, &r, 0) }},
		{"check.github.txt", func(b *bytes.Buffer) error { return renderCheckGitHub(b, &r, "golden.yaml") }},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.render(&buf); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.golden, buf.Bytes())
		})
	}
}

// TestCheckReportMatchesSchema validates the recorded check report, made
// by a real run, against docs/schema/check.schema.json.
func TestCheckReportMatchesSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "check.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkSchema(t, "check.schema.json", data)
}

func TestSortedVersions(t *testing.T) {
	got := sortedVersions([]string{"GLIBC_2.32", "GLIBC_PRIVATE", "GLIBC_2.3.2", "GLIBC_2.2.5", "GLIBC_2.34"})
	want := []string{"GLIBC_2.2.5", "GLIBC_2.3.2", "GLIBC_2.32", "GLIBC_2.34", "GLIBC_PRIVATE"}
	if !slices.Equal(got, want) {
		t.Errorf("sortedVersions = %q, want %q", got, want)
	}
}

// TestShortSetting: a long setting keeps to one line of whole pairs and
// counts the rest; a short one is as it is.
func TestShortSetting(t *testing.T) {
	long := strings.Repeat("key=value,", 40) + "last=1"
	got := shortSetting(long)
	if len(got) > 130 || !strings.HasSuffix(got, "… (33 more; --format json has them all)") || !strings.HasPrefix(got, "key=value,key=value,") {
		t.Errorf("shortSetting(41 pairs) = %q", got)
	}
	if got := shortSetting("a=1,b=2"); got != "a=1,b=2" {
		t.Errorf("shortSetting(short) = %q", got)
	}
}
