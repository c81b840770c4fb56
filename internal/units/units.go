// Package units formats and parses sizes and percentages as binscope prints
// and reads them: ls -lh sizes, signed deltas, percentages of a base.
package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// HumanSize renders a byte count as `ls -lh` does: 1024-based units
// (K, M, G, …), one decimal below 10, always rounded up, and bytes below
// 1024 as a bare number. 8,110,345 bytes is 7.8M; 12,163,687 is 12M;
// 4096 is 4.0K; 988 is 988.
//
// It is a transcription of gnulib's human_readable with the options ls
// passes (human_ceiling, human_autoscale, human_base_1024, human_SI), so
// that sizes binscope prints agree with the ls -lh the user runs next.
func HumanSize(n int64) string {
	if n < 0 {
		// uint64(-n) is right for math.MinInt64 too, where -n is n.
		return "-" + humanSize(uint64(-n))
	}
	return humanSize(uint64(n))
}

func humanSize(amt uint64) string {
	const base = 1024
	const units = "KMGTPEZY"
	tenths, rounding := uint64(0), uint64(0) // rounding: 0 exact, 1 <½, 2 =½, 3 >½ of the dropped part
	exponent := 0
	point := false
	if amt >= base {
		for amt >= base && exponent < len(units) {
			r10 := (amt%base)*10 + tenths
			r2 := (r10%base)*2 + (rounding >> 1)
			amt /= base
			tenths = r10 / base
			// gnulib: rounding = r2 < base ? (r2 + rounding) != 0
			// : 2 + (base < r2 + rounding). The dropped parts of earlier
			// divisions count: 1,048,577 bytes is 1.1M, not 1.0M.
			switch {
			case r2 < base:
				rounding = min(r2+rounding, 1)
			case base < r2+rounding:
				rounding = 3
			default:
				rounding = 2
			}
			exponent++
		}
		if amt < 10 {
			if rounding > 0 {
				tenths++
				rounding = 0
				if tenths == 10 {
					amt++
					tenths = 0
				}
			}
			if amt < 10 {
				point = true
			}
		}
	}
	var frac string
	if point {
		frac = "." + strconv.FormatUint(tenths, 10)
		tenths, rounding = 0, 0
	}
	if tenths+rounding > 0 {
		amt++
		if amt == base && exponent < len(units) {
			exponent++
			frac = ".0"
			amt = 1
		}
	}
	s := strconv.FormatUint(amt, 10) + frac
	if exponent > 0 {
		s += string(units[exponent-1])
	}
	return s
}

// HumanDelta renders a signed size change: "+1.2M", "-6.8M", "0".
func HumanDelta(n int64) string {
	if n > 0 {
		return "+" + HumanSize(n)
	}
	return HumanSize(n) // "-6.8M", "0"
}

// Percent renders a change of delta against base: "-47%", "+3.2%",
// "+0.4%". It returns "" when base is 0, where no ratio exists.
func Percent(delta, base int64) string {
	p, ok := PercentOf(delta, base)
	if !ok {
		return ""
	}
	if delta == 0 {
		return "0%"
	}
	return PercentText(p)
}

// PercentText renders a percentage change that is not zero: one decimal
// below 10% ("+3.2%"), none above ("-47%"), and "-<0.1%" for one that
// one decimal would show as 0.0%: still a change, and its sign is the
// news.
func PercentText(p float64) string {
	sign := "+"
	if p < 0 {
		sign, p = "-", -p
	}
	switch {
	case p < 0.05:
		return sign + "<0.1%"
	case p < 10:
		// Rounded half away from zero.
		return fmt.Sprintf("%s%.1f%%", sign, math.Round(p*10)/10)
	}
	return fmt.Sprintf("%s%.0f%%", sign, math.Round(p))
}

// PercentOf is delta as a percentage of base, the one percentage every
// report computes; ok is false when base is 0 and there is none.
func PercentOf(delta, base int64) (p float64, ok bool) {
	if base == 0 {
		return 0, false
	}
	return float64(delta) / float64(base) * 100, true
}

// ParseLimit is ParseSize for a size limit (a budget's max_size, a
// growth floor): a bare number below 1024 is refused rather than taken as
// bytes, since "--max-size 10" means 10M far more often than 10 bytes;
// "10B" says bytes.
func ParseLimit(s string) (int64, error) {
	v, err := ParseSize(s)
	if err != nil {
		return 0, err
	}
	t := strings.TrimSpace(s)
	if v < 1024 && t != "" && (t[len(t)-1] >= '0' && t[len(t)-1] <= '9' || t[len(t)-1] == '.') {
		return 0, fmt.Errorf("invalid size %q: a number without a unit is bytes, and %s bytes is too small to mean: write %sM or %sMB, or %sB for bytes", s, t, t, t, t)
	}
	return v, nil
}

// ParseSize reads a size as budget files and flags write it: a plain
// number of bytes ("8000000"), a 1024-based unit ("8M", "8MiB", "300K",
// "1.5G"), or a 1000-based one ("8MB", "300KB"). Units are case
// insensitive; "B" alone means bytes.
func ParseSize(s string) (int64, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("invalid size %q: empty", orig)
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.TrimSpace(s[i:])
	if num == "" {
		return 0, fmt.Errorf("invalid size %q: want a number with an optional unit, such as 8M, 8MB or 8000000", orig)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid size %q: %q is not a number", orig, num)
	}
	var mult float64
	switch strings.ToUpper(unit) {
	case "", "B":
		mult = 1
	case "K", "KI", "KIB":
		mult = 1 << 10
	case "M", "MI", "MIB":
		mult = 1 << 20
	case "G", "GI", "GIB":
		mult = 1 << 30
	case "T", "TI", "TIB":
		mult = 1 << 40
	case "KB":
		mult = 1e3
	case "MB":
		mult = 1e6
	case "GB":
		mult = 1e9
	case "TB":
		mult = 1e12
	default:
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (use K, M, G for 1024-based, KB, MB, GB for 1000-based)", orig, unit)
	}
	b := v * mult
	if b > math.MaxInt64/2 {
		return 0, fmt.Errorf("invalid size %q: too large", orig)
	}
	if unit == "" || strings.ToUpper(unit) == "B" {
		if strings.Contains(num, ".") {
			return 0, fmt.Errorf("invalid size %q: a byte count must be a whole number", orig)
		}
	}
	return int64(math.Round(b)), nil
}

// ParsePercent reads a percentage such as "5%" or "2.5%" and returns it as
// a fraction of 100 (5 for "5%").
func ParsePercent(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if !strings.HasSuffix(t, "%") {
		return 0, fmt.Errorf("invalid percentage %q: want a number followed by %%, such as 5%%", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(t, "%")), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("invalid percentage %q: want a non-negative number followed by %%, such as 5%%", s)
	}
	return v, nil
}
