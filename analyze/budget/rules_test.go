package budget

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSpecs keeps the rule table whole: every kind evaluates, keys and
// flags are unique, and the rules a kind relates to are in the table.
func TestSpecs(t *testing.T) {
	keys, flags := map[string]bool{}, map[string]bool{}
	once := func(seen map[string]bool, what, name string) {
		if name == "" {
			return
		}
		if seen[name] {
			t.Errorf("%s %q appears twice in the rule table", what, name)
		}
		seen[name] = true
	}
	for _, s := range Specs() {
		if s.eval == nil {
			t.Errorf("%s: no evaluation", s.Kind)
		}
		if s.Flag == "" || s.FlagHelp == "" {
			t.Errorf("%s: no flag or no help", s.Kind)
		}
		if (s.Value == GrowthValue) != (s.BytesKey != "" && s.BytesFlag != "" && s.BytesHelp != "") {
			t.Errorf("%s: a growth rule, and only a growth rule, has a size half", s.Kind)
		}
		once(keys, "key", string(s.Kind))
		once(keys, "key", s.BytesKey)
		once(flags, "flag", s.Flag)
		once(flags, "flag", s.BytesFlag)
		once(flags, "flag", s.Shorthand)
		for _, k := range []Kind{s.Against, s.Below} {
			if _, ok := Lookup(k); k != "" && !ok {
				t.Errorf("%s relates to %s, which is no rule kind", s.Kind, k)
			}
		}
		if got, _, ok := LookupKey(string(s.Kind)); !ok || got.Kind != s.Kind {
			t.Errorf("LookupKey(%q) = %v, %v", s.Kind, got.Kind, ok)
		}
	}
	want := []string{"max_size", "warn_size", "max_headroom", "linkage", "stripped", "debug_info", "max_growth", "max_growth_bytes", "warn_growth", "warn_growth_bytes"}
	if diff := cmp.Diff(want, Keys()); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	if got, want := KindsText(), "max_size, warn_size, max_headroom, linkage, stripped, debug_info, max_growth or warn_growth"; got != want {
		t.Errorf("KindsText = %q, want %q", got, want)
	}
	if s, bytes, ok := LookupKey("warn_growth_bytes"); !ok || !bytes || s.Kind != WarnGrowth {
		t.Errorf("LookupKey(warn_growth_bytes) = %s, %v, %v", s.Kind, bytes, ok)
	}
	if _, _, ok := LookupKey("max_sise"); ok {
		t.Error("LookupKey(max_sise) found a rule")
	}
}
