package ldflags

import "testing"

func TestStrips(t *testing.T) {
	for _, tc := range []struct {
		flags          []string
		symbols, dwarf bool
	}{
		{nil, false, false},
		{[]string{"-s", "-w"}, true, true},
		{[]string{"-s"}, true, true}, // -s implies -w
		{[]string{"-w"}, false, true},
		{[]string{"-s", "-w=false"}, true, false},
		{[]string{"--s=true"}, true, true},
		{[]string{"-s", "-s=false"}, false, false},
		{[]string{"-X", "main.v=1"}, false, false},
		{[]string{"-extldflags", "-static"}, false, false},
	} {
		s, w := Strips(tc.flags)
		if s != tc.symbols || w != tc.dwarf {
			t.Errorf("Strips(%q) = %v, %v; want %v, %v", tc.flags, s, w, tc.symbols, tc.dwarf)
		}
		if got, want := Stripped(tc.flags), tc.symbols && tc.dwarf; got != want {
			t.Errorf("Stripped(%q) = %v, want %v", tc.flags, got, want)
		}
	}
}
