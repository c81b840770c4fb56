package buildmatrix

import (
	"context"
	"strings"
	"testing"
)

// TestWasmCgoSkipped: a cgo cell of a WebAssembly platform is skipped with
// the reason, before any go command runs (CGO_ENABLED=1 GOOS=js would only
// break os/user).
func TestWasmCgoSkipped(t *testing.T) {
	p := &Plan{GoEnv: GoEnv{Vars: map[string]string{}, Changed: map[string]string{}}, Dir: t.TempDir()}
	for _, c := range []Combination{{CGO: true, GOOS: "js", GOARCH: "wasm"}, {CGO: true, GOOS: "wasip1", GOARCH: "wasm"}} {
		t.Run(c.String(), func(t *testing.T) {
			r, err := p.Build(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != StatusSkipped || !strings.Contains(r.Reason, "has no cgo") {
				t.Errorf("status %s, reason %q; want skipped, no cgo", r.Status, r.Reason)
			}
		})
	}
	for _, tc := range []struct {
		p    Platform
		want bool
	}{{Platform{"js", "wasm"}, false}, {Platform{"wasip1", "wasm"}, false}, {Platform{"linux", "amd64"}, true}} {
		if got := CgoSupported(tc.p); got != tc.want {
			t.Errorf("CgoSupported(%s) = %v, want %v", tc.p, got, tc.want)
		}
	}
}
