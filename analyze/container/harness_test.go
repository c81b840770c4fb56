//go:build linux

package container_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/binscope/binscope/analyze/container"
	"github.com/binscope/binscope/elfinfo"
)

// The harness proves the verdicts by running binaries: probe programs
// that each exercise one need, built pure-Go and with cgo (glibc dynamic
// and static, an old glibc static, musl dynamic, a no-cgo PIE), run as
// PID 1 in fresh mount and PID namespaces, chrooted into root
// filesystems made like the images of the base table, with the files a
// container runtime injects. Each outcome must be what binscope's verdict
// for that base says:
//
//   - "will not start": the probe does not start (the loader refuses it);
//   - "ready": it starts and passes;
//   - "needs files": it starts, and fails exactly when one of the needs
//     named (the warnings) is one its check exercises; it names no need
//     its check does not exercise.
//
// It needs root (chroot, namespaces); CI runs as root. The old glibc and
// musl come from scripts/fetch-roots; BINSCOPE_REQUIRE_ROOTS=1 (set by
// .ci/run) makes their absence a failure rather than a skip.
//
// BINSCOPE_EXTRA_ROOTS=base=DIR[,base=DIR…] adds root filesystems of real
// images (docker export, an unpacked minirootfs, debootstrap) judged as
// that base: the harness writes /probe and the runtime's three files into
// each while it runs.

// probeNeeds lists, per probe, the checks whose absence explains its
// failure.
var probeNeeds = map[string][]container.Check{
	"loader":        nil,
	"ca":            {container.CheckCACerts},
	"zoneinfo-load": {container.CheckZoneinfo},
	"zoneinfo-tz":   {container.CheckZoneinfo},
	"passwd":        {container.CheckPasswd, container.CheckNSS},
	"tmp-create":    {container.CheckTmp},
	"tmp-dir":       {container.CheckTmp},
	"services":      {container.CheckServices, container.CheckNSS},
	"resolve":       {container.CheckNSS},
	"user-lookup":   {container.CheckPasswd, container.CheckNSS},
}

// probeEnv is the environment a probe runs with besides the runtime's.
var probeEnv = map[string]container.Env{
	"zoneinfo-tz": {"TZ": "Europe/Paris"},
}

// rootSpec is a root filesystem made like a base image: what it has,
// from the image's published contents (the sources of bases.go). The
// harness checks that it agrees with the base table, so that a change to
// either is seen.
type rootSpec struct {
	name, base                          string
	libc                                string // "", "host" (this machine's glibc), "glibc-2.31", "musl"
	ca, zoneinfo, passwd, tmp, services bool
	nsswitch                            string // /etc/nsswitch.conf, "" for none
}

// debianNSS is the nsswitch.conf of Debian 11 and 12, written by libc-bin
// from /usr/share/libc-bin/nsswitch.conf; distroless writes its own.
const debianNSS = "passwd: files\ngroup: files\nshadow: files\ngshadow: files\n\nhosts: files dns\nnetworks: files\n\nprotocols: db files\nservices: db files\nethers: db files\nrpc: db files\n\nnetgroup: nis\n"

var roots = []rootSpec{
	{name: "scratch", base: "scratch"},
	{name: "distroless-static", base: "distroless-static", ca: true, zoneinfo: true, passwd: true, tmp: true, services: true,
		nsswitch: "passwd: compat\ngroup: compat\nshadow: compat\nhosts: files dns\n"},
	{name: "glibc-host", base: "debian-12", libc: "host", zoneinfo: true, passwd: true, tmp: true, nsswitch: debianNSS},
	{name: "glibc-2.31", base: "debian-11", libc: "glibc-2.31", zoneinfo: true, passwd: true, tmp: true, nsswitch: debianNSS},
	{name: "musl", base: "alpine", libc: "musl", ca: true, passwd: true, tmp: true, services: true,
		nsswitch: "hosts: files dns\n"},
}

func TestVerdictsHoldInRealRoots(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("the harness's roots are made for amd64, not %s", runtime.GOARCH)
	}
	if os.Geteuid() != 0 {
		t.Skip("running probes chrooted as PID 1 in new namespaces needs root")
	}
	if testing.Short() {
		t.Skip("builds and runs probes in root filesystems")
	}
	fetched := fetchedRoots(t)
	have := func(name string) bool {
		if _, err := os.Stat(filepath.Join(fetched, name, ".complete")); err == nil {
			return true
		}
		if os.Getenv("BINSCOPE_REQUIRE_ROOTS") != "" {
			t.Fatalf("%s is not in %s: run scripts/fetch-roots", name, fetched)
		}
		t.Logf("skipping what needs %s: not in %s (scripts/fetch-roots fetches it)", name, fetched)
		return false
	}
	work := t.TempDir()
	hostGlibc := hostGlibcVersion(t)

	variants := buildProbes(t, work, fetched, have("glibc-2.31"), have("musl"), nil)
	checkStaticGlibc(t, work, variants, hostGlibc)
	type run struct {
		root     rootSpec
		dir      string
		base     container.Base
		disagree int
	}
	var runs []*run
	for _, spec := range roots {
		if (spec.libc == "glibc-2.31" || spec.libc == "musl") && !have(spec.libc) {
			continue
		}
		b, ok := container.BaseByKey(spec.base)
		if !ok {
			t.Fatalf("no base %s", spec.base)
		}
		if spec.libc == "host" {
			// A root of this machine's glibc models Debian 12 with the
			// machine's glibc release.
			b.Glibc = hostGlibc
		}
		checkSpecMatchesBase(t, spec, b)
		runs = append(runs, &run{root: spec, dir: makeRoot(t, work, fetched, spec), base: b})
	}

	if extra := os.Getenv("BINSCOPE_EXTRA_ROOTS"); extra != "" {
		for _, kv := range strings.Split(extra, ",") {
			key, dir, ok := strings.Cut(kv, "=")
			b, found := container.BaseByKey(key)
			if !ok || !found {
				t.Fatalf("BINSCOPE_EXTRA_ROOTS: %q is not base=DIR with a base of the table", kv)
			}
			injectRuntimeFiles(t, dir)
			runs = append(runs, &run{root: rootSpec{name: filepath.Base(dir), base: key}, dir: dir, base: b})
		}
	}

	total := 0
	for _, r := range runs {
		for _, v := range variants {
			for _, probe := range sortedKeys(probeNeeds) {
				bin := filepath.Join(v.dir, probe)
				f, err := elfinfo.Open(bin)
				if err != nil {
					t.Fatal(err)
				}
				names, err := container.FuncNames(f)
				if err != nil {
					t.Fatal(err)
				}
				verdict := container.ReadinessOn(r.base, f, names, nil, probeEnv[probe])
				f.Close()
				out := runProbe(t, r.dir, bin, probeEnv[probe])
				total++
				if msg := disagreement(verdict, probeNeeds[probe], out); msg != "" {
					r.disagree++
					t.Errorf("%s/%s on %s (as %s): %s\n\tverdict: %s %s\n\toutput: %s", v.name, probe, r.root.name, r.base.Key, msg,
						verdict.Verdict, reasonChecks(verdict), firstLines(out.stderr))
				}
			}
		}
	}
	for _, r := range runs {
		t.Logf("root %-17s (as %-17s): %d runs, %d disagree", r.root.name, r.base.Key, len(variants)*len(probeNeeds), r.disagree)
	}
	t.Logf("%d runs of %d probes × %d builds × %d roots", total, len(probeNeeds), len(variants), len(runs))
}

// fetchedRoots is where scripts/fetch-roots unpacks its packages.
func fetchedRoots(t *testing.T) string {
	if dir := os.Getenv("BINSCOPE_ROOTS"); dir != "" {
		return dir
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(cache, "binscope", "roots")
}

// TestNSSVerdictsOnStaticBuilds judges real static glibc builds, without
// running them (no root needed): the nss reason on each base, by glibc
// release and by what the probe calls.
func TestNSSVerdictsOnStaticBuilds(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("the probes' static builds are made for amd64, not %s", runtime.GOARCH)
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no gcc for cgo builds")
	}
	if testing.Short() {
		t.Skip("builds probes")
	}
	fetched := fetchedRoots(t)
	_, err := os.Stat(filepath.Join(fetched, "glibc-2.31", ".complete"))
	old := err == nil
	if !old && os.Getenv("BINSCOPE_REQUIRE_ROOTS") != "" {
		t.Fatalf("glibc-2.31 is not in %s: run scripts/fetch-roots", fetched)
	}
	host := hostGlibcVersion(t)
	if container.CompareVersions(host, "2.34") < 0 {
		t.Skipf("this machine's glibc %s is older than 2.34", host)
	}
	work := t.TempDir()
	variants := buildProbes(t, work, fetched, old, false, []string{"glibc-static", "glibc-2.31-static"})
	checkStaticGlibc(t, work, variants, host)
	// nss level per base, "" for no nss reason.
	want := map[string]map[string]map[string]string{
		"glibc-static": {
			// files and dns built in: only distroless's compat is a module.
			"passwd":  {"scratch": "", "distroless-static": "warning", "debian-12": "", "debian-11": "", "alpine": ""},
			"resolve": {"scratch": "", "distroless-static": "", "debian-11": ""},
		},
		"glibc-2.31-static": {
			"passwd":   {"scratch": "warning", "distroless-static": "warning", "debian-12": "warning", "debian-11": "note", "alpine": "warning"},
			"services": {"scratch": "note", "alpine": "note", "debian-12": "warning", "debian-11": "note", "ubuntu-24.04": "warning"},
			"resolve":  {"scratch": "note", "debian-12": "note", "debian-11": ""},
			"loader":   {"scratch": "", "debian-12": ""},
		},
	}
	if b, _ := container.BaseByKey("distroless-base"); b.Glibc == host {
		want["glibc-static"]["passwd"]["distroless-base"] = "note" // the same glibc's compat module: can crash
	}
	for _, v := range variants {
		for probe, bases := range want[v.name] {
			f, err := elfinfo.Open(filepath.Join(v.dir, probe))
			if err != nil {
				t.Fatal(err)
			}
			names, err := container.FuncNames(f)
			if err != nil {
				t.Fatal(err)
			}
			for key, level := range bases {
				b, _ := container.BaseByKey(key)
				got := ""
				for _, x := range container.ReadinessOn(b, f, names, nil, nil).Reasons {
					if x.Check == container.CheckNSS {
						got = string(x.Level)
					}
				}
				if got != level {
					t.Errorf("%s/%s on %s: nss %q, want %q", v.name, probe, key, got, level)
				}
			}
			f.Close()
		}
	}
}

// outcome is what a probe did: whether it started, and whether it passed.
type outcome struct {
	started, passed bool
	stderr          string
}

// disagreement says how an outcome contradicts a verdict, or "".
func disagreement(r container.Readiness, explains []container.Check, out outcome) string {
	var named []container.Check
	nssNote := false
	for _, x := range r.Reasons {
		switch {
		case x.Level == container.LevelWarning:
			named = append(named, x.Check)
		case x.Check == container.CheckNSS:
			nssNote = true // "can crash": a crash is what it says
		}
	}
	switch r.Verdict {
	case container.VerdictWillNotStart:
		if out.started {
			return "started, though binscope says it will not"
		}
		return ""
	case container.VerdictReady, container.VerdictNeedsFiles:
	default:
		return "unexpected verdict"
	}
	if !out.started {
		return "did not start, though binscope says it will"
	}
	for _, c := range named {
		if !slices.Contains(explains, c) {
			return fmt.Sprintf("binscope names %s, which this probe does not exercise", c)
		}
	}
	switch {
	case out.passed && len(named) > 0:
		return "passed, though binscope names needs it exercises"
	case !out.passed && len(named) == 0 && !(nssNote && slices.Contains(explains, container.CheckNSS) && strings.Contains(out.stderr, "SIGSEGV")):
		return "failed, though binscope names no need it exercises"
	}
	return ""
}

func reasonChecks(r container.Readiness) string {
	var parts []string
	for _, x := range r.Reasons {
		parts = append(parts, fmt.Sprintf("%s(%s)", x.Check, x.Level))
	}
	return strings.Join(parts, " ")
}

// runProbe runs bin as PID 1 of new mount, PID, UTS and IPC namespaces,
// chrooted into root, with the environment a container runtime gives
// (PATH, HOSTNAME, HOME) plus env.
func runProbe(t *testing.T, root, bin string, env container.Env) outcome {
	t.Helper()
	dst := filepath.Join(root, "probe")
	os.Remove(dst)
	if err := os.Link(bin, dst); err != nil {
		if err := copyFile(bin, dst, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	defer os.Remove(dst)
	home := "/"
	if _, err := os.Stat(filepath.Join(root, "etc/passwd")); err == nil {
		home = "/root"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	run := func(flags uintptr) error {
		cmd := exec.CommandContext(ctx, "/probe")
		cmd.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=probe", "HOME=" + home}
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Dir = "/"
		cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root, Cloneflags: flags}
		stderr.Reset()
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		return cmd.Run()
	}
	var err error = syscall.EPERM
	if !namespacesRefused {
		err = run(syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWUTS | syscall.CLONE_NEWIPC)
	}
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EINVAL) {
		// A sandbox that refuses new namespaces (a container without
		// CAP_SYS_ADMIN): chrooted alone, the probe still finds only
		// the root's files, which is what the verdicts are about.
		if !namespacesRefused {
			namespacesRefused = true
			t.Logf("new namespaces refused (%v): probes run chrooted only, not as PID 1", err)
		}
		err = run(0)
		if errors.Is(err, syscall.EPERM) {
			t.Skipf("chroot refused (%v): the probes cannot run in their roots here", err)
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("%s in %s: timed out", bin, root)
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		// exec itself failed: ENOENT for a missing loader.
		return outcome{stderr: err.Error()}
	}
	started := strings.HasPrefix(stderr.String(), "started\n")
	return outcome{started: started, passed: started && err == nil, stderr: stderr.String()}
}

// namespacesRefused is set once the kernel refuses the probes' namespaces.
var namespacesRefused bool

// checkStaticGlibc checks elfinfo's reading of the glibc a static build
// carries, on the probes linked statically with this machine's glibc and
// with glibc 2.31, with their symbol tables and stripped.
func checkStaticGlibc(t *testing.T, work string, variants []variant, host string) {
	t.Helper()
	want := map[string]string{"glibc-static": host, "glibc-2.31-static": "2.31"}
	for _, v := range variants {
		bin := filepath.Join(v.dir, "passwd")
		stripped := filepath.Join(work, v.name+"-passwd-stripped")
		if out, err := exec.Command("strip", "-o", stripped, bin).CombinedOutput(); err != nil {
			t.Fatalf("strip: %v\n%s", err, out)
		}
		for _, p := range []string{bin, stripped} {
			f, err := elfinfo.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			g := f.StaticGlibc()
			f.Close()
			switch w, static := want[v.name]; {
			case !static && g != nil:
				t.Errorf("%s: StaticGlibc = %+v for a build without static glibc", p, g)
			case static && (g == nil || g.Version != w):
				t.Errorf("%s: StaticGlibc = %+v, want glibc %s", p, g, w)
			case static && p == stripped && !strings.Contains(g.Evidence, ".rodata"):
				t.Errorf("%s: stripped, yet the version came from %s", p, g.Evidence)
			}
		}
	}
}

// variant is one way of building the probes.
type variant struct {
	name, dir string
}

// buildProbes builds every probe of testdata/probes once per variant, or
// per variant of only, when only is not nil.
func buildProbes(t *testing.T, work, fetched string, old, musl bool, only []string) []variant {
	t.Helper()
	src, err := filepath.Abs("testdata/probes")
	if err != nil {
		t.Fatal(err)
	}
	type spec struct {
		name string
		env  []string
		args []string
	}
	specs := []spec{
		{"pure-go", []string{"CGO_ENABLED=0"}, nil},
		{"pure-go-pie", []string{"CGO_ENABLED=0"}, []string{"-buildmode=pie"}},
		{"glibc-dynamic", []string{"CGO_ENABLED=1"}, nil},
		{"glibc-static", []string{"CGO_ENABLED=1"}, []string{"-ldflags=-linkmode external -extldflags -static"}},
	}
	if old {
		// Linked statically against bullseye's glibc 2.31: its headers,
		// start files and libc.a. This machine's libgcc_eh asks for
		// _dl_find_object (glibc 2.35); a stub that finds nothing sends
		// the unwinder to its older path.
		g := filepath.Join(fetched, "glibc-2.31")
		stub := filepath.Join(work, "dlfo.o")
		c := filepath.Join(work, "dlfo.c")
		if err := os.WriteFile(c, []byte("struct dl_find_object;\nint _dl_find_object(void *pc, struct dl_find_object *r) { return -1; }\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("gcc", "-c", "-O2", "-o", stub, c).CombinedOutput(); err != nil {
			t.Fatalf("gcc: %v\n%s", err, out)
		}
		gccInc, err := exec.Command("gcc", "-print-file-name=include").Output()
		if err != nil {
			t.Fatal(err)
		}
		lib := filepath.Join(g, "usr/lib/x86_64-linux-gnu")
		cflags := strings.Join([]string{"-nostdinc", "-isystem", filepath.Join(g, "usr/include"), "-isystem", filepath.Join(g, "usr/include/x86_64-linux-gnu"),
			"-isystem", strings.TrimSpace(string(gccInc)), "-isystem", "/usr/include", "-isystem", "/usr/include/x86_64-linux-gnu"}, " ")
		specs = append(specs, spec{"glibc-2.31-static", []string{"CGO_ENABLED=1", "CGO_CFLAGS=" + cflags},
			[]string{fmt.Sprintf("-ldflags=-linkmode external -extldflags '-static -B%s/ -L%s %s'", lib, lib, stub)}})
	}
	if musl {
		// musl-gcc's specs, pointed at the unpacked package.
		m := filepath.Join(fetched, "musl")
		specsFile := filepath.Join(m, "usr/lib/x86_64-linux-musl/musl-gcc.specs")
		data, err := os.ReadFile(specsFile)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(data), "/usr/include/x86_64-linux-musl", filepath.Join(m, "usr/include/x86_64-linux-musl"))
		s = strings.ReplaceAll(s, "-L/usr/lib/x86_64-linux-musl", "-L"+filepath.Join(m, "lib/x86_64-linux-musl")+" -L"+filepath.Join(m, "usr/lib/x86_64-linux-musl"))
		s = strings.ReplaceAll(s, "/usr/lib/x86_64-linux-musl/", filepath.Join(m, "usr/lib/x86_64-linux-musl")+"/")
		local := filepath.Join(work, "musl-gcc.specs")
		if err := os.WriteFile(local, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		specs = append(specs, spec{"musl-dynamic", []string{"CGO_ENABLED=1", "CC=gcc -specs=" + local}, nil})
	}
	var out []variant
	for _, s := range specs {
		if only != nil && !slices.Contains(only, s.name) {
			continue
		}
		dir := filepath.Join(work, "bin", s.name)
		args := append([]string{"build", "-o", dir + "/"}, s.args...)
		cmd := exec.Command("go", append(args, "./...")...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), s.env...)
		cmd.Env = append(cmd.Env, "GOFLAGS=-mod=mod", "GOWORK=off")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building the probes (%s): %v\n%s", s.name, err, b)
		}
		out = append(out, variant{name: s.name, dir: dir})
	}
	return out
}

// makeRoot makes the root filesystem spec describes.
func makeRoot(t *testing.T, work, fetched string, spec rootSpec) string {
	t.Helper()
	root := filepath.Join(work, "roots", spec.name)
	write := func(name, data string, mode fs.FileMode) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	injectRuntimeFiles(t, root)
	if spec.ca {
		copyInto(t, "/etc/ssl/certs/ca-certificates.crt", root)
	}
	if spec.zoneinfo {
		copyTree(t, "/usr/share/zoneinfo", filepath.Join(root, "usr/share/zoneinfo"))
	}
	if spec.passwd {
		write("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", 0o644)
		write("etc/group", "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n", 0o644)
	}
	if spec.tmp {
		if err := os.Mkdir(filepath.Join(root, "tmp"), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(root, "tmp"), 0o1777); err != nil {
			t.Fatal(err)
		}
	}
	if spec.services {
		copyInto(t, "/etc/services", root)
	}
	if spec.nsswitch != "" {
		write("etc/nsswitch.conf", spec.nsswitch, 0o644)
	}
	switch spec.libc {
	case "host":
		// libc6's files, as dpkg lists them: the loader, the C library's
		// parts and the NSS modules.
		libs, err := filepath.Glob("/lib/x86_64-linux-gnu/lib*.so.*")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range libs {
			base := filepath.Base(l)
			if slices.ContainsFunc([]string{"libc.", "libm.", "libpthread.", "libdl.", "librt.", "libresolv.", "libnss_", "libanl.", "libutil."},
				func(p string) bool { return strings.HasPrefix(base, p) }) {
				copyInto(t, l, root)
			}
		}
		copyInto(t, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", root)
		if err := os.MkdirAll(filepath.Join(root, "lib64"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", filepath.Join(root, "lib64/ld-linux-x86-64.so.2")); err != nil {
			t.Fatal(err)
		}
	case "glibc-2.31":
		copyTree(t, filepath.Join(fetched, "glibc-2.31/lib"), filepath.Join(root, "lib"))
		copyTree(t, filepath.Join(fetched, "glibc-2.31/lib64"), filepath.Join(root, "lib64"))
	case "musl":
		// The loader is the library: Alpine's /lib/ld-musl-x86_64.so.1.
		if err := os.MkdirAll(filepath.Join(root, "lib"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := copyFile(filepath.Join(fetched, "musl/lib/x86_64-linux-musl/libc.so"), filepath.Join(root, "lib/ld-musl-x86_64.so.1"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// injectRuntimeFiles writes the files every container runtime puts into
// a container (Docker bind-mounts its own copies over them).
func injectRuntimeFiles(t *testing.T, root string) {
	t.Helper()
	for name, data := range map[string]string{
		"etc/hosts":       "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
		"etc/resolv.conf": "nameserver 127.0.0.1\n",
		"etc/hostname":    "probe\n",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		os.Remove(p) // a link into the host (an image's resolv.conf) is replaced, not followed
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkSpecMatchesBase fails when a root and the base it models disagree
// on a fact of the table.
func checkSpecMatchesBase(t *testing.T, spec rootSpec, b container.Base) {
	t.Helper()
	libc := map[string]string{"": "", "host": "glibc", "glibc-2.31": "glibc", "musl": "musl"}[spec.libc]
	got := fmt.Sprint(libc, spec.ca, spec.zoneinfo, spec.passwd, spec.tmp, spec.services)
	want := fmt.Sprint(b.Libc, b.CACerts, b.Zoneinfo, b.Passwd, b.Tmp, b.Services)
	if got != want {
		t.Errorf("root %s models %s, but their libc, CA certificates, zoneinfo, passwd, tmp and services differ: %s, table %s", spec.name, b.Key, got, want)
	}
	passwd := ""
	for _, line := range strings.Split(spec.nsswitch, "\n") {
		if v, ok := strings.CutPrefix(line, "passwd:"); ok {
			passwd = strings.TrimSpace(v)
		}
	}
	if spec.libc != "musl" && passwd != b.NSSPasswd {
		t.Errorf("root %s's nsswitch.conf has passwd: %q, the table %q for %s", spec.name, passwd, b.NSSPasswd, b.Key)
	}
	if spec.libc == "glibc-2.31" && b.Glibc != "2.31" {
		t.Errorf("root %s models %s, whose glibc is %s", spec.name, b.Key, b.Glibc)
	}
}

// hostGlibcVersion is this machine's glibc release, "2.36".
func hostGlibcVersion(t *testing.T) string {
	out, err := exec.Command("getconf", "GNU_LIBC_VERSION").Output()
	if err != nil {
		t.Skipf("getconf GNU_LIBC_VERSION: %v (not a glibc machine?)", err)
	}
	v, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "glibc ")
	if !ok {
		t.Skipf("getconf GNU_LIBC_VERSION says %q", out)
	}
	return v
}

func copyInto(t *testing.T, src, root string) {
	t.Helper()
	dst := filepath.Join(root, src)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := copyFile(src, dst, info.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies a folder, keeping symbolic links as links.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return copyFile(p, target, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(src, dst string, mode fs.FileMode) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, mode)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func firstLines(s string) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", 4)
	return strings.Join(lines[:min(len(lines), 3)], " | ")
}
