package testbuild

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Toolchain is a Go toolchain that tests build fixtures with: the running
// one, the older ones scripts/fetch-toolchains unpacks from Debian's
// packages, and Go 1.27.3 once the go command has fetched it into the
// module cache (GOTOOLCHAIN=go1.27.3, which fetch-toolchains also does).
type Toolchain struct {
	Version string // language version, as a go.mod spells it: "1.19"
	GOROOT  string
	Go      string // its go command
	Running bool   // the toolchain running the tests
}

// Newest is the release fetched through the module proxy.
const Newest = "go1.27.3"

// ToolchainRoot is where scripts/fetch-toolchains unpacks toolchains:
// $BINSCOPE_TOOLCHAINS, or binscope/toolchains in the user's cache folder.
func ToolchainRoot() string {
	if d := os.Getenv("BINSCOPE_TOOLCHAINS"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "binscope", "toolchains")
}

// Toolchains returns the toolchains this machine has, oldest first. With
// BINSCOPE_REQUIRE_TOOLCHAINS set (as .ci/run sets it) to a list of
// versions, a missing one fails the test instead of being left out.
func Toolchains(t testing.TB) []Toolchain {
	t.Helper()
	var out []Toolchain
	running := Toolchain{Version: RunningGoVersion(t), Go: "go", Running: true}
	if b, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
		running.GOROOT = strings.TrimSpace(string(b))
		running.Go = filepath.Join(running.GOROOT, "bin", "go")
	}
	out = append(out, running)
	if root := ToolchainRoot(); root != "" {
		dirs, _ := filepath.Glob(filepath.Join(root, "go1.*", "usr", "lib", "go-1.*"))
		for _, d := range dirs {
			v := strings.TrimPrefix(filepath.Base(d), "go-")
			if _, err := os.Stat(filepath.Join(d, "bin", "go")); err == nil && v != running.Version {
				out = append(out, Toolchain{Version: v, GOROOT: d, Go: filepath.Join(d, "bin", "go")})
			}
		}
	}
	if b, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		d := filepath.Join(strings.TrimSpace(string(b)), "golang.org", "toolchain@v0.0.1-"+Newest+"."+runtime.GOOS+"-"+runtime.GOARCH)
		v := strings.Join(strings.Split(strings.TrimPrefix(Newest, "go"), ".")[:2], ".")
		if _, err := os.Stat(filepath.Join(d, "bin", "go")); err == nil && v != running.Version {
			out = append(out, Toolchain{Version: v, GOROOT: d, Go: filepath.Join(d, "bin", "go")})
		}
	}
	slices.SortFunc(out, func(a, b Toolchain) int { return minor(a.Version) - minor(b.Version) })
	if req := os.Getenv("BINSCOPE_REQUIRE_TOOLCHAINS"); req != "" {
		for _, v := range strings.Fields(strings.ReplaceAll(req, ",", " ")) {
			if !slices.ContainsFunc(out, func(tc Toolchain) bool { return tc.Version == v }) {
				t.Errorf("BINSCOPE_REQUIRE_TOOLCHAINS names Go %s, which is not in %s nor the module cache: run scripts/fetch-toolchains", v, ToolchainRoot())
			}
		}
	}
	return out
}

// minor returns N of "1.N".
func minor(v string) int {
	_, n, _ := strings.Cut(v, ".")
	m := 0
	for _, c := range n {
		if c < '0' || c > '9' {
			break
		}
		m = m*10 + int(c-'0')
	}
	return m
}

// Minor returns N of the toolchain's version 1.N.
func (tc Toolchain) Minor() int { return minor(tc.Version) }

// Env is the environment the toolchain builds in: no toolchain switching,
// no network, no workspace, and for an unpacked toolchain its own GOROOT
// with the user's go env file ignored (it may set flags an old go command
// rejects).
func (tc Toolchain) Env(extra ...string) []string {
	env := GoEnv()
	if !tc.Running {
		env = append(env, "GOROOT="+tc.GOROOT, "GOENV=off", "GOFLAGS=")
	}
	return append(env, extra...)
}

// BuildWith builds the program in dir as v describes with the toolchain,
// and returns the binary's path. Builds of toolchains other than the
// running one are slow on a cold cache (each compiles its standard library
// for every platform), so they are kept in the toolchain folder under a
// key of the toolchain, the variant and every file of dir: a second run
// builds nothing, and any change to the fixture builds afresh.
func BuildWith(t testing.TB, tc Toolchain, dir string, v Variant) string {
	t.Helper()
	if tc.Running {
		return Build(t, dir, v)
	}
	if v.NeedsCgo() && !HaveCC() {
		t.Skipf("%s: needs a C compiler (gcc) for CGO_ENABLED=1, and this machine has none", v.Name)
	}
	h := sha256.New()
	h.Write([]byte(tc.GOROOT + "\x00" + strings.Join(v.Env, " ") + "\x00" + strings.Join(v.Flags, "\x00") + "\x00"))
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(rel + "\x00"))
		h.Write(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	key := hex.EncodeToString(h.Sum(nil))[:16]
	outDir := filepath.Join(ToolchainRoot(), "fixtures", "go"+tc.Version, key)
	out := filepath.Join(outDir, v.Name)
	if _, err := os.Stat(out); err == nil {
		return out
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A name of its own, so that two test processes sharing the folder
	// never rename each other's half-written binary.
	tf, err := os.CreateTemp(outDir, v.Name+".*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	tmp := tf.Name()
	tf.Close()
	defer os.Remove(tmp)
	args := append([]string{"build", "-o", tmp}, v.Flags...)
	cmd := exec.Command(tc.Go, append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = tc.Env(v.Env...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go%s build %s: %v\n%s", tc.Version, v.Name, err, msg)
	}
	if err := os.Rename(tmp, out); err != nil {
		t.Fatal(err)
	}
	return out
}
