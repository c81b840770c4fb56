package units_test

import (
	"math"
	"strings"
	"testing"

	"github.com/binscope/binscope/internal/units"
)

// TestHumanSize checks HumanSize against what GNU ls -lh (coreutils 9.1)
// prints for sparse files of each size, made with truncate -s N.
func TestHumanSize(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {1, "1"}, {1023, "1023"},
		{1024, "1.0K"}, {1025, "1.1K"}, {1126, "1.1K"}, {1127, "1.2K"}, {1536, "1.5K"}, {4096, "4.0K"},
		{9216, "9.0K"}, {9217, "9.1K"}, {10137, "9.9K"}, {10138, "10K"},
		{10239, "10K"}, {10240, "10K"}, {10241, "11K"},
		{1047552, "1023K"}, {1047553, "1.0M"}, {1048064, "1.0M"},
		// A remainder dropped at the first division still rounds up.
		{1048575, "1.0M"}, {1048576, "1.0M"}, {1048577, "1.1M"},
		{1153433, "1.1M"}, {1153434, "1.2M"},
		{8110345, "7.8M"}, {10485759, "10M"}, {10485760, "10M"}, {10485761, "11M"},
		{12163687, "12M"}, {104857600, "100M"}, {104857601, "101M"},
		{1072693248, "1023M"}, {1072693249, "1.0G"},
		{1073741823, "1.0G"}, {1073741824, "1.0G"}, {1073741825, "1.1G"},
		{10737418239, "10G"}, {10737418240, "10G"}, {10737418241, "11G"},
		{1099511627775, "1.0T"}, {1099511627776, "1.0T"}, {1099511627777, "1.1T"},
		{15393162788865, "15T"},
		{-1048577, "-1.1M"},
	} {
		if got := units.HumanSize(tc.n); got != tc.want {
			t.Errorf("HumanSize(%d) = %q, want %q (ls -lh)", tc.n, got, tc.want)
		}
	}
	// The extremes must not overflow or recurse forever.
	if got := units.HumanSize(math.MinInt64); got != "-8.0E" {
		t.Errorf("HumanSize(MinInt64) = %q, want -8.0E", got)
	}
	if got := units.HumanSize(math.MaxInt64); got != "8.0E" {
		t.Errorf("HumanSize(MaxInt64) = %q, want 8.0E", got)
	}
}

func TestHumanDelta(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {1048577, "+1.1M"}, {-1048577, "-1.1M"}, {math.MinInt64, "-8.0E"},
	} {
		if got := units.HumanDelta(tc.n); got != tc.want {
			t.Errorf("HumanDelta(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestParseLimit: a bare number below 1K is refused, a unit or a number
// of 1K and more is taken.
func TestParseLimit(t *testing.T) {
	for s, want := range map[string]int64{"10B": 10, "10M": 10 << 20, "1024": 1024, "8000000": 8000000, "0.5K": 512} {
		if got, err := units.ParseLimit(s); err != nil || got != want {
			t.Errorf("ParseLimit(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"10", "1023", " 9 "} {
		if _, err := units.ParseLimit(s); err == nil || !strings.Contains(err.Error(), "without a unit") {
			t.Errorf("ParseLimit(%q): error %v, want one about the missing unit", s, err)
		}
	}
}

// TestPercentTiny: a change too small for one decimal keeps its sign.
func TestPercentTiny(t *testing.T) {
	for _, tc := range []struct {
		delta, base int64
		want        string
	}{
		{-3, 10000, "-<0.1%"}, {3, 10000, "+<0.1%"}, {0, 10000, "0%"}, {-5, 1000, "-0.5%"}, {-470, 1000, "-47%"},
	} {
		if got := units.Percent(tc.delta, tc.base); got != tc.want {
			t.Errorf("Percent(%d, %d) = %q, want %q", tc.delta, tc.base, got, tc.want)
		}
	}
}
