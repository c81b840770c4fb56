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
		{"path that starts with go.", "go.uber.org/zap.(*Logger).Info", "go.uber.org/zap"},
		{"go. path, value method", "go.etcd.io/bbolt.Open", "go.etcd.io/bbolt"},
		{"go. path, before Go 1.20 spelling of an itab", "go.itab.*go.uber.org/zap.Logger,io.Writer", ""},
		{"string data before Go 1.20", `go.string."a/b.c"`, ""},
		{"import path data before Go 1.20", "go.importpath.go.uber.org/zap.", ""},
		{"build id before Go 1.20", "go.buildid", ""},
		{"type descriptor before Go 1.20", "type.*go.uber.org/zap.Logger", ""},
		{"constant", "$f64.3ff0000000000000", ""},
		{"escaped last element", "gopkg.in/yaml%2ev3.Unmarshal", "gopkg.in/yaml.v3"},
		{"escaped version element", "crypto/internal/entropy/v1%2e0%2e0.Seed", "crypto/internal/entropy/v1.0.0"},
		{"escaped, method", "gopkg.in/yaml%2ev3.(*decoder).unmarshal", "gopkg.in/yaml.v3"},
		{"promoted unexported method, pointer receiver", "example.com/location.(*Resp).github.com/aliyun/sdk/responses.parse", "example.com/location"},
		{"promoted unexported method in main", "main.(*wrapper).go.binscope.test/dep.reset", "main"},
		{"dotted element before the last", "example.com/a.b/c.F", "example.com/a.b/c"},
		{"race runtime C++ clone", "_ZN11__sanitizer20SizeClassAllocator32INS_4AP32EE15DeallocateBatchEPNS_14AllocatorStatsEmPNS2_13TransferBatchE.isra.0", ""},
		{"race runtime entry", "__tsan_read_pc", ""},
		{"malformed escape", "example.com/a%zz.F", "example.com/a%zz"},
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
