package elfinfo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFormatTable: every format of the table is complete and distinct,
// and the answers callers branch on come from it.
func TestFormatTable(t *testing.T) {
	seen := map[Format]bool{}
	for _, s := range formats {
		if s.format == "" || s.name == "" || s.match == nil || s.open == nil || seen[s.format] {
			t.Errorf("format table entry %+v is incomplete or repeated", *s)
		}
		seen[s.format] = true
	}
	type answers struct {
		Name      string
		Known     bool
		Static    bool
		DefaultOS string
	}
	tests := []struct {
		f    Format
		want answers
	}{
		{FormatELF, answers{"ELF", true, true, ""}},
		{FormatMachO, answers{"Mach-O", true, false, "darwin"}},
		{FormatPE, answers{"PE", true, false, "windows"}},
		{FormatWasm, answers{"WebAssembly", true, false, ""}},
		{"coff", answers{"coff", false, false, ""}},
	}
	for _, tc := range tests {
		got := answers{tc.f.Name(), tc.f.Known(), tc.f.CanLinkStatically(), tc.f.DefaultOS()}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.f, diff)
		}
	}
	if got, want := ErrUnrecognizedFormat.Error(), "unrecognized format (not ELF, Mach-O, PE or WebAssembly)"; got != want {
		t.Errorf("ErrUnrecognizedFormat = %q, want %q", got, want)
	}
}

// TestHandMadeFile: a File no opener made answers every reader question
// with nothing rather than a panic.
func TestHandMadeFile(t *testing.T) {
	f := &File{Format: FormatMachO}
	if syms, err := f.Symbols(); syms != nil || err != nil {
		t.Errorf("Symbols = %v, %v", syms, err)
	}
	if e := f.SymbolTableExtents(); e != nil {
		t.Errorf("SymbolTableExtents = %v", e)
	}
	if name, ok := f.CSymbol("_malloc"); name != "_malloc" || ok {
		t.Errorf("CSymbol = %q, %v", name, ok)
	}
	if _, err := f.Pclntab(); err != ErrNoPclntab {
		t.Errorf("Pclntab error = %v, want ErrNoPclntab", err)
	}
}
