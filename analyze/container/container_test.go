package container_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// verdicts reduces a container map to "verdict: checks" per base, the
// part a reader acts on.
func verdicts(m map[string]container.Readiness) map[string]string {
	out := map[string]string{}
	for k, r := range m {
		var checks []string
		for _, x := range r.Reasons {
			if x.Level != container.LevelNote {
				checks = append(checks, string(x.Check))
			}
		}
		out[k] = string(r.Verdict)
		if len(checks) > 0 {
			out[k] += ": " + strings.Join(checks, " ")
		}
	}
	return out
}

func goFile(linkage, interp string, needed []string, versions ...string) *elfinfo.File {
	f := &elfinfo.File{Format: elfinfo.FormatELF, OS: "linux", Type: "executable", Linkage: linkage,
		Interpreter: interp, Needed: needed, Go: &elfinfo.GoInfo{Version: "go1.26.8"}}
	if len(versions) > 0 {
		f.VersionNeeds = []elfinfo.VersionNeed{{Library: "libc.so.6", Versions: versions}}
	}
	return f
}

const glibcLoader = "/lib64/ld-linux-x86-64.so.2"

func TestContainer(t *testing.T) {
	allReady := map[string]string{}
	for _, k := range container.BaseKeys() {
		allReady[k] = string(container.VerdictReady)
	}
	with := func(m map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	const no, files = string(container.VerdictWillNotStart), string(container.VerdictNeedsFiles)
	noLoader := no + ": loader"
	unknown := string(container.VerdictUnknown) + ": go"
	tests := []struct {
		name  string
		f     *elfinfo.File
		funcs []string
		want  map[string]string
	}{
		{
			name:  "static pure Go with no file needs",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "fmt.Println"},
			want:  allReady,
		},
		{
			name:  "glibc cgo build needing GLIBC_2.34",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libc.so.6"}, "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_PRIVATE"),
			funcs: []string{"main.main", "net._C2func_getaddrinfo", "os/user._Cfunc_mygetpwuid_r"},
			want: with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader,
				"debian-11", no+": glibc"),
		},
		{
			name:  "GLIBC_2.38 is too new for Debian 12 and Ubuntu 22.04",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libc.so.6"}, "GLIBC_2.38"),
			funcs: []string{"main.main"},
			want: with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader,
				"debian-11", no+": glibc", "debian-12", no+": glibc", "distroless-base", no+": glibc", "ubuntu-22.04", no+": glibc"),
		},
		{
			name:  "GLIBC_ABI_DT_RELR counts as glibc 2.36",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libc.so.6"}, "GLIBC_ABI_DT_RELR"),
			funcs: []string{"main.main"},
			want: with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader,
				"debian-11", no+": glibc", "ubuntu-22.04", no+": glibc"),
		},
		{
			name:  "musl build from golang:alpine",
			f:     goFile(elfinfo.LinkageDynamic, "/lib/ld-musl-x86_64.so.1", []string{"libc.musl-x86_64.so.1"}),
			funcs: []string{"main.main", "net._C2func_getaddrinfo"},
			want: map[string]string{"scratch": noLoader, "distroless-static": noLoader, "distroless-base": noLoader,
				"alpine": string(container.VerdictReady), "debian-12": noLoader, "debian-11": noLoader, "ubuntu-22.04": noLoader, "ubuntu-24.04": noLoader},
		},
		{
			// Ubuntu's lists come from package names, not packages read:
			// outside them a library is not known, rather than missing.
			name:  "complete lists: Debian has libstdc++, no base has libsqlite3",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libstdc++.so.6", "libsqlite3.so.0", "libc.so.6"}),
			funcs: []string{"main.main"},
			want: with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader,
				"distroless-base", no+": library library", "debian-12", no+": library", "debian-11", no+": library",
				"ubuntu-22.04", files+": library", "ubuntu-24.04", files+": library"),
		},
		{
			// The item 3: debian:12 ships liblz4 and libgmp, and no
			// libcrypto.so.3 (apt there uses GnuTLS), which Ubuntu has.
			name:  "liblz4 and libgmp are in Debian 12; libcrypto.so.3 is not",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"liblz4.so.1", "libgmp.so.10", "libcrypto.so.3", "libc.so.6"}),
			funcs: []string{"main.main"},
			want: with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader,
				"distroless-base", no+": library library", "debian-12", no+": library", "debian-11", no+": library"),
		},
		{
			// C code that names glibc's loader, and glibc's other sonames:
			// libc6 ships them all; libc_malloc_debug only from 2.34.
			name:  "ld-linux-x86-64.so.2, libnsl.so.1 and the NSS modules in DT_NEEDED",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"ld-linux-x86-64.so.2", "libnsl.so.1", "libnss_compat.so.2", "libnss_hesiod.so.2", "libc.so.6"}),
			funcs: []string{"main.main"},
			want:  with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader),
		},
		{
			name:  "libc_malloc_debug.so.0 came with glibc 2.34",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libc_malloc_debug.so.0", "libc.so.6"}),
			funcs: []string{"main.main"},
			want: with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader,
				"debian-11", no+": library"),
		},
		{
			name:  "musl's loader answers libpthread and libm itself",
			f:     goFile(elfinfo.LinkageDynamic, "/lib/ld-musl-x86_64.so.1", []string{"libpthread.so.0", "libm.so.6", "libc.musl-x86_64.so.1"}),
			funcs: []string{"main.main"},
			want: map[string]string{"scratch": noLoader, "distroless-static": noLoader, "distroless-base": noLoader,
				"alpine": string(container.VerdictReady), "debian-12": noLoader, "debian-11": noLoader, "ubuntu-22.04": noLoader, "ubuntu-24.04": noLoader},
		},
		{
			name:  "net.LookupPort reads /etc/services, which no Debian or Ubuntu image has",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "net.LookupPort", "net.(*Resolver).LookupPort"},
			want: with(allReady, "scratch", files+": services", "debian-12", files+": services", "debian-11", files+": services",
				"ubuntu-22.04", files+": services", "ubuntu-24.04", files+": services"),
		},
		{
			name:  "net.Dial's port parsing alone is a note",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "net.(*Resolver).LookupPort"},
			want:  allReady,
		},
		{
			name:  "os.TempDir used directly needs /tmp",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "os.TempDir", "os.WriteFile"},
			want:  with(allReady, "scratch", files+": tmp"),
		},
		{
			name:  "time.Local without TZ set is a note",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "time.initLocal"},
			want:  allReady,
		},
		{
			name:  "an interpreter no base has",
			f:     goFile(elfinfo.LinkageDynamic, "/nix/store/abc-glibc-2.39/lib/ld-linux-x86-64.so.2", []string{"libc.so.6"}),
			funcs: []string{"main.main"},
			want: map[string]string{"scratch": noLoader, "distroless-static": noLoader, "distroless-base": noLoader,
				"alpine": noLoader, "debian-12": noLoader, "debian-11": noLoader, "ubuntu-22.04": noLoader, "ubuntu-24.04": noLoader},
		},
		{
			name:  "HTTPS client: CA certificates",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "crypto/x509.loadSystemRoots", "crypto/x509.systemRootsPool"},
			want: with(allReady, "scratch", files+": ca-certificates", "debian-12", files+": ca-certificates",
				"debian-11", files+": ca-certificates", "ubuntu-22.04", files+": ca-certificates", "ubuntu-24.04", files+": ca-certificates"),
		},
		{
			name:  "x509roots/fallback embeds the roots",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "crypto/x509.loadSystemRoots", "golang.org/x/crypto/x509roots/fallback.init.0"},
			want:  allReady,
		},
		{
			name:  "time.LoadLocation: zoneinfo",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "time.LoadLocation"},
			want: with(allReady, "scratch", files+": zoneinfo", "alpine", files+": zoneinfo",
				"ubuntu-22.04", files+": zoneinfo", "ubuntu-24.04", files+": zoneinfo"),
		},
		{
			name:  "time/tzdata embeds the zones",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "time.LoadLocation", "time/tzdata.loadFromEmbeddedTZData"},
			want:  allReady,
		},
		{
			name:  "os/user and temporary files need /etc/passwd and /tmp; host lookups are a note",
			f:     goFile(elfinfo.LinkageStatic, "", nil),
			funcs: []string{"main.main", "os/user.Current", "os.MkdirTemp", "net.(*Resolver).lookupHost"},
			want:  with(allReady, "scratch", files+": passwd tmp"),
		},
		{
			name:  "-buildmode=pie with cgo off asks for the loader",
			f:     goFile(elfinfo.LinkageDynamic, glibcLoader, nil),
			funcs: []string{"main.main"},
			want:  with(allReady, "scratch", noLoader, "distroless-static", noLoader, "alpine", noLoader),
		},
		{
			name: "Go without a readable function table: unknown, never ready",
			f:    goFile(elfinfo.LinkageStatic, "", nil),
			want: with(allReady, "scratch", unknown, "distroless-static", unknown, "distroless-base", unknown, "alpine", unknown,
				"debian-12", unknown, "debian-11", unknown, "ubuntu-22.04", unknown, "ubuntu-24.04", unknown),
		},
		{
			name: "Go without a readable function table: the loader still decides where it will not start",
			f:    goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libc.so.6"}, "GLIBC_2.34"),
			want: with(allReady, "scratch", no+": loader go", "distroless-static", no+": loader go", "alpine", no+": loader go",
				"debian-11", no+": glibc go", "distroless-base", unknown, "debian-12", unknown, "ubuntu-22.04", unknown, "ubuntu-24.04", unknown),
		},
		{
			name: "not Go: loader checked, files not",
			f: &elfinfo.File{Format: elfinfo.FormatELF, OS: "linux", Type: "executable", Linkage: elfinfo.LinkageStatic,
				GoError: elfinfo.ErrNotGo},
			want: allReady,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, note := container.Judge(tc.f, tc.funcs, nil)
			if note != "" {
				t.Fatalf("note %q for a Linux ELF binary", note)
			}
			if diff := cmp.Diff(tc.want, verdicts(m)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
			for base, r := range m {
				if r.Image == "" {
					t.Errorf("%s: no image", base)
				}
				for _, x := range r.Reasons {
					if x.Finding == "" || (x.Level != container.LevelNote && x.Fix == "") {
						t.Errorf("%s: reason without finding or fix: %+v", base, x)
					}
				}
			}
		})
	}
}

func TestContainerNotApplicable(t *testing.T) {
	tests := []struct {
		f    *elfinfo.File
		want string
	}{
		{&elfinfo.File{Format: elfinfo.FormatMachO, OS: "darwin"}, "Linux container checks do not apply: this is a Mach-O binary for darwin"},
		{&elfinfo.File{Format: elfinfo.FormatPE, OS: "windows"}, "Linux container checks do not apply: this is a PE binary for windows"},
		{&elfinfo.File{Format: elfinfo.FormatELF, OS: "freebsd", Type: "executable"}, "Linux container checks do not apply: this ELF binary is for freebsd"},
	}
	for _, tc := range tests {
		m, note := container.Judge(tc.f, nil, nil)
		if m != nil || note != tc.want {
			t.Errorf("Container(%s/%s) = %v, %q; want nil, %q", tc.f.Format, tc.f.OS, m, note, tc.want)
		}
	}
}

func TestFixesSayWhatToDo(t *testing.T) {
	cgo := goFile(elfinfo.LinkageDynamic, glibcLoader, []string{"libc.so.6"})
	m, _ := container.Judge(cgo, []string{"net._C2func_getaddrinfo", "os/user._Cfunc_mygetpwuid_r"}, nil)
	fix := m["scratch"].Reasons[0].Fix
	for _, want := range []string{"CGO_ENABLED=0", "-tags netgo,osusergo", "distroless-base"} {
		if !strings.Contains(fix, want) {
			t.Errorf("scratch loader fix %q does not mention %s", fix, want)
		}
	}
	// Another package calling C: netgo,osusergo would not help.
	m, _ = container.Judge(cgo, []string{"net._C2func_getaddrinfo", "github.com/mattn/go-sqlite3._Cfunc_sqlite3_open_v2"}, nil)
	if fix := m["alpine"].Reasons[0].Fix; strings.Contains(fix, "netgo") || !strings.Contains(fix, "github.com/mattn/go-sqlite3") {
		t.Errorf("alpine loader fix with sqlite3 = %q", fix)
	}
	pie := goFile(elfinfo.LinkageDynamic, glibcLoader, nil)
	off := false
	pie.Go.BuildMode, pie.Go.CGOEnabled = "pie", &off
	m, _ = container.Judge(pie, []string{"main.main"}, nil)
	if fix := m["scratch"].Reasons[0].Fix; !strings.Contains(fix, "-buildmode=pie") {
		t.Errorf("pie fix = %q", fix)
	}
}

func TestBaseForImage(t *testing.T) {
	tests := map[string]string{
		"scratch":       "scratch",
		"alpine":        "alpine",
		"alpine:latest": "alpine",
		"docker.io/library/alpine:3.20@sha256:abc":  "alpine",
		"debian:bookworm-slim":                      "debian-12",
		"debian:12.7":                               "debian-12",
		"debian:bullseye":                           "debian-11",
		"debian:latest":                             "",
		"debian":                                    "",
		"ubuntu:jammy-20240911":                     "ubuntu-22.04",
		"ubuntu:24.04":                              "ubuntu-24.04",
		"gcr.io/distroless/static-debian12:nonroot": "distroless-static",
		"gcr.io/distroless/static":                  "distroless-static",
		"gcr.io/distroless/base-debian12":           "distroless-base",
		"gcr.io/distroless/base-debian11":           "",
		"golang:1.22":                               "",
		"localhost:5000/alpine:3":                   "",
	}
	for ref, want := range tests {
		b, ok := container.BaseForImage(ref)
		if got := b.Key; got != want || ok != (want != "") {
			t.Errorf("BaseForImage(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
	if b, _ := container.BaseForImage("gcr.io/distroless/static-debian12:debug"); !b.Shell {
		t.Error("distroless :debug has a shell (busybox)")
	}
}

// TestBaseTable keeps the table honest: keys as the issue names them,
// glibc versions where there is glibc, and the facts the checks rely on.
func TestBaseTable(t *testing.T) {
	want := []string{"scratch", "distroless-static", "distroless-base", "alpine", "debian-12", "debian-11", "ubuntu-22.04", "ubuntu-24.04"}
	if diff := cmp.Diff(want, container.BaseKeys()); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	glibc := map[string]string{"distroless-base": "2.36", "debian-12": "2.36", "debian-11": "2.31", "ubuntu-22.04": "2.35", "ubuntu-24.04": "2.39"}
	for _, b := range container.Bases {
		if b.Glibc != glibc[b.Key] || (b.Glibc != "") != (b.Libc == "glibc") {
			t.Errorf("%s: glibc %q (libc %q), want %q", b.Key, b.Glibc, b.Libc, glibc[b.Key])
		}
		if b.Libc != "" && !slices.Contains(b.Libraries, map[string]string{"glibc": "libc.so.6", "musl": "libc.musl-x86_64.so.1"}[b.Libc]) {
			t.Errorf("%s: its C library is not among its libraries", b.Key)
		}
	}
	scratch, _ := container.BaseByKey("scratch")
	if scratch.CACerts || scratch.Zoneinfo || scratch.Passwd || scratch.Tmp || scratch.Shell || scratch.Libc != "" {
		t.Errorf("scratch holds nothing, not even /tmp: %+v", scratch)
	}
	static, _ := container.BaseByKey("distroless-static")
	if !static.CACerts || !static.Zoneinfo || !static.Passwd || !static.Tmp || static.Libc != "" {
		t.Errorf("distroless-static ships certs, tzdata, passwd and /tmp, no libc: %+v", static)
	}
}

// Built fixtures. The pomo variants share their builds (same name, same
// settings) with the other tests of the package.
var (
	ctPomoCgo     = testbuild.Variant{Name: "pomo-c1", Env: []string{"CGO_ENABLED=1"}}
	ctPomoCgoSW   = testbuild.Variant{Name: "pomo-c1-sw", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-ldflags=-s -w"}}
	ctPomoStatic  = testbuild.Variant{Name: "pomo-c0", Env: []string{"CGO_ENABLED=0"}}
	ctPomoStaticS = testbuild.Variant{Name: "pomo-c0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}}
)

// TestContainerCorruptFunctab: a Go binary whose function table cannot be
// read (its pclntab magic zeroed in a copy) is unknown on every base, with
// a warning that says why, never ready, where the intact build is ready
// somewhere.
func TestContainerCorruptFunctab(t *testing.T) {
	src := testbuild.Build(t, testbuild.Pomo(t), ctPomoStatic)
	intact := containerOf(t, src)
	if !slices.ContainsFunc(container.BaseKeys(), func(k string) bool { return intact[k].Verdict == container.VerdictReady }) {
		t.Fatalf("the intact build is ready nowhere: %v", verdicts(intact))
	}
	m := containerOf(t, sizetest.WithoutPclntab(t, src, "pomo-c0-nopclntab"))
	for _, k := range container.BaseKeys() {
		r := m[k]
		if r.Verdict != container.VerdictUnknown {
			t.Errorf("%s: verdict %q, want unknown", k, r.Verdict)
		}
		i := slices.IndexFunc(r.Reasons, func(x container.Reason) bool { return x.Check == container.CheckGo })
		if i < 0 || r.Reasons[i].Level != container.LevelWarning || !strings.Contains(r.Reasons[i].Finding, "cannot read the Go function table") {
			t.Errorf("%s: reasons %+v, want a warning that the Go function table cannot be read", k, r.Reasons)
		}
	}
}

func containerOf(t *testing.T, path string) map[string]container.Readiness {
	t.Helper()
	f, err := elfinfo.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := analyze.NewBinary(f)
	if b.Container == nil {
		t.Fatalf("%s: no container verdicts (%s)", path, b.ContainerNote)
	}
	return b.Container
}

func hasCheck(r container.Readiness, check container.Check) bool {
	return slices.ContainsFunc(r.Reasons, func(x container.Reason) bool { return x.Check == check })
}

// TestContainerPomo checks the verdicts on real builds of testdata/pomo,
// and that -s -w builds get the same ones: everything comes from the
// program headers and the function table, which stripping keeps.
func TestContainerPomo(t *testing.T) {
	pomo := testbuild.Pomo(t)
	t.Run("cgo=0", func(t *testing.T) {
		plain := containerOf(t, testbuild.Build(t, pomo, ctPomoStatic))
		for base, r := range plain {
			for _, check := range []container.Check{container.CheckLoader, container.CheckLibrary, container.CheckGlibc} {
				if hasCheck(r, check) {
					t.Errorf("%s: a static build is blocked by the %s: %+v", base, check, r.Reasons)
				}
			}
		}
		// It serves HTTP with net/http, which links the system root loader.
		if !hasCheck(plain["scratch"], container.CheckCACerts) || hasCheck(plain["distroless-static"], container.CheckCACerts) {
			t.Errorf("CA certificates: scratch %+v, distroless-static %+v", plain["scratch"].Reasons, plain["distroless-static"].Reasons)
		}
		stripped := containerOf(t, testbuild.Build(t, pomo, ctPomoStaticS))
		if diff := cmp.Diff(verdicts(plain), verdicts(stripped)); diff != "" {
			t.Errorf("-s -w changes the verdicts (-plain +stripped):\n%s", diff)
		}
	})
	t.Run("cgo=1", func(t *testing.T) {
		plain := containerOf(t, testbuild.Build(t, pomo, ctPomoCgo))
		for _, base := range []string{"scratch", "alpine"} {
			if r := plain[base]; r.Verdict != container.VerdictWillNotStart || !hasCheck(r, container.CheckLoader) {
				t.Errorf("%s: %s %+v, want will not start for the loader", base, r.Verdict, r.Reasons)
			}
		}
		if r := plain["debian-12"]; hasCheck(r, container.CheckLoader) || hasCheck(r, container.CheckLibrary) {
			t.Errorf("debian-12: blocked by the loader: %+v", r.Reasons)
		}
		stripped := containerOf(t, testbuild.Build(t, pomo, ctPomoCgoSW))
		if diff := cmp.Diff(verdicts(plain), verdicts(stripped)); diff != "" {
			t.Errorf("-s -w changes the verdicts (-plain +stripped):\n%s", diff)
		}
	})
}

// zoneProgram is a program that loads a time zone by name; with the
// withtz tag it also imports time/tzdata.
var zoneProgram = map[string]string{
	"go.mod": "module example.com/zone\n\ngo 1.26\n",
	"main.go": `package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	loc, err := time.LoadLocation(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println(time.Now().In(loc))
}
`,
	"tzdata.go": "//go:build withtz\n\npackage main\n\nimport _ \"time/tzdata\"\n",
}

// TestContainerZoneinfo: a program that calls time.LoadLocation needs
// files on scratch until it imports time/tzdata (or is built with
// -tags timetzdata), stripped or not.
func TestContainerZoneinfo(t *testing.T) {
	dir := t.TempDir()
	for name, src := range zoneProgram {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	static := []string{"CGO_ENABLED=0"}
	tests := []struct {
		v     testbuild.Variant
		needs bool
	}{
		{testbuild.Variant{Name: "zone", Env: static}, true},
		{testbuild.Variant{Name: "zone-sw", Env: static, Flags: []string{"-ldflags=-s -w"}}, true},
		{testbuild.Variant{Name: "zone-tzdata", Env: static, Flags: []string{"-tags=withtz"}}, false},
		{testbuild.Variant{Name: "zone-tzdata-sw", Env: static, Flags: []string{"-tags=withtz", "-ldflags=-s -w"}}, false},
		{testbuild.Variant{Name: "zone-timetzdata", Env: static, Flags: []string{"-tags=timetzdata"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.v.Name, func(t *testing.T) {
			m := containerOf(t, testbuild.Build(t, dir, tc.v))
			r := m["scratch"]
			if got := hasCheck(r, container.CheckZoneinfo); got != tc.needs {
				t.Fatalf("scratch: zoneinfo finding %v, want %v: %+v", got, tc.needs, r.Reasons)
			}
			want := container.VerdictReady
			if tc.needs {
				want = container.VerdictNeedsFiles
			}
			if r.Verdict != want {
				t.Errorf("scratch: %s, want %s: %+v", r.Verdict, want, r.Reasons)
			}
			if d := m["distroless-static"]; d.Verdict != container.VerdictReady {
				t.Errorf("distroless-static ships tzdata: %s %+v", d.Verdict, d.Reasons)
			}
		})
	}
}

// TestEnvTZ: time.Local loads the zone TZ names, and with no zoneinfo
// silently stays UTC; time/tzdata serves it.
func TestEnvTZ(t *testing.T) {
	f := goFile(elfinfo.LinkageStatic, "", nil)
	funcs := []string{"main.main", "time.initLocal"}
	for _, tc := range []struct {
		tz   string
		want string
	}{
		{"Europe/Paris", string(container.VerdictNeedsFiles) + ": zoneinfo"},
		{":Europe/Paris", string(container.VerdictNeedsFiles) + ": zoneinfo"},
		{"UTC", string(container.VerdictReady)},
		{"Etc/UTC", string(container.VerdictReady)},
		{"", string(container.VerdictReady)},
		{"/etc/localtime", string(container.VerdictReady)}, // a path: opened as is, not looked up
	} {
		m, _ := container.JudgeEnv(f, funcs, nil, container.Env{"TZ": tc.tz})
		for _, base := range []string{"scratch", "alpine", "ubuntu-24.04"} {
			if got := verdicts(m)[base]; got != tc.want {
				t.Errorf("TZ=%q on %s: %q, want %q", tc.tz, base, got, tc.want)
			}
		}
		if got := verdicts(m)["debian-12"]; got != string(container.VerdictReady) {
			t.Errorf("TZ=%q on debian-12, which has zoneinfo: %q", tc.tz, got)
		}
	}
	m, _ := container.JudgeEnv(f, append(funcs, "time/tzdata.init.0"), nil, container.Env{"TZ": "Europe/Paris"})
	if got := verdicts(m)["scratch"]; got != string(container.VerdictReady) {
		t.Errorf("TZ with time/tzdata linked on scratch: %q", got)
	}
}

// TestPasswdFixForCgo: setting USER and HOME helps pure-Go os/user's
// Current only; a cgo build's getpwuid_r fails all the same.
func TestPasswdFixForCgo(t *testing.T) {
	f := goFile(elfinfo.LinkageStatic, "", nil)
	reason := func(funcs []string) container.Reason {
		m, _ := container.Judge(f, funcs, nil)
		for _, r := range m["scratch"].Reasons {
			if r.Check == container.CheckPasswd {
				return r
			}
		}
		t.Fatalf("no passwd reason for %q", funcs)
		return container.Reason{}
	}
	if r := reason([]string{"os/user.Current", "os/user._Cfunc_mygetpwuid_r"}); strings.Contains(r.Fix, "USER and HOME") || !strings.Contains(r.Finding, "whatever USER and HOME say") {
		t.Errorf("cgo os/user: %+v", r)
	}
	if r := reason([]string{"os/user.Current"}); !strings.Contains(r.Fix, "USER and HOME") {
		t.Errorf("pure-Go os/user: fix %q does not offer USER and HOME", r.Fix)
	}
}
