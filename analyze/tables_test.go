package analyze_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/sizetest"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/google/go-cmp/cmp"
)

// Position-independent builds of testdata/pomo, whose loader tables
// (.rela, .dynsym…) were "unattributed" before they had rows of their own.
var (
	pomoPIE    = testbuild.Variant{Name: "pomo-c0-pie", Env: []string{"CGO_ENABLED=0"}, Flags: []string{"-buildmode=pie"}}
	pomoPIECgo = testbuild.Variant{Name: "pomo-c1-pie", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie"}}
	pomoPIEExt = testbuild.Variant{Name: "pomo-c1-pie-ext", Env: []string{"CGO_ENABLED=1"}, Flags: []string{"-buildmode=pie", "-ldflags=-linkmode=external"}}
)

// TestSizeLinkerTables: the loader's and the unwinder's tables get rows of
// their own, so that what stays unattributed is what binscope does not
// know: in every build, under 0.1% of the file. The relocations row is
// exactly the relocation sections (in ELF as readelf lists them), since
// nothing else claims their bytes; a table row never exceeds its
// sections.
func TestSizeLinkerTables(t *testing.T) {
	for _, tc := range []struct {
		v         testbuild.Variant
		wantRows  []string // linker table rows the build must have
		relocType string   // readelf's section types counted as relocations, "" outside ELF
	}{
		{pomoPIE, []string{analyze.RowDynamicLinking, analyze.RowRelocations}, "RELA"},
		{pomoPIECgo, []string{analyze.RowDynamicLinking, analyze.RowRelocations}, "RELA"},
		{pomoPIEExt, []string{analyze.RowDynamicLinking, analyze.RowRelocations, analyze.RowUnwindTables}, "RELA"},
		{sizetest.PomoStatic, nil, "RELA"},
		{sizetest.PomoWindows, []string{analyze.RowDynamicLinking, analyze.RowRelocations, analyze.RowUnwindTables}, ""},
		{sizetest.PomoDarwin, []string{analyze.RowDynamicLinking}, ""},
	} {
		t.Run(tc.v.Name, func(t *testing.T) {
			path := sizetest.Build(t, tc.v)
			r, f := sizetest.SizeOf(t, path, analyze.SizeOptions{})
			checkInvariants(t, r)
			rows := sizetest.Rows(r)
			if max := r.Size / 1000; r.Unattributed > max {
				t.Errorf("unattributed %d bytes, want at most 0.1%% of %d", r.Unattributed, r.Size)
			}
			for _, name := range tc.wantRows {
				if rows[name].Size == 0 {
					t.Errorf("no %q row", name)
				}
			}
			perTable := map[elfinfo.Table]int64{}
			for _, s := range f.Sections {
				perTable[s.Table] += s.FileSize
			}
			for _, tab := range elfinfo.Tables {
				if got := rows[string(tab)].Size; got > perTable[tab] {
					t.Errorf("row %q has %d bytes, its sections %d", tab, got, perTable[tab])
				}
			}
			if got, want := rows[analyze.RowRelocations].Size, perTable[elfinfo.TableRelocations]; got != want {
				t.Errorf("relocations row %d bytes, relocation sections %d", got, want)
			}
			if tc.relocType != "" {
				if want, ok := readelfRelocations(t, path); ok {
					if diff := cmp.Diff(want, rows[analyze.RowRelocations].Size); diff != "" {
						t.Errorf("relocations row against readelf -SW (-readelf +binscope):\n%s", diff)
					}
				}
			}
		})
	}
}

// readelfRelocations sums the sizes of the loaded REL, RELA and RELR
// sections readelf -SW lists, the PLT's own (.rela.plt) aside.
func readelfRelocations(t *testing.T, path string) (int64, bool) {
	t.Helper()
	out, err := exec.Command("readelf", "-SW", path).Output()
	if err != nil {
		t.Logf("no readelf to cross-check with: %v", err)
		return 0, false
	}
	var sum int64
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		i := strings.Index(line, "]")
		if !strings.HasPrefix(strings.TrimSpace(line), "[") || i < 0 {
			continue
		}
		// Name Type Address Off Size ES Flg Lk Inf Al
		fields := strings.Fields(line[i+1:])
		if len(fields) < 7 || strings.HasSuffix(fields[0], ".plt") {
			continue
		}
		switch fields[1] {
		case "REL", "RELA", "RELR":
		default:
			continue
		}
		if !strings.Contains(fields[6], "A") {
			continue
		}
		n, err := strconv.ParseInt(fields[4], 16, 64)
		if err != nil {
			t.Fatalf("readelf size %q: %v", fields[4], err)
		}
		sum += n
	}
	return sum, true
}
