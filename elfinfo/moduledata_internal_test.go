package elfinfo

import (
	"errors"
	"testing"
)

// TestLayoutsFor: a Go version picks the moduledata layout of its
// release; an unknown version tries every layout of its pclntab
// generation, newest first; a release newer than the table is refused
// rather than guessed at; the rows of the table do not overlap and leave
// no release from 1.16 on out.
func TestLayoutsFor(t *testing.T) {
	for _, tc := range []struct {
		version, pcln string
		want          []string
		err           error
	}{
		{"go1.16.15", "go1.16", []string{"go1.16-go1.17"}, nil},
		{"go1.17", "go1.16", []string{"go1.16-go1.17"}, nil},
		{"go1.19.8", "go1.18", []string{"go1.18-go1.19"}, nil},
		{"go1.20", "go1.20", []string{"go1.20-go1.25"}, nil},
		{"go1.24.3", "go1.20", []string{"go1.20-go1.25"}, nil},
		{"go1.26.8", "go1.20", []string{"go1.26"}, nil},
		{"go1.27.3", "go1.20", []string{"go1.27"}, nil},
		{"go1.27rc1", "go1.20", []string{"go1.27"}, nil},
		{"", "go1.20", []string{"go1.27", "go1.26", "go1.20-go1.25"}, nil},
		{"devel go1.28-abcdef Tue Nov 3", "go1.20", nil, ErrNewerGo},
		{"devel go1.27-abcdef", "go1.20", []string{"go1.27"}, nil},
		{"go1.28.0", "go1.20", nil, ErrNewerGo},
		{"go1.24.3", "go1.18", nil, errNoModuledata}, // a version and a header that disagree
		{"go1.15", "go1.2", nil, errNoModuledata},
	} {
		got, err := layoutsFor(tc.version, tc.pcln)
		if !errors.Is(err, tc.err) {
			t.Errorf("layoutsFor(%q, %q): error %v, want %v", tc.version, tc.pcln, err, tc.err)
			continue
		}
		var names []string
		for _, l := range got {
			names = append(names, l.String())
		}
		if len(names) != len(tc.want) {
			t.Errorf("layoutsFor(%q, %q) = %v, want %v", tc.version, tc.pcln, names, tc.want)
			continue
		}
		for i := range names {
			if names[i] != tc.want[i] {
				t.Errorf("layoutsFor(%q, %q) = %v, want %v", tc.version, tc.pcln, names, tc.want)
				break
			}
		}
	}
	next := 16
	for _, l := range moduledataLayouts {
		if l.from != next || l.to < l.from {
			t.Errorf("layout %s: want it to start at go1.%d", l, next)
		}
		next = l.to + 1
		if l.words > moduledataWords {
			t.Errorf("layout %s reads %d words, more than moduledataWords (%d)", l, l.words, moduledataWords)
		}
		for _, w := range []int{l.end, l.types, l.etypes, l.rodata, l.gofunc, l.epclntab} {
			if w >= l.words {
				t.Errorf("layout %s: word %d not read (reads %d)", l, w, l.words)
			}
		}
	}
}

// TestPcTableSpan: the span of a pc-value table is the sum of its pc
// steps times the quantum, up to the zero that ends it; a table cut short
// is no span.
func TestPcTableSpan(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tab     []byte
		quantum uint64
		want    uint64
		ok      bool
	}{
		// value delta 0 first (allowed), step 16; value +4, step 8; end.
		{"two steps", []byte{0x00, 16, 0x08, 8, 0x00}, 1, 24, true},
		{"quantum 4", []byte{0x02, 3, 0x00}, 4, 12, true},
		{"long step", []byte{0x02, 0x80, 0x01, 0x00}, 1, 128, true},
		{"cut short", []byte{0x02, 16}, 1, 0, false},
		{"empty", nil, 1, 0, false},
		{"past the function", []byte{0x02, 0x80, 0x80, 0x80, 0x80, 0x0f, 0x00}, 1, 0, false},
	} {
		got, ok := pcTableSpan(tc.tab, tc.quantum, 1<<20)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: pcTableSpan = %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestKnownHead: a promoted method's name goes to the package of its
// receiver only when a type name follows the package; a longer path with
// a dot in an element (y.v2) stays its own package.
func TestKnownHead(t *testing.T) {
	known := map[string]bool{"main": true, "github.com/x/y": true, "go.uber.org/zap": true, "go.uber.org/zap/internal": true, "net": true}
	for pkg, want := range map[string]string{
		"main.wrapper.go.uber.org/zap":                    "main",
		"main.wrapper[go.shape.int].go.uber.org/zap":      "main",
		"github.com/x/y.v2/z":                             "",
		"go.uber.org/zap.Logger.go.uber.org/zap/internal": "go.uber.org/zap",
		"github.com/x/y":                                  "",
		"example.com/other.T.go.uber.org/zap":             "",
	} {
		if got := knownHead(pkg, known); got != want {
			t.Errorf("knownHead(%q) = %q, want %q", pkg, got, want)
		}
	}
}
