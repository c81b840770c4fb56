package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestWrapLines(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		width    int
		want     string
	}{
		{"fits", "short line\n", 20, "short line\n"},
		{"no limit", strings.Repeat("x ", 50) + "\n", 0, strings.Repeat("x ", 50) + "\n"},
		{"at spaces", "aaa bbb ccc ddd\n", 9, "aaa bbb\n  ccc ddd\n"},
		{"keeps spacing", "a    b    c    d\n", 11, "a    b    c\n  d\n"},
		{"indented", "  one two three four\n", 12, "  one two\n    three\n    four\n"},
		{"long word cut", "abcdefghij\n", 4, "abcd\n  ef\n  gh\n  ij\n"},
		{"colors not cut", "\x1b[1maaa bbb ccc\x1b[0m\n", 8, "\x1b[1maaa bbb\n  ccc\x1b[0m\n"},
		{"markdown row whole", "| aaa | bbb | ccc |\n", 8, "| aaa | bbb | ccc |\n"},
		{"no newline at end", "aaa bbb", 5, "aaa\n  bbb"},
		// ⏭️ is two runes (U+23ED and the emoji selector U+FE0F) and two
		// columns: counting its first rune alone made an 81-column line.
		{"emoji with selector", "- ⏭️ **SKIPPED** cell was not built\n", 16, "- ⏭️ **SKIPPED**\n  cell was not\n  built\n"},
		{"emoji cut whole", "⏭️⏭️⏭️\n", 5, "⏭️⏭️\n  ⏭️\n"},
		{"emoji in color", "\x1b[33m⏭️\x1b[0m ab cd\n", 5, "\x1b[33m⏭️\x1b[0m ab\n  cd\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapLines(tc.in, tc.width)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("wrapLines(%q, %d) (-want +got):\n%s", tc.in, tc.width, diff)
			}
			if tc.width > 0 && !strings.HasPrefix(tc.in, "|") {
				for _, line := range strings.Split(got, "\n") {
					if w := visibleWidth(line); w > tc.width {
						t.Errorf("line %q is %d columns, over %d", line, w, tc.width)
					}
				}
			}
		})
	}
}

func TestElideMiddle(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"github.com/hashicorp/terraform/internal/backend", 47, "github.com/hashicorp/terraform/internal/backend"},
		{"github.com/hashicorp/terraform/internal/backend", 20, "github.…rnal/backend"},
		{"\x1b[31mred text here\x1b[0m", 8, "re… here"},
		{"日本語のパス", 7, "日…パス"},
		{"abc", 1, "…"},
		{"⏭️ skipped ⏭️", 6, "⏭️… ⏭️"},
	} {
		got := elideMiddle(tc.in, tc.n)
		if got != tc.want {
			t.Errorf("elideMiddle(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
		if w := visibleWidth(got); w > tc.n {
			t.Errorf("elideMiddle(%q, %d) is %d columns", tc.in, tc.n, w)
		}
	}
}

// TestElideLabel: a label is cut a word at a time, the longest first, so
// that labels that differ by a word still differ when cut.
func TestElideLabel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"CGO=0 darwin/arm64 -s -w", 30, "CGO=0 darwin/arm64 -s -w"},
		{"CGO=0 darwin/arm64 -s -w -tags=containers", 36, "CGO=0 darw…/arm64 -s -w -tag…tainers"},
		{"CGO=0 darwin/arm64 -s -w -tags=containers", 30, "CGO=0 da…arm64 -s -w -ta…iners"},
		{"CGO=0 darwin/arm64 -tags=containers", 30, "CGO=0 darw…/arm64 -tag…tainers"},
		{"CGO=0 darwin/arm64 -s -w -tags=containers", 10, "CGO…ainers"},
	} {
		got := elideLabel(tc.in, tc.n)
		if got != tc.want {
			t.Errorf("elideLabel(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
		if w := visibleWidth(got); w > tc.n {
			t.Errorf("elideLabel(%q, %d) is %d columns", tc.in, tc.n, w)
		}
	}
	a, b := elideLabel("CGO=0 darwin/arm64 -tags=containers", 24), elideLabel("CGO=0 darwin/arm64 -s -w -tags=containers", 24)
	if a == b {
		t.Errorf("two labels cut to 24 columns read alike: %q", a)
	}
}

func TestElidePath(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"github.com/hashicorp/terraform/internal/backend", 47, "github.com/hashicorp/terraform/internal/backend"},
		{"github.com/hashicorp/terraform/internal/backend", 30, "…/terraform/internal/backend"},
		{"github.com/hashicorp/terraform/internal/backend", 12, "…/backend"},
		{"github.com/GoogleCloudPlatform/declarative-resource-client-library", 24, "declarati…client-library"},
		{"<generated>", 8, "<g…ated>"},
	} {
		if got := elidePath(tc.in, tc.n); got != tc.want {
			t.Errorf("elidePath(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestDropStrayResets(t *testing.T) {
	in := "\x1b[31mno\x1b[0m       \x1b[0m\x1b[31mno\x1b[0m      \x1b[0m 0.7s  \x1b[32mok\x1b[0m"
	want := "\x1b[31mno\x1b[0m       \x1b[31mno\x1b[0m       0.7s  \x1b[32mok\x1b[0m"
	if got := dropStrayResets(in); got != want {
		t.Errorf("dropStrayResets:\n got %q\nwant %q", got, want)
	}
}

// TestTableFit: a table too wide shortens its headers and cells, cuts
// its elidable columns down to their minimum, and then drops columns,
// least useful first, naming them; it never exceeds the width it can
// reach, and without a width it is whole.
func TestTableFit(t *testing.T) {
	build := func(width int) string {
		tb := newTable("PACKAGE", ">SIZE", ">BYTES", "DEBUG INFO").fit(width)
		tb.short("DEBUG INFO", "DEBUG").droppable("BYTES", "DEBUG INFO").elide("PACKAGE", 12, nil)
		tb.add("github.com/hashicorp/terraform/internal/backend/remote-state", "1.2M", "1234567", "yes")
		tb.add("main", "10K", "10240", "no")
		var b strings.Builder
		if err := tb.render(&b, ""); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	whole := build(0)
	if !strings.Contains(whole, "remote-state") || !strings.Contains(whole, "DEBUG INFO") || strings.Contains(whole, "hidden") {
		t.Errorf("without a width the table is not whole:\n%s", whole)
	}
	for _, tc := range []struct {
		width      int
		has, hasnt []string
	}{
		{100, []string{"DEBUG INFO", "remote-state", "1234567"}, []string{"…", "hidden"}},
		{70, []string{"DEBUG", "BYTES", "…"}, []string{"DEBUG INFO", "hidden"}},
		{30, []string{"SIZE", "(hidden to fit 30 columns: BYTES; --wide shows all)"}, []string{"1234567"}},
		{20, []string{"SIZE", "githu…te-state", "(hidden to fit 20 columns: BYTES, DEBUG INFO; --wide shows all)"}, []string{"yes"}},
	} {
		got := build(tc.width)
		for _, s := range tc.has {
			if !strings.Contains(got, s) {
				t.Errorf("width %d: no %q in\n%s", tc.width, s, got)
			}
		}
		for _, s := range tc.hasnt {
			if strings.Contains(got, s) {
				t.Errorf("width %d: %q in\n%s", tc.width, s, got)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
			if strings.HasPrefix(line, "(") {
				continue
			}
			if w := visibleWidth(line); w > tc.width {
				t.Errorf("width %d: line %q is %d columns", tc.width, line, w)
			}
		}
	}
}

// cmdFits fails unless every line FILE shows on a terminal, with the
// redraws of a progress line (\r) apart and colors left out, takes at
// most COLS columns: fits COLS FILE.
func cmdFits(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: fits COLS FILE")
	}
	cols, err := strconv.Atoi(args[0])
	ts.Check(err)
	data, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	var over []string
	for _, line := range strings.FieldsFunc(string(data), func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.ReplaceAll(line, "\x1b[K", "")
		if w := visibleWidth(line); w > cols {
			over = append(over, fmt.Sprintf("%d: %q", w, line))
		}
	}
	if neg {
		if len(over) == 0 {
			ts.Fatalf("every line of %s fits %d columns", args[1], cols)
		}
		return
	}
	if len(over) > 0 {
		ts.Fatalf("%d lines of %s are wider than %d columns:\n%s", len(over), args[1], cols, strings.Join(over, "\n"))
	}
}

// TestCutColumns: what cutColumns keeps never takes more columns than
// asked, as visibleWidth counts them, colors and emoji included.
func TestCutColumns(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"abcdef", 3, "abc"},
		{"⏭️⏭️", 3, "⏭️"},
		{"\x1b[33mab\x1b[0mcd", 3, "\x1b[33mab\x1b[0mc"},
		{"日本語", 5, "日本"},
	} {
		if got := cutColumns(tc.in, tc.n); got != tc.want {
			t.Errorf("cutColumns(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	for _, s := range []string{"\x1b[33m⏭\x1b[0m\ufe0f abc", "a\u0301b\u0301c", "⏭️\x1b[1m⏭️\x1b[0m⏭️"} {
		for n := 0; n <= visibleWidth(s); n++ {
			if w := visibleWidth(cutColumns(s, n)); w > n {
				t.Errorf("cutColumns(%q, %d) is %d columns", s, n, w)
			}
		}
	}
}
