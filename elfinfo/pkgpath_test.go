package elfinfo_test

import (
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/google/go-cmp/cmp"
)

func TestPackageOf(t *testing.T) {
	tests := []struct {
		name string
		sym  string
		want string
	}{
		{"function", "crypto/x509.loadSystemRoots", "crypto/x509"},
		{"main", "main.main", "main"},
		{"single element", "net.(*Resolver).lookupHost", "net"},
		{"generic instantiation", "example.com/a.F[go.shape.*example.com/b.T]", "example.com/a"},
		{"generic, two type arguments", "slices.SortFunc[go.shape.[]example.com/b.T,go.shape.*uint8]", "slices"},
		{"method of a generic type", "example.com/a.(*List[go.shape.*example.com/b.T]).Push", "example.com/a"},
		{"closure of a generic function", "example.com/a.F[go.shape.int].func1", "example.com/a"},
		{"dictionary", "example.com/a..dict.F[example.com/b.T]", "example.com/a"},
		{"closure", "example.com/a.F.func1.2", "example.com/a"},
		{"method value", "example.com/a.(*T).M-fm", "example.com/a"},
		{"pointer method", "example.com/a.(*T).M", "example.com/a"},
		{"value method or promoted wrapper", "example.com/a.T.M", "example.com/a"},
		{"init", "example.com/a.init.0", "example.com/a"},
		{"equality helper", "type:.eq.example.com/a.T", ""},
		{"equality helper before Go 1.20", "type..eq.example.com/a.T", ""},
		{"type descriptor", "type:*example.com/a.T", ""},
		{"itab", "go:itab.*example.com/a.T,example.com/b.I", ""},
		{"itab before Go 1.20", "go.itab.*example.com/a.T,example.com/b.I", ""},
		{"build info", "go:buildinfo", ""},
		{"func data", "go:func.*", ""},
		{"C symbol", "_cgo_init", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, elfinfo.PackageOf(tc.sym)); diff != "" {
				t.Errorf("PackageOf(%q) (-want +got):\n%s", tc.sym, diff)
			}
		})
	}
}
