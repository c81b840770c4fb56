package container

import (
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/google/go-cmp/cmp"
)

func TestRequiredGlibc(t *testing.T) {
	tests := []struct {
		versions []string
		want     string
	}{
		{nil, ""},
		{[]string{"GLIBC_2.2.5", "GLIBC_2.3.2"}, "2.3"},
		{[]string{"GLIBC_2.34", "GLIBC_2.4", "GLIBC_2.17"}, "2.34"},
		{[]string{"GLIBC_PRIVATE", "GCC_3.0"}, ""},
		{[]string{"GLIBC_2.14", "GLIBC_ABI_DT_RELR"}, "2.36"},
	}
	for _, tc := range tests {
		got, _ := requiredGlibc([]elfinfo.VersionNeed{{Library: "libc.so.6", Versions: tc.versions}})
		if got != tc.want {
			t.Errorf("requiredGlibc(%q) = %q, want %q", tc.versions, got, tc.want)
		}
	}
}

// TestGenericPackages: a generic instantiation whose type arguments name
// another package counts in the package of the function (the function
// names used to be cut at the type argument's last slash).
func TestGenericPackages(t *testing.T) {
	needs := runtimeNeeds([]string{
		"crypto/x509.loadSystemRoots",
		"golang.org/x/crypto/x509roots/fallback.newBundle[go.shape.*crypto/x509.Certificate]",
	})
	if diff := cmp.Diff([]need{}, needs); diff != "" {
		t.Errorf("needs with the fallback bundle linked through a generic function (-want +got):\n%s", diff)
	}
	pkgs := cgoPackages([]string{
		"example.com/a.call[go.shape.*example.com/b.T]._Cfunc_free",
		"net._C2func_getaddrinfo",
	})
	if diff := cmp.Diff([]string{"example.com/a", "net"}, pkgs); diff != "" {
		t.Errorf("cgo packages (-want +got):\n%s", diff)
	}
}
