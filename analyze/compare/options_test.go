package compare

import (
	"encoding/json"
	"testing"

	"github.com/binscope/binscope/buildmatrix"
	"github.com/google/go-cmp/cmp"
)

// A cell's options are written exactly as buildmatrix writes the
// Combination they come from, and read back to it.
func TestOptionsJSON(t *testing.T) {
	for _, c := range []buildmatrix.Combination{
		{GOOS: "linux", GOARCH: "amd64"},
		{CGO: true, GOOS: "windows", GOARCH: "arm64", Strip: true, Tags: []string{"netgo", "osusergo"}},
		{GOOS: "darwin", GOARCH: "arm64", Tags: []string{}},
	} {
		t.Run(c.String(), func(t *testing.T) {
			want, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			o := OptionsOf(c)
			got, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("JSON (-want +got):\n%s", diff)
			}
			var back Options
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if back.String() != c.String() || o.Combination().String() != c.String() {
				t.Errorf("round trip: %s, %s; want %s", back, o.Combination(), c)
			}
		})
	}
}
