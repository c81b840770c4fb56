package dockerfile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		keepQuotes bool
		want       []string
	}{
		{"instruction keeps quotes", `COPY "a b" c\ d`, true, []string{"COPY", `"a b"`, `c\ d`}},
		{"single quotes keep the escape", `'a\' b`, true, []string{`'a\'`, "b"}},
		{"flags lose quotes", `-s -w -X 'main.v=1 2' -X "a=b"`, false, []string{"-s", "-w", "-X", "main.v=1 2", "-X", "a=b"}},
		{"empty quotes are a word", `'' x`, false, []string{"", "x"}},
		{"blanks only", " \t\n", false, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := splitWords(tc.in, '\\', tc.keepQuotes)
			if !tc.keepQuotes {
				got = splitWords(tc.in, 0, false)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("splitWords(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
