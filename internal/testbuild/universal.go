package testbuild

import (
	"os"
	"testing"

	"github.com/binscope/binscope/buildmatrix/lipo"
)

// FatMagic and FatMagic64 are the first four bytes, big-endian, of a
// universal binary with 32-bit and with 64-bit offsets.
const (
	FatMagic   = lipo.FatMagic
	FatMagic64 = lipo.FatMagic64
)

// Fat joins thin Mach-O files into one universal binary: lipo.Create,
// which compare uses for GoReleaser's universal_binaries.
func Fat(magic uint32, slices ...[]byte) ([]byte, error) { return lipo.Create(magic, slices...) }

// Universal builds the program in dir for darwin/amd64 and darwin/arm64
// (CGO_ENABLED=0, with the flags given) and joins the two into a
// universal binary named name, amd64 first as lipo orders them. It
// returns the universal binary's path and the thin binaries' paths.
func Universal(t testing.TB, dir, name string, flags ...string) (universal string, thin []string) {
	t.Helper()
	var slices [][]byte
	for _, arch := range []string{"amd64", "arm64"} {
		p := Build(t, dir, Variant{Name: name + "-" + arch, Env: []string{"CGO_ENABLED=0", "GOOS=darwin", "GOARCH=" + arch}, Flags: flags})
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		slices = append(slices, data)
		thin = append(thin, p)
	}
	data, err := Fat(FatMagic, slices...)
	if err != nil {
		t.Fatal(err)
	}
	universal = thin[0][:len(thin[0])-len("-amd64")]
	if err := os.WriteFile(universal, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return universal, thin
}
