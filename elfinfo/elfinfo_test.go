package elfinfo_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { testbuild.Main(m) }

// variants are the builds of testdata/pomo that inspect must judge as
// file(1) does. want holds what binscope must say whether or not file(1)
// is installed; the file comparison comes on top.
var variants = []struct {
	v    testbuild.Variant
	want verdict
}{
	{testbuild.Variant{Name: "cgo1", Env: []string{"CGO_ENABLED=1"}},
		verdict{"elf", "executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", false, true}},
	{testbuild.Variant{Name: "cgo1-sw", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-ldflags=-s -w"}},
		verdict{"elf", "executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", true, false}},
	{testbuild.Variant{Name: "cgo0", Env: []string{"CGO_ENABLED=0"}},
		verdict{"elf", "executable", "static", "", false, true}},
	{testbuild.Variant{Name: "cgo0-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w"}},
		verdict{"elf", "executable", "static", "", true, false}},
	{testbuild.Variant{Name: "cgo0-containers-sw", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-s -w", "-tags=containers"}},
		verdict{"elf", "executable", "static", "", true, false}},
	// -w drops DWARF but keeps the symbol table: not stripped, no debug_info.
	{testbuild.Variant{Name: "w-only", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-ldflags=-w"}},
		verdict{"elf", "executable", "static", "", false, false}},
	{testbuild.Variant{Name: "pie-cgo1", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie"}},
		verdict{"elf", "pie executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", false, true}},
	// ldd calls this one static; it is not: it has PT_INTERP and PT_DYNAMIC.
	{testbuild.Variant{Name: "pie-cgo0", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildmode=pie"}},
		verdict{"elf", "pie executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", false, true}},
	{testbuild.Variant{Name: "ext-static", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-ldflags=-linkmode external -extldflags -static"}},
		verdict{"elf", "executable", "static", "", false, true}},
	{testbuild.Variant{Name: "ext-static-pie", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie", "-ldflags=-linkmode external -extldflags -static-pie"}},
		verdict{"elf", "pie executable", "static-pie", "", false, true}},
	// With both tags nothing needs cgo, so the Go linker links statically
	// even with CGO_ENABLED=1.
	{testbuild.Variant{Name: "netgo-osusergo", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-tags=netgo,osusergo"}},
		verdict{"elf", "executable", "static", "", false, true}},
	{testbuild.Variant{Name: "arm64", Env: []string{"CGO_ENABLED=0", "GOARCH=arm64"}},
		verdict{"elf", "executable", "static", "", false, true}},
	// file prints ARM's and MIPS's e_flags words with no comma before
	// "version 1", and "FreeBSD-style" for FreeBSD's notes.
	{testbuild.Variant{Name: "arm", Env: []string{"CGO_ENABLED=0", "GOARCH=arm", "GOARM=7"}},
		verdict{"elf", "executable", "static", "", false, true}},
	{testbuild.Variant{Name: "mips", Env: []string{"CGO_ENABLED=0", "GOARCH=mips"}},
		verdict{"elf", "executable", "static", "", false, true}},
	{testbuild.Variant{Name: "freebsd", Env: []string{"CGO_ENABLED=0", "GOOS=freebsd", "GOARCH=amd64"}},
		verdict{"elf", "executable", "static", "", false, true}},
	{testbuild.Variant{Name: "gnu-strip", Env: []string{"CGO_ENABLED=1"}, GNUStrip: true},
		verdict{"elf", "executable", "dynamic", "/lib64/ld-linux-x86-64.so.2", true, false}},
	{testbuild.Variant{Name: "windows.exe", Env: []string{"GOOS=windows", "GOARCH=amd64"}},
		verdict{"pe", "executable", "dynamic", "", false, true}},
	{testbuild.Variant{Name: "windows-sw.exe", Env: []string{"GOOS=windows", "GOARCH=amd64"}, Flags: []string{"-ldflags=-s -w"}},
		verdict{"pe", "executable", "dynamic", "", true, false}},
	{testbuild.Variant{Name: "darwin", Env: []string{"GOOS=darwin", "GOARCH=arm64"}},
		verdict{"macho", "executable", "dynamic", "/usr/lib/dyld", false, true}},
	{testbuild.Variant{Name: "darwin-sw", Env: []string{"GOOS=darwin", "GOARCH=arm64"}, Flags: []string{"-ldflags=-s -w"}},
		verdict{"macho", "executable", "dynamic", "/usr/lib/dyld", true, false}},
}

// verdict is what inspect and file(1) both say about a binary.
type verdict struct {
	Format      string
	Type        string
	Linkage     string
	Interpreter string
	Stripped    bool
	DebugInfo   bool
}

func TestVariantsJudgedAsFileDoes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 20 variants of testdata/pomo")
	}
	fileCmd, _ := exec.LookPath("file")
	dir := testbuild.Pomo(t)
	for _, tc := range variants {
		t.Run(tc.v.Name, func(t *testing.T) {
			if strings.Contains(tc.v.Name, "static-pie") && !canStaticPIE(t) {
				t.Skip("the C toolchain here cannot link -static-pie (no rcrt1.o)")
			}
			path := testbuild.Build(t, dir, tc.v)
			f, err := elfinfo.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got := verdict{string(f.Format), f.Type, f.Linkage, f.Interpreter, f.Stripped, f.DebugInfo}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("inspect verdict (-want +got):\n%s", diff)
			}
			checkInvariants(t, f)
			if fileCmd == "" {
				t.Log("file(1) is not installed; compared with the expected verdict only")
				return
			}
			out, err := exec.Command(fileCmd, "-b", path).Output()
			if err != nil {
				t.Fatalf("file -b %s: %v", path, err)
			}
			line := strings.TrimSpace(string(out))
			if f.Format == elfinfo.FormatELF {
				if diff := cmp.Diff(fileVerdict(t, line), got); diff != "" {
					t.Errorf("binscope and file(1) disagree (-file +binscope):\n%s\nfile: %s", diff, line)
				}
			}
			// file 5.44 is the reference; other versions word some lines
			// differently, so the whole-line comparison is for it alone.
			if isFile544(fileCmd) && line != f.Summary {
				t.Errorf("summary differs from file -b\nfile:     %s\nbinscope: %s", line, f.Summary)
			}
		})
	}
}

// checkInvariants holds for every binary, whatever its variant.
func checkInvariants(t *testing.T, f *elfinfo.File) {
	t.Helper()
	var sum int64
	for _, s := range f.Sections {
		if s.FileSize > 0 && s.Offset+s.FileSize > f.Size {
			t.Errorf("section %s ends at %d, past the file's %d bytes", s.Name, s.Offset+s.FileSize, f.Size)
		}
		if s.Kind == elfinfo.KindBSS && s.FileSize != 0 {
			t.Errorf("bss section %s has %d file bytes", s.Name, s.FileSize)
		}
		// The type and itab links are Go metadata under every name the
		// linker gives them (.data.rel.ro.typelink in a PIE).
		if strings.HasSuffix(s.Name, "typelink") || strings.HasSuffix(s.Name, "itablink") {
			if s.Kind != elfinfo.KindGoMetadata {
				t.Errorf("section %s is %s, want %s", s.Name, s.Kind, elfinfo.KindGoMetadata)
			}
		}
		sum += s.FileSize
	}
	if sum > f.Size {
		t.Errorf("sections hold %d bytes, more than the file's %d", sum, f.Size)
	}
	if f.Stripped {
		// Go's PE linker keeps a .symtab section even with -s, holding
		// only an empty string table; ELF must have none.
		for _, s := range f.Sections {
			if s.Name == ".symtab" && f.Format == elfinfo.FormatELF || s.Kind == elfinfo.KindDebug && s.FileSize > 0 {
				t.Errorf("stripped binary still has %s", s.Name)
			}
		}
	}
	if !f.Stripped && f.SymtabBytes == 0 {
		t.Errorf("not stripped, yet no symbol table bytes")
	}
	if f.Go == nil {
		t.Errorf("no Go build info: %v", f.GoError)
	} else if f.Go.Path != "example.com/pomo" {
		t.Errorf("Go path = %q, want example.com/pomo", f.Go.Path)
	}
	if f.GoBuildID == "" {
		t.Error("no Go build ID")
	}
	funcs, err := f.Funcs()
	if err != nil {
		t.Fatalf("Funcs: %v", err)
	}
	if !hasFunc(funcs, "main.main") {
		t.Errorf("the pclntab of %s has no main.main among %d functions", f.Path, len(funcs))
	}
}

func hasFunc(funcs []elfinfo.Func, name string) bool {
	for _, fn := range funcs {
		if fn.Name == name {
			return true
		}
	}
	return false
}

var (
	fileType     = regexp.MustCompile(`^ELF \d\d-bit [LM]SB ([a-z ]+),`)
	fileLinkage  = regexp.MustCompile(`, (statically|dynamically|static-pie) linked`)
	fileInterp   = regexp.MustCompile(`, interpreter ([^,]+)`)
	fileLinkages = map[string]string{"statically": "static", "dynamically": "dynamic", "static-pie": "static-pie"}
)

// fileVerdict reads type, linkage, interpreter, stripped and debug_info
// out of file -b's line for an ELF file.
func fileVerdict(t *testing.T, line string) verdict {
	t.Helper()
	v := verdict{Format: "elf"}
	m := fileType.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("file(1) line has no ELF type: %s", line)
	}
	v.Type = m[1]
	if m := fileLinkage.FindStringSubmatch(line); m != nil {
		v.Linkage = fileLinkages[m[1]]
	}
	if m := fileInterp.FindStringSubmatch(line); m != nil {
		v.Interpreter = m[1]
	}
	v.DebugInfo = strings.Contains(line, ", with debug_info")
	v.Stripped = strings.HasSuffix(line, ", stripped")
	return v
}

func isFile544(fileCmd string) bool {
	out, err := exec.Command(fileCmd, "--version").Output()
	return err == nil && strings.HasPrefix(string(out), "file-5.44")
}

// canStaticPIE reports whether gcc can link a static PIE here, which needs
// glibc's rcrt1.o.
func canStaticPIE(t *testing.T) bool {
	if !testbuild.HaveCC() {
		return false
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "x.c")
	if err := os.WriteFile(src, []byte("int main(void){return 0;}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return exec.Command("gcc", "-static-pie", "-o", filepath.Join(dir, "x"), src).Run() == nil
}
