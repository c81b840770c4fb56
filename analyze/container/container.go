// Package container judges whether a binary will start, and find the files
// it reaches for, on the base images people ship Go binaries on: the base
// table (bases.go, each fact with its source) and the verdicts.
package container

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/binscope/binscope/elfinfo"
)

// Verdict is the readiness of a binary on one base image.
type Verdict string

// Container readiness verdicts, from best to worst. Unknown is not
// ready: a rule that wants a binary ready fails on it, with its reason.
const (
	VerdictReady        Verdict = "ready"          // starts and finds every file it reaches for
	VerdictUnknown      Verdict = "unknown"        // starts, but the files it reaches for cannot be told: its Go function table cannot be read
	VerdictNeedsFiles   Verdict = "needs files"    // starts, but some features fail until files are added
	VerdictWillNotStart Verdict = "will not start" // exec fails, or the loader stops it
)

// Level is how much a reason or a finding matters, the same words in
// every report.
type Level string

// The levels, from worst to mildest.
const (
	LevelError   Level = "error"   // will not start (inspect), or breaks the image (dockerfile)
	LevelWarning Level = "warning" // needs files
	LevelNote    Level = "note"    // worth knowing; changes no verdict
)

// Check names what a reason is about.
type Check string

// The checks. A verdict lists the loader's reasons first (loader,
// library, glibc), then nss, then the files of needRules in its order.
const (
	CheckLoader   Check = "loader"          // the PT_INTERP dynamic loader
	CheckLibrary  Check = "library"         // a DT_NEEDED shared library
	CheckGlibc    Check = "glibc"           // the glibc symbol versions required
	CheckCACerts  Check = "ca-certificates" // /etc/ssl/certs
	CheckZoneinfo Check = "zoneinfo"        // /usr/share/zoneinfo
	CheckPasswd   Check = "passwd"          // /etc/passwd, /etc/group
	CheckTmp      Check = "tmp"             // a writable /tmp
	CheckResolver Check = "resolver"        // /etc/resolv.conf, /etc/hosts
	CheckServices Check = "services"        // /etc/services, for service names such as "postgresql"
	CheckNSS      Check = "nss"             // glibc's NSS modules, which static glibc before 2.34 loads from the image
	CheckGo       Check = "go"              // the Go function table could not be read
)

// Readiness is the verdict for one binary on one base image.
type Readiness struct {
	Image   string   `json:"image"`   // the base's image reference, e.g. gcr.io/distroless/static-debian12
	Verdict Verdict  `json:"verdict"` // ready, needs files or will not start
	Reasons []Reason `json:"reasons"`
}

// Reason is one finding behind a verdict, with what to do about it.
type Reason struct {
	Check   Check  `json:"check"`
	Level   Level  `json:"level"`
	Finding string `json:"finding"`
	Fix     string `json:"fix"`
}

// need is a file a Go binary reaches for at run time, told by the
// functions of its function table that do so.
type need struct {
	Check    Check    `json:"check"`    // ca-certificates, zoneinfo, passwd, tmp, services or resolver
	Evidence []string `json:"evidence"` // the functions that show it, e.g. crypto/x509.loadSystemRoots
}

// needRules list the functions that reach for each file. The names are
// those of the Go function table (pclntab), which -s -w and strip keep.
var needRules = []struct {
	check Check
	funcs []string
	// unless lists packages whose presence removes the need.
	unless []string
}{
	{
		// crypto/x509/root_unix.go: loadSystemRoots reads the files and
		// folders of root_linux.go (/etc/ssl/certs/ca-certificates.crt, …).
		// The fallback package registers an embedded bundle used when
		// those are missing.
		check:  CheckCACerts,
		funcs:  []string{"crypto/x509.loadSystemRoots"},
		unless: []string{"golang.org/x/crypto/x509roots/fallback"},
	},
	{
		// time/zoneinfo.go: LoadLocation searches $ZONEINFO, the system
		// zoneinfo folders, and the embedded copy time/tzdata registers.
		// time/zoneinfo_unix.go: initLocal, behind time.Local, reads $TZ
		// and loads that zone the same way; without TZ it reads
		// /etc/localtime, and without that Local is UTC, as wanted.
		check:  CheckZoneinfo,
		funcs:  []string{"time.LoadLocation", "time.initLocal"},
		unless: []string{"time/tzdata"},
	},
	{
		// os/user: both the pure-Go code (reading /etc/passwd and
		// /etc/group) and the cgo code (getpwuid_r through NSS) need them.
		check: CheckPasswd,
		funcs: []string{
			"os/user.Current", "os/user.Lookup", "os/user.LookupId",
			"os/user.LookupGroup", "os/user.LookupGroupId", "os/user.(*User).GroupIds",
		},
	},
	{
		check: CheckTmp,
		// os.TempDir is $TMPDIR or /tmp; a program that writes there
		// itself needs /tmp as much as CreateTemp does. The wrapper is
		// inlined, so only the inline trees name it (elfinfo.FuncNames).
		funcs: []string{"os.CreateTemp", "os.MkdirTemp", "io/ioutil.TempFile", "io/ioutil.TempDir", "os.TempDir"},
	},
	{
		// net/port_unix.go: goLookupPort reads /etc/services for a port
		// given by a name net does not know by heart ("postgresql"; the
		// services map of net/lookup.go holds http, https, ssh…); the cgo
		// path asks getaddrinfo, which reads it too. net.LookupPort is the program asking by name;
		// (*Resolver).LookupPort alone is net.Dial's parsing of
		// "host:port", which needs the file only for a named port.
		check: CheckServices,
		funcs: []string{"net.LookupPort", "net.(*Resolver).LookupPort"},
	},
	{
		// net: the pure-Go resolver and the cgo getaddrinfo path.
		check: CheckResolver,
		funcs: []string{
			"net.(*Resolver).lookupHost", "net.(*Resolver).lookupIP", "net.(*Resolver).goLookupIPCNAMEOrder",
			"net.cgoLookupHost", "net.cgoLookupIP", "net._C2func_getaddrinfo",
		},
	},
}

// runtimeNeeds tells from a Go binary's function names which files it
// reaches for at run time. The result is in the order of the checks.
func runtimeNeeds(funcs []string) []need {
	have := make(map[string]bool, len(funcs))
	pkgs := map[string]bool{}
	for _, fn := range funcs {
		have[fn] = true
		pkgs[elfinfo.PackageOf(fn)] = true
	}
	needs := []need{}
	for _, r := range needRules {
		var ev []string
		for _, fn := range r.funcs {
			if have[fn] {
				ev = append(ev, fn)
			}
		}
		if len(ev) == 0 || slices.ContainsFunc(r.unless, func(p string) bool { return pkgs[p] }) {
			continue
		}
		needs = append(needs, need{Check: r.check, Evidence: ev})
	}
	return needs
}

// cgoPackages lists the Go packages of a binary that call C, from the
// _Cfunc_ and _C2func_ wrappers cgo generates in them, sorted.
func cgoPackages(funcs []string) []string {
	seen := map[string]bool{}
	for _, fn := range funcs {
		if !strings.Contains(fn, "._Cfunc_") && !strings.Contains(fn, "._C2func_") {
			continue
		}
		if p := elfinfo.PackageOf(fn); p != "" && !seen[p] {
			seen[p] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// nssFuncs are the C functions of glibc that cgo calls in net and os/user
// and that answer through NSS (nsswitch.conf and its modules), by the
// name cgo gives their wrappers: net/cgo_unix_cgo.go, os/user/cgo_lookup_cgo.go.
// (res_search, which cgo's resolver also calls, goes to DNS only.)
var nssFuncs = []string{
	"getaddrinfo", "getnameinfo",
	"mygetpwuid_r", "mygetpwnam_r", "mygetgrgid_r", "mygetgrnam_r", "mygetgrouplist",
}

// nssCalls lists the NSS functions a binary calls through cgo
// ("getpwuid_r"), from the wrappers in its function table.
func nssCalls(funcs []string) []string {
	var out []string
	for _, fn := range funcs {
		pkg := elfinfo.PackageOf(fn)
		if pkg != "net" && pkg != "os/user" {
			continue
		}
		rest := strings.TrimSuffix(strings.TrimPrefix(fn, pkg+"."), ".abi0")
		for _, pre := range []string{"_Cfunc_", "_C2func_"} {
			if c, ok := strings.CutPrefix(rest, pre); ok && slices.Contains(nssFuncs, c) {
				out = append(out, strings.TrimPrefix(c, "my"))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Judge judges a binary against every base of Bases. funcs are the
// names of its Go functions, nil when it has no readable function table
// (funcsErr then says why; nil for a binary that is not Go). For binaries
// that Linux containers cannot run (Mach-O, PE, other systems' ELF) it
// returns no verdicts and a note saying so.
func Judge(f *elfinfo.File, funcs []string, funcsErr error) (map[string]Readiness, string) {
	return JudgeEnv(f, funcs, funcsErr, nil)
}

// Env is the environment a container runs the binary with, as `docker
// run -e` and a Dockerfile's ENV set it: some needs hang on it (TZ names a
// zone that must then be found). nil is an environment that sets nothing
// the checks read.
type Env map[string]string

// JudgeEnv is Judge for a binary run with the environment env.
func JudgeEnv(f *elfinfo.File, funcs []string, funcsErr error, env Env) (map[string]Readiness, string) {
	if note := NotApplicable(f); note != "" {
		return nil, note
	}
	p := newProfile(f, funcs, funcsErr, env)
	out := make(map[string]Readiness, len(Bases))
	for _, b := range Bases {
		out[b.Key] = p.on(b)
	}
	return out, ""
}

// JudgeFile reads the function names of f, when the checks apply and it
// is a Go binary, and judges it, run with env, against every base.
func JudgeFile(f *elfinfo.File, env Env) (map[string]Readiness, string) {
	if NotApplicable(f) != "" {
		return Judge(f, nil, nil)
	}
	names, err := FuncNames(f)
	return JudgeEnv(f, names, err, env)
}

// FuncNames returns the names of the Go functions of f, inlined ones
// included (elfinfo.File.FuncNames). For a binary without a Go function
// table it returns nil and a nil error; for one whose table cannot be
// read, nil and the reason.
func FuncNames(f *elfinfo.File) ([]string, error) {
	names, err := f.FuncNames()
	if errors.Is(err, elfinfo.ErrNoPclntab) && f.Go == nil {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return names, nil
}

// ReadinessOn judges a binary run with env against one base, as
// JudgeEnv does for each of the table's.
func ReadinessOn(b Base, f *elfinfo.File, funcs []string, funcsErr error, env Env) Readiness {
	return newProfile(f, funcs, funcsErr, env).on(b)
}

// NotApplicable says why Linux container checks do not apply to
// f, or returns "".
func NotApplicable(f *elfinfo.File) string {
	switch {
	case !f.Format.Known():
		return fmt.Sprintf("Linux container checks do not apply to a %s file", f.Format)
	case f.Format != elfinfo.FormatELF:
		// Linux runs ELF binaries only.
		return fmt.Sprintf("Linux container checks do not apply: this is a %s binary for %s", f.Format.Name(), cmp.Or(f.OS, f.Format.DefaultOS()))
	case f.OS != "" && f.OS != "linux":
		return fmt.Sprintf("Linux container checks do not apply: this ELF binary is for %s", f.OS)
	case f.Type == "relocatable" || f.Type == "core file" || f.Type == "shared object":
		return fmt.Sprintf("Linux container checks apply to executables; this is a %s", f.Type)
	}
	return ""
}

// profile is what the checks need to know of a binary, computed once for
// all bases.
type profile struct {
	f        *elfinfo.File
	isGo     bool
	funcsErr error
	interp   string // "" for a binary without PT_INTERP
	libc     string // the libc its loader belongs to: glibc, musl, or "" (unknown path)
	glibcVer string // highest GLIBC_x.y required, "" when none
	glibcSym string // the symbol version that requires it
	needs    []need
	cgoPkgs  []string
	pieNoCgo bool // -buildmode=pie with CGO_ENABLED=0: dynamic only for the loader
	// multipart: mime/multipart's form reader is linked, a caller of
	// os.CreateTemp in every net/http server.
	multipart bool
	// userCgo: os/user looks users up through cgo (getpwuid_r), which
	// has no $USER/$HOME fallback.
	userCgo bool
	// staticGlibc is the glibc of a static executable that links it;
	// nssCalls, the C functions of it that go through NSS.
	staticGlibc *elfinfo.StaticGlibc
	nssCalls    []string
	env         Env
	names       map[string]bool // the function names, inlined ones included
}

// has reports whether the function table names fn.
func (p *profile) has(fn string) bool { return p.names[fn] }

func newProfile(f *elfinfo.File, funcs []string, funcsErr error, env Env) *profile {
	p := &profile{f: f, isGo: f.Go != nil || funcs != nil, funcsErr: funcsErr, env: env}
	if f.Interpreter != "" {
		p.interp = f.Interpreter
		p.libc = loaderLibc(f.Interpreter)
	}
	p.glibcVer, p.glibcSym = requiredGlibc(f.VersionNeeds)
	if funcs != nil {
		p.needs = runtimeNeeds(funcs)
		p.cgoPkgs = cgoPackages(funcs)
		p.names = make(map[string]bool, len(funcs))
		for _, fn := range funcs {
			p.names[fn] = true
		}
		p.multipart = p.has("mime/multipart.(*Reader).readForm")
		p.userCgo = slices.Contains(p.cgoPkgs, "os/user")
	}
	if g := f.StaticGlibc(); g != nil {
		p.staticGlibc = g
		p.nssCalls = nssCalls(funcs)
	}
	if g := f.Go; g != nil && g.BuildMode == "pie" && g.CGOEnabled != nil && !*g.CGOEnabled {
		p.pieNoCgo = true
	}
	return p
}

// glibcLoaders are the dynamic loader paths of glibc, one per
// architecture, as the Go linker and GCC write them into PT_INTERP and as
// glibc-based images install them.
// Source: glibc's sysdeps/unix/sysv/linux/*/ldconfig.h and shlib-versions;
// Go's cmd/link/internal/{amd64,arm64,…}/obj.go (Linuxdynld).
var glibcLoaders = map[string]bool{
	"/lib64/ld-linux-x86-64.so.2":          true, // amd64
	"/lib/ld-linux.so.2":                   true, // 386
	"/lib/ld-linux-aarch64.so.1":           true, // arm64
	"/lib/ld-linux-armhf.so.3":             true, // arm, hard float
	"/lib/ld-linux.so.3":                   true, // arm, soft float
	"/lib64/ld64.so.2":                     true, // ppc64le
	"/lib64/ld64.so.1":                     true, // ppc64
	"/lib/ld64.so.1":                       true, // s390x
	"/lib/ld-linux-riscv64-lp64d.so.1":     true, // riscv64
	"/lib64/ld-linux-loongarch-lp64d.so.1": true, // loong64
	"/lib64/ld.so.1":                       true, // mips64, mips64le
	"/lib/ld.so.1":                         true, // mips, mipsle, ppc
}

var muslLoader = regexp.MustCompile(`^/lib/ld-musl-[a-z0-9_]+\.so\.1$`)

// loaderLibc says which C library a PT_INTERP path belongs to: "glibc",
// "musl", or "" for a path neither puts its loader at (a Nix store path, a
// custom toolchain's).
func loaderLibc(interp string) string {
	switch {
	case glibcLoaders[interp]:
		return "glibc"
	case muslLoader.MatchString(interp):
		return "musl"
	}
	return ""
}

var glibcVersion = regexp.MustCompile(`^GLIBC_([0-9]+)\.([0-9]+)(?:\.([0-9]+))?$`)

// requiredGlibc returns the highest glibc version the symbol versions
// need ("2.34") and the symbol version that asks for it ("GLIBC_2.34").
// GLIBC_ABI_DT_RELR, which binaries linked with packed relative
// relocations carry, counts as 2.36, the release that introduced it.
// It returns "" when no glibc version is required.
func requiredGlibc(needs []elfinfo.VersionNeed) (version, symbol string) {
	best := [3]int{-1}
	for _, n := range needs {
		for _, v := range n.Versions {
			var ver [3]int
			switch m := glibcVersion.FindStringSubmatch(v); {
			case m != nil:
				ver[0], _ = strconv.Atoi(m[1])
				ver[1], _ = strconv.Atoi(m[2])
				ver[2], _ = strconv.Atoi(m[3])
			case v == "GLIBC_ABI_DT_RELR":
				ver = [3]int{2, 36}
			default:
				continue
			}
			if slices.Compare(ver[:], best[:]) > 0 {
				best, symbol = ver, v
			}
		}
	}
	if best[0] < 0 {
		return "", ""
	}
	return fmt.Sprintf("%d.%d", best[0], best[1]), symbol
}

// CompareVersions compares dotted versions numerically: "2.31" < "2.34".
func CompareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}

func (p *profile) on(b Base) Readiness {
	r := Readiness{Image: b.Image, Reasons: []Reason{}}
	r.Reasons = append(r.Reasons, p.loaderReasons(b)...)
	if reason, ok := p.nssReason(b); ok {
		r.Reasons = append(r.Reasons, reason)
	}
	for _, n := range p.needs {
		if reason, ok := p.needReason(b, n); ok {
			r.Reasons = append(r.Reasons, reason)
		}
	}
	if !p.isGo {
		// Only the function table tells what a program reads at run time.
		r.Reasons = append(r.Reasons, Reason{Check: CheckGo, Level: LevelNote,
			Finding: "not a Go binary: the files it needs at run time (CA certificates, zoneinfo, /etc/passwd) are not checked", Fix: ""})
	} else if p.isGo && p.needs == nil {
		// A Go binary whose table cannot be read may need any of the
		// files: its verdict is unknown, never ready, and the reason a
		// warning, so that it is seen.
		why := "no Go function table"
		if p.funcsErr != nil {
			why = fmt.Sprintf("cannot read the Go function table (%v)", p.funcsErr)
		}
		r.Reasons = append(r.Reasons, Reason{Check: CheckGo, Level: LevelWarning,
			Finding: why + ": the files it needs at run time cannot be told, so readiness is unknown",
			Fix:     "check the file is the binary as the Go linker wrote it (a truncated or rewritten copy loses its function table); until binscope can read the table, the verdict stays unknown"})
	}
	r.Verdict = verdictOf(r.Reasons)
	return r
}

// verdictOf is the worst verdict the reasons make: an error will not
// start, a warning about a file needs files, a warning that the Go
// function table cannot be read is unknown.
func verdictOf(reasons []Reason) Verdict {
	v := VerdictReady
	for _, x := range reasons {
		switch {
		case x.Level == LevelError:
			return VerdictWillNotStart
		case x.Level == LevelWarning && x.Check == CheckGo:
			if v == VerdictReady {
				v = VerdictUnknown
			}
		case x.Level == LevelWarning:
			v = VerdictNeedsFiles
		}
	}
	return v
}

// dynamicDesc describes how the binary is linked: "dynamically linked
// (interpreter /lib64/ld-linux-x86-64.so.2, needs libc.so.6)".
func (p *profile) dynamicDesc() string {
	parts := []string{"interpreter " + p.interp}
	if len(p.f.Needed) > 0 {
		parts = append(parts, "needs "+strings.Join(p.f.Needed, ", "))
	}
	return "dynamically linked (" + strings.Join(parts, ", ") + ")"
}

func (p *profile) loaderReasons(b Base) []Reason {
	if p.interp == "" {
		// Static and static-pie binaries carry their own startup code.
		return nil
	}
	const enoent = `exec fails with "no such file or directory"`
	switch {
	case b.Libc == "":
		return []Reason{{Check: CheckLoader, Level: LevelError,
			Finding: fmt.Sprintf("%s: %s has no dynamic loader and no C library, so %s", p.dynamicDesc(), b.Image, enoent),
			Fix:     p.loaderFix(b)}}
	case p.libc == "":
		return []Reason{{Check: CheckLoader, Level: LevelError,
			Finding: fmt.Sprintf("%s: no common base has a loader at %s, so %s", p.dynamicDesc(), p.interp, enoent),
			Fix:     "link with the system's toolchain (the interpreter must be glibc's or musl's standard path), or link statically: " + p.loaderFix(b)}}
	case p.libc != b.Libc:
		return []Reason{{Check: CheckLoader, Level: LevelError,
			Finding: fmt.Sprintf("%s, built against %s: %s has %s's loader, not %s's, so %s", p.dynamicDesc(), p.libc, b.Image, b.Libc, p.libc, enoent),
			Fix:     p.loaderFix(b)}}
	}
	var out []Reason
	for _, lib := range p.f.Needed {
		if slices.Contains(b.Libraries, lib) || b.Libc == "musl" && muslProvides.MatchString(lib) {
			continue
		}
		if b.LibrariesComplete {
			out = append(out, Reason{Check: CheckLibrary, Level: LevelError,
				Finding: fmt.Sprintf("needs %s, which %s does not ship: the loader stops with \"cannot open shared object file\"", lib, b.Image),
				Fix:     fmt.Sprintf("copy %s (and what it needs) into the image, link it statically, or pick a base that ships it", lib)})
			continue
		}
		out = append(out, Reason{Check: CheckLibrary, Level: LevelWarning,
			Finding: fmt.Sprintf("needs %s, which binscope's table does not list for %s: unless the image installs it, the loader stops with \"cannot open shared object file\"", lib, b.Image),
			Fix:     fmt.Sprintf("install the package that provides %s (%s), or link it statically", lib, RunInstall(b, "…"))})
	}
	if b.Libc == "glibc" && p.glibcVer != "" && CompareVersions(p.glibcVer, b.Glibc) > 0 {
		var newer []string
		for _, o := range Bases {
			if o.Libc == "glibc" && CompareVersions(o.Glibc, p.glibcVer) >= 0 {
				newer = append(newer, fmt.Sprintf("%s (%s)", o.Key, o.Glibc))
			}
		}
		fix := fmt.Sprintf("build against glibc %s or older", b.Glibc)
		if p.isGo {
			fix = fmt.Sprintf("build against glibc %s or older (for example in golang:*-%s), build with CGO_ENABLED=0", b.Glibc, debianCodename(b))
		}
		if len(newer) > 0 {
			fix += ", or use a base with glibc " + p.glibcVer + " or newer: " + strings.Join(newer, ", ")
		}
		out = append(out, Reason{Check: CheckGlibc, Level: LevelError,
			Finding: fmt.Sprintf("requires %s (its highest glibc symbol version), but %s has glibc %s: the loader stops with \"version `%s' not found\"", p.glibcSym, b.Image, b.Glibc, p.glibcSym),
			Fix:     fix})
	}
	return out
}

// debianCodename names the Debian release whose glibc a base matches, for
// the golang image tags (golang:1.26-bookworm).
func debianCodename(b Base) string {
	switch {
	case CompareVersions(b.Glibc, "2.36") >= 0:
		return "bookworm"
	case CompareVersions(b.Glibc, "2.31") >= 0:
		return "bullseye"
	}
	return "buster"
}

// loaderFix says how to make a dynamically linked binary start on b.
func (p *profile) loaderFix(b Base) string {
	alt := "or use a base with glibc: distroless-base or debian-12"
	if p.libc == "musl" {
		alt = "or use a base with musl: alpine"
	}
	switch {
	case p.pieNoCgo:
		return "drop -buildmode=pie (with CGO_ENABLED=0 it still asks for the dynamic loader), " + alt
	case !p.isGo:
		return "link statically, " + alt
	}
	onlyStd := len(p.cgoPkgs) > 0
	for _, pkg := range p.cgoPkgs {
		if pkg != "net" && pkg != "os/user" && pkg != "runtime/cgo" {
			onlyStd = false
		}
	}
	if onlyStd || len(p.cgoPkgs) == 0 {
		return "build with CGO_ENABLED=0, or with -tags netgo,osusergo (only net and os/user use cgo here), " + alt
	}
	return fmt.Sprintf("packages %s call C: link statically (-ldflags '-linkmode external -extldflags -static'), %s", strings.Join(p.cgoPkgs, ", "), alt)
}

// nssReason judges a static executable with glibc that calls NSS
// functions. glibc before 2.34 serves even "files" and "dns" from modules
// (libnss_files.so.2, libnss_dns.so.2) that a static binary loads from the
// image at run time, and they work only with the glibc it was linked
// with: elsewhere the lookups fail ("user: lookup userid 0: invalid
// argument") or crash in getpwuid_r or getaddrinfo. From 2.34 both are
// built into libc. glibc says so when linking: "Using 'getaddrinfo' in
// statically linked applications requires at runtime the shared libraries
// from the glibc version used for linking".
func (p *profile) nssReason(b Base) (Reason, bool) {
	g := p.staticGlibc
	if g == nil || len(p.nssCalls) == 0 {
		return Reason{}, false
	}
	calls := strings.Join(p.nssCalls, ", ")
	linked := "statically linked with glibc " + g.Version + " (" + g.Evidence + ")"
	if g.Version == "" {
		linked = "statically linked with glibc, of a release binscope cannot tell,"
	}
	builtin := g.Version != "" && CompareVersions(g.Version, "2.34") >= 0
	// From 2.34 files and dns are built in; any other passwd source is a
	// module, distroless's compat among them.
	moduleSource := p.userCgo && b.NSSPasswd != "" && b.NSSPasswd != "files"
	fix := "build with -tags netgo,osusergo (Go's own resolver and user lookup, no NSS)"
	if !builtin {
		fix += ", or link against glibc 2.34 or newer (files and dns built in)"
	} else {
		fix += ", or write an nsswitch.conf with passwd: files and group: files into the image"
	}
	if b.Libc == "glibc" && g.Version != "" && CompareVersions(g.Version, b.Glibc) == 0 {
		// The image's modules are its own glibc's and load; but a
		// static binary's dlopen does not support threads, and Go makes
		// cgo calls from any of its threads: seen by the harness as a
		// SIGSEGV in about one run in ten.
		if builtin && !moduleSource || !builtin && !p.userCgo && !p.has("net.LookupPort") {
			return Reason{}, false
		}
		return Reason{Check: CheckNSS, Level: LevelNote,
			Finding: fmt.Sprintf("%s and calls %s: %s has the same glibc, so the NSS modules it loads from the image work, but a lookup made from a thread other than the first can crash (glibc's dlopen from a static binary does not support threads, and Go makes cgo calls from any thread)",
				linked, calls, b.Image),
			Fix: fix}, true
	}
	has := "has no glibc"
	if b.Libc == "glibc" {
		has = "has glibc " + b.Glibc
	}
	var same []string
	for _, o := range Bases {
		if o.Libc == "glibc" && g.Version != "" && CompareVersions(o.Glibc, g.Version) == 0 {
			same = append(same, o.Key)
		}
	}
	if len(same) > 0 {
		fix += ", or use a base with glibc " + g.Version + ": " + strings.Join(same, ", ")
	}
	if builtin {
		if !moduleSource {
			return Reason{}, false
		}
		return Reason{Check: CheckNSS, Level: LevelWarning,
			Finding: fmt.Sprintf("%s and calls %s: glibc has the files and dns sources built in, but %s's nsswitch.conf looks users up with %s, a module (libnss_%s.so.2) that a static binary loads from the image and that must come from glibc %s; %s %s, so user lookups fail",
				linked, calls, b.Image, b.NSSPasswd, b.NSSPasswd, g.Version, b.Image, has),
			Fix: fix}, true
	}
	// os/user's cgo lookups always go through NSS. Port names do too
	// (net's lookupPort prefers cgo), but where the image has no glibc
	// the module fails to load, the lookup errs and net falls back to
	// its own reading of /etc/services; a glibc of another release
	// loads, and crashes. Host names go through NSS only when net picks
	// its cgo resolver, so those alone are a note.
	level, when := LevelNote, " when net picks its cgo resolver (GODEBUG=netdns=cgo, or an nsswitch.conf naming other sources)"
	if p.userCgo || p.has("net.LookupPort") && b.Libc == "glibc" {
		level, when = LevelWarning, ""
	}
	return Reason{Check: CheckNSS, Level: level,
		Finding: fmt.Sprintf("%s and calls %s: glibc before 2.34 loads its NSS modules (libnss_files.so.2, libnss_dns.so.2) from the image, and they must come from the glibc it was linked with; %s %s, so these lookups fail or crash%s",
			linked, calls, b.Image, has, when),
		Fix: fix}, true
}

// utcNames are the zones that are UTC by another name: with no zoneinfo
// Local falls back to UTC, which is the same clock.
var utcNames = []string{"UTC", "UCT", "Universal", "Zulu", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu",
	"GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "Etc/Greenwich"}

// tzZone returns the zone name that env's TZ asks time.Local to load
// from the zoneinfo folders, or "" when it asks for none: TZ unset or
// empty, UTC by any name, or a file path (initLocal opens a path itself,
// never looking in the zoneinfo folders).
func (p *profile) tzZone() string {
	tz := strings.TrimPrefix(p.env["TZ"], ":")
	if tz == "" || strings.HasPrefix(tz, "/") || slices.Contains(utcNames, tz) {
		return ""
	}
	return tz
}

func (p *profile) needReason(b Base, n need) (Reason, bool) {
	// The first function is evidence enough; need keeps them all.
	ev := n.Evidence[0]
	switch n.Check {
	case CheckCACerts:
		if b.CACerts {
			return Reason{}, false
		}
		fix := "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"
		if b.Install != "" {
			fix = RunInstall(b, b.CAPackage)
		}
		return Reason{Check: n.Check, Level: LevelWarning,
			Finding: fmt.Sprintf("links crypto/x509's system root loading (%s): HTTPS clients will fail without CA certificates, and %s has none", ev, b.Image),
			Fix:     fix + `, or import _ "golang.org/x/crypto/x509roots/fallback" to embed a root bundle`}, true
	case CheckZoneinfo:
		if b.Zoneinfo {
			return Reason{}, false
		}
		fix := `import _ "time/tzdata" or build with -tags timetzdata (embeds the database, about 450K)`
		if b.Install != "" {
			fix += ", or " + RunInstall(b, b.TZPackage)
		} else {
			fix += ", or COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo"
		}
		zone := p.tzZone()
		if ev != "time.LoadLocation" {
			// Only time.Local reads zoneinfo: through $TZ.
			if zone == "" {
				return Reason{Check: n.Check, Level: LevelNote,
					Finding: fmt.Sprintf("time.Local reads $TZ (%s): if the container sets TZ to a zone, Local silently stays UTC, since %s has no /usr/share/zoneinfo", ev, b.Image),
					Fix:     fix}, true
			}
			return Reason{Check: n.Check, Level: LevelWarning,
				Finding: fmt.Sprintf("TZ is %s and time.Local loads it (%s), but %s has no /usr/share/zoneinfo: Local silently stays UTC", p.env["TZ"], ev, b.Image),
				Fix:     fix}, true
		}
		finding := fmt.Sprintf("links %s: loading any zone but UTC and Local fails without zoneinfo, and %s has no /usr/share/zoneinfo", ev, b.Image)
		if zone != "" {
			finding += fmt.Sprintf("; TZ is %s, so time.Local silently stays UTC as well", p.env["TZ"])
		}
		return Reason{Check: n.Check, Level: LevelWarning, Finding: finding, Fix: fix}, true
	case CheckPasswd:
		if b.Passwd {
			return Reason{}, false
		}
		if p.userCgo {
			// cgo's os/user asks getpwuid_r, which fails with "unknown
			// userid" and has no fallback (os/user/cgo_lookup_unix.go).
			return Reason{Check: n.Check, Level: LevelWarning,
				Finding: fmt.Sprintf("links %s, which looks users up through cgo (getpwuid_r): %s has no /etc/passwd or /etc/group, so user and group lookups fail, whatever USER and HOME say", ev, b.Image),
				Fix:     "COPY --from=build /etc/passwd /etc/group /etc/ (or a two-line passwd naming the user the image runs as), or build with -tags osusergo"}, true
		}
		return Reason{Check: n.Check, Level: LevelWarning,
			Finding: fmt.Sprintf("links %s: %s has no /etc/passwd or /etc/group, so user and group lookups fail (user.Current falls back to $USER and $HOME only when both are set)", ev, b.Image),
			Fix:     "COPY --from=build /etc/passwd /etc/group /etc/ (or a two-line passwd naming the user the image runs as); for user.Current alone, setting USER and HOME also works"}, true
	case CheckTmp:
		if b.Tmp {
			return Reason{}, false
		}
		return Reason{Check: n.Check, Level: LevelWarning,
			Finding: fmt.Sprintf("links %s: %s has no /tmp, so creating temporary files fails%s", ev, b.Image, p.tmpCaller()),
			Fix:     "COPY --from=build --chmod=1777 /tmp /tmp, or set TMPDIR to a writable volume"}, true
	case CheckServices:
		if b.Services {
			return Reason{}, false
		}
		fix := "COPY --from=build /etc/services /etc/services"
		if b.Install != "" {
			fix = RunInstall(b, "netbase")
		}
		fix += `, or give ports as numbers`
		if ev != "net.LookupPort" {
			return Reason{Check: n.Check, Level: LevelNote,
				Finding: fmt.Sprintf("parses \"host:port\" addresses (%s): a port given by name (\"db:postgresql\") is looked up in /etc/services, which %s lacks; numeric ports and the few names net knows by heart (http, https, ssh, smtp…) need nothing", ev, b.Image),
				Fix:     fix}, true
		}
		return Reason{Check: n.Check, Level: LevelWarning,
			Finding: fmt.Sprintf("links %s: looking up a service name (\"postgresql\") reads /etc/services, which %s lacks, so it fails with \"unknown port\" (net knows a few by heart: tcp's ftp, ftps, gopher, http, https, imap2, imap3, imaps, pop3, pop3s, smtp, submissions, ssh and telnet, and udp's domain)", ev, b.Image),
			Fix:     fix}, true
	case CheckResolver:
		if b.Key != "scratch" {
			return Reason{}, false
		}
		path := "net's pure-Go resolver"
		if slices.Contains(n.Evidence, "net.cgoLookupHost") || slices.Contains(n.Evidence, "net._C2func_getaddrinfo") {
			path = "the cgo getaddrinfo path"
		}
		return Reason{Check: n.Check, Level: LevelNote,
			Finding: fmt.Sprintf("looks up host names (%s, %s): it reads /etc/resolv.conf and /etc/hosts, which container runtimes inject into every container, so nothing is missing", path, ev),
			Fix:     ""}, true
	}
	return Reason{}, false
}

// tmpCaller names the standard library caller of os.CreateTemp that a
// program links without calling it itself, so that the finding is honest
// about why it is there.
func (p *profile) tmpCaller() string {
	if p.multipart {
		return " (net/http links it through mime/multipart, which spools large uploads to temporary files)"
	}
	return ""
}

func RunInstall(b Base, pkg string) string {
	if b.Install == "" {
		return "copy it from the build stage"
	}
	return "RUN " + fmt.Sprintf(b.Install, pkg)
}
