package budget

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/compare"
	"github.com/binscope/binscope/elfinfo"
	"github.com/binscope/binscope/internal/units"
)

// Kind is the kind of a rule: its key in .binscope.yaml, and the rule
// column of check's report.
type Kind string

// Rule kinds, in the order check's help and error texts list them.
const (
	MaxSize     Kind = "max_size"     // fail above Bytes
	WarnSize    Kind = "warn_size"    // warn above Bytes
	MaxHeadroom Kind = "max_headroom" // fail when the max_size limit is more than Percent above the size
	Linkage     Kind = "linkage"      // fail unless the linkage is Linkage (ELF only)
	Stripped    Kind = "stripped"     // fail unless stripped == Want
	DebugInfo   Kind = "debug_info"   // fail unless debug_info == Want
	MaxGrowth   Kind = "max_growth"   // fail when the growth over the baseline exceeds Percent and Bytes
	WarnGrowth  Kind = "warn_growth"  // warn likewise
)

// Value is the kind of value a rule takes.
type Value int

// Values a rule may take.
const (
	SizeValue    Value = iota // Bytes: 8M, 8MB, 8000000
	PercentValue              // Percent: 5%
	GrowthValue               // Percent under the rule's key, Bytes under BytesKey, or both
	LinkageValue              // Linkage: one of linkages
	BoolValue                 // Want: true or false
)

// Spec is the one definition of a rule kind: its key, check's flag for
// it and that flag's help, the value it takes, how it relates to the
// other rules of its budget, and how it is evaluated. config reads a
// budget file and check reads its flags by these; adding a rule kind is
// adding a Spec to specs.
type Spec struct {
	Kind  Kind
	Value Value

	// Flag is check's flag for the rule, and FlagHelp its help (with the
	// value's name in backquotes, as pflag wants it). For a GrowthValue it
	// is the flag of the percentage.
	Flag, FlagHelp string
	// BytesKey, BytesFlag and BytesFlagHelp name the size half of a
	// GrowthValue rule.
	BytesKey             string
	BytesFlag, BytesHelp string
	// FlagWant is what a BoolValue flag, when given, requires.
	FlagWant bool
	// Shorthand is a bool flag that requires the LinkageValue
	// ShorthandValue (--static for --linkage static).
	Shorthand, ShorthandValue, ShorthandHelp string

	// Against is the rule this one measures against, which the budget
	// must hold too: the rule's Limit is that rule's Bytes.
	Against Kind
	// Below is a rule whose Bytes this rule's Bytes must stay below when
	// the budget holds both.
	Below Kind

	// eval judges a cell that was built; it fills in res.
	eval func(res *Result, in evalInput)
}

// specs is the table of rule kinds.
var specs = []Spec{
	{Kind: MaxSize, Value: SizeValue, Flag: "max-size", FlagHelp: "fail above this `SIZE` (8M, 8MB, 8000000)",
		eval: sizeEval(StatusFail)},
	{Kind: WarnSize, Value: SizeValue, Flag: "warn-size", FlagHelp: "warn above this `SIZE`", Below: MaxSize,
		eval: sizeEval(StatusWarn)},
	{Kind: MaxHeadroom, Value: PercentValue, Flag: "max-headroom", FlagHelp: "fail when --max-size is more than this `PERCENT` above the size", Against: MaxSize,
		eval: headroomEval},
	{Kind: Linkage, Value: LinkageValue, Flag: "linkage", FlagHelp: "require this `LINKAGE`: " + LinkagesText() + " (ELF only)",
		Shorthand: "static", ShorthandValue: "static", ShorthandHelp: "require static linkage (--linkage static)",
		eval: linkageEval},
	{Kind: Stripped, Value: BoolValue, Flag: "stripped", FlagHelp: "require a stripped binary", FlagWant: true,
		eval: boolEval(func(f *analyze.Facts) bool { return f.Stripped })},
	{Kind: DebugInfo, Value: BoolValue, Flag: "no-debug-info", FlagHelp: "require no debug info", FlagWant: false,
		eval: boolEval(func(f *analyze.Facts) bool { return f.DebugInfo })},
	{Kind: MaxGrowth, Value: GrowthValue, Flag: "max-growth", FlagHelp: "fail when a cell grew more than this `PERCENT` over the baseline",
		BytesKey: "max_growth_bytes", BytesFlag: "max-growth-bytes", BytesHelp: "fail when a cell grew more than this `SIZE` (with --max-growth: only when both are exceeded)",
		eval: growthEval(StatusFail)},
	{Kind: WarnGrowth, Value: GrowthValue, Flag: "warn-growth", FlagHelp: "warn when a cell grew more than this `PERCENT`",
		BytesKey: "warn_growth_bytes", BytesFlag: "warn-growth-bytes", BytesHelp: "warn when a cell grew more than this `SIZE`",
		eval: growthEval(StatusWarn)},
}

// Specs returns the rule kinds in table order.
func Specs() []Spec { return append([]Spec(nil), specs...) }

// LookupKey returns the rule kind a budget file's key sets; bytes
// reports whether the key is a growth rule's BytesKey.
func LookupKey(key string) (s Spec, bytes, ok bool) {
	for _, s := range specs {
		switch key {
		case string(s.Kind):
			return s, false, true
		case s.BytesKey:
			if s.BytesKey != "" {
				return s, true, true
			}
		}
	}
	return Spec{}, false, false
}

// Lookup returns the Spec of a rule kind.
func Lookup(k Kind) (Spec, bool) {
	for _, s := range specs {
		if s.Kind == k {
			return s, true
		}
	}
	return Spec{}, false
}

// Keys returns every key that sets a rule in a budget file, in table
// order: max_size, …, max_growth, max_growth_bytes, ….
func Keys() []string {
	var out []string
	for _, s := range specs {
		out = append(out, string(s.Kind))
		if s.BytesKey != "" {
			out = append(out, s.BytesKey)
		}
	}
	return out
}

// KindsText lists the rule kinds as a sentence does: "max_size, …,
// max_growth or warn_growth".
func KindsText() string {
	var out []string
	for _, s := range specs {
		out = append(out, string(s.Kind))
	}
	return orList(out)
}

// linkages are the values a linkage rule may require.
var linkages = []string{"static", "static-pie", "dynamic"}

// ValidLinkage reports whether a linkage rule may require l.
func ValidLinkage(l string) bool {
	for _, x := range linkages {
		if x == l {
			return true
		}
	}
	return false
}

// LinkagesText lists the linkages a rule may require as a sentence
// does: "static, static-pie or dynamic".
func LinkagesText() string { return orList(linkages) }

func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// evalInput is what a rule judges: a built cell, its baseline
// counterpart (nil without one) and whether a baseline was given.
type evalInput struct {
	budget       string
	rule         Rule
	cell, base   *compare.Cell
	haveBaseline bool
}

// sizeEval judges a size limit; over is the status of a cell above it.
func sizeEval(over Status) func(*Result, evalInput) {
	return func(res *Result, in evalInput) {
		size, rule := in.cell.Size, in.rule
		res.Actual, res.Limit = units.HumanSize(size), units.HumanSize(rule.Bytes)
		res.ActualBytes, res.LimitBytes = &size, &rule.Bytes
		room := rule.Bytes - size
		res.HeadroomBytes = &room
		res.Headroom = headroomText(room, size)
		if size > rule.Bytes {
			res.Status = over
			res.Message = fmt.Sprintf("%s: %s is %s (%d bytes), over the %s of %s (%d bytes) by %s: it must shrink by %s to fit",
				in.budget, in.cell.ID, units.HumanSize(size), size, rule.Kind, units.HumanSize(rule.Bytes), rule.Bytes, units.HumanSize(-room), strings.TrimPrefix(units.Percent(room, size), "-"))
		}
	}
}

// headroomText is the one way check writes headroom: the change in size
// that would reach the limit, and that change as a percentage of the
// size, as growth is a percentage of the size it grew from: +2.0M (+33%)
// for a 6.0M binary under an 8.0M limit, -125K (-1.5%) for one over it.
// max_headroom's percentage is this one.
func headroomText(room, size int64) string {
	if p := units.Percent(room, size); p != "" {
		return fmt.Sprintf("%s (%s)", units.HumanDelta(room), p)
	}
	return units.HumanDelta(room)
}

// headroomEval judges how far the max_size limit lies above the size:
// its actual value is the headroom, written as the size rules' headroom
// column writes it, and its limit the rule's own percentage.
func headroomEval(res *Result, in evalInput) {
	size, rule := in.cell.Size, in.rule
	pct := rule.Percent
	res.Limit, res.LimitPercent = "+"+trimPercent(rule.Percent), &pct
	res.ActualBytes = &size
	room := rule.Limit - size
	res.HeadroomBytes = &room
	res.Actual = headroomText(room, size)
	if size <= 0 {
		return
	}
	above := float64(room) / float64(size) * 100
	if above > rule.Percent {
		res.Status = StatusFail
		most := int64(math.Floor(float64(size) * (1 + rule.Percent/100)))
		res.Message = fmt.Sprintf("%s: the max_size of %s leaves %s of headroom over the %s of %s, more than the +%s allowed: tighten max_size to %s or less",
			in.budget, units.HumanSize(rule.Limit), res.Actual, units.HumanSize(size), in.cell.ID, trimPercent(rule.Percent), suggestLimit(size, most))
	}
}

// suggestLimit writes a size limit for a config that lies between lo and
// hi (bytes): the shortest of 9.6M, 9.63M, 9.634M, … in the largest unit
// hi reaches, read back by units.ParseSize within the range, else hi in
// bytes. units.HumanSize rounds to nearest and may name a size above hi.
func suggestLimit(lo, hi int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if hi < u.size {
			continue
		}
		for digits := 1; digits <= 3; digits++ {
			scale := math.Pow10(digits)
			t := math.Floor(float64(hi) / float64(u.size) * scale)
			// t+1 is tried too: the division may land just below a whole t.
			for _, k := range []float64{t + 1, t} {
				s := strconv.FormatFloat(k/scale, 'f', -1, 64) + u.name
				if n, err := units.ParseSize(s); err == nil && n >= lo && n <= hi {
					return s
				}
			}
		}
		break
	}
	return strconv.FormatInt(hi, 10) + "B"
}

func linkageEval(res *Result, in evalInput) {
	c, rule := in.cell, in.rule
	res.Limit = rule.Linkage
	bin := c.Binary
	switch {
	case bin == nil || bin.Facts == nil:
		res.Status = StatusError
		res.Message = fmt.Sprintf("cell %s has no binary facts to judge linkage by", c.ID)
	case !bin.Format.CanLinkStatically():
		res.Status, res.Actual = StatusNA, bin.Linkage
		why := "binaries always load system libraries"
		if bin.Format == elfinfo.FormatWasm {
			why = "modules always import from their host"
		}
		res.Message = fmt.Sprintf("linkage rules judge ELF binaries; %s %s", bin.Format.Name(), why)
	default:
		res.Actual = bin.Linkage
		if bin.Linkage != rule.Linkage {
			res.Status = StatusFail
			res.Message = fmt.Sprintf("%s: %s is %s, not %s", in.budget, c.ID, compare.LinkedWords(bin.Linkage), compare.LinkedWords(rule.Linkage))
			if bin.Interpreter != "" {
				res.Message += fmt.Sprintf(" (interpreter %s, needs %s)", bin.Interpreter, strings.Join(bin.Needed, ", "))
			}
		}
	}
}

// boolEval judges a fact of the binary that must equal the rule's Want.
func boolEval(fact func(*analyze.Facts) bool) func(*Result, evalInput) {
	return func(res *Result, in evalInput) {
		c, rule := in.cell, in.rule
		res.Limit = fmt.Sprint(rule.Want)
		bin := c.Binary
		if bin == nil || bin.Facts == nil {
			res.Status = StatusError
			res.Message = fmt.Sprintf("cell %s has no binary facts to judge %s by", c.ID, rule.Kind)
			return
		}
		got := fact(bin.Facts)
		res.Actual = fmt.Sprint(got)
		if got != rule.Want {
			res.Status = StatusFail
			res.Message = fmt.Sprintf("%s: %s has %s %v, want %v", in.budget, c.ID, rule.Kind, got, rule.Want)
		}
	}
}

// growthEval judges the growth over the baseline; over is the status of
// a cell that grew too much.
func growthEval(over Status) func(*Result, evalInput) {
	return func(res *Result, in evalInput) {
		c, base, rule := in.cell, in.base, in.rule
		res.Limit = growthLimit(rule)
		if rule.HasPercent {
			pct := rule.Percent
			res.LimitPercent = &pct
		}
		if rule.HasBytes {
			b := rule.Bytes
			res.LimitBytes = &b
		}
		switch {
		case !in.haveBaseline:
			res.Status, res.Message = StatusNoBaseline, NeedBaseline
			return
		case base == nil:
			res.Status = StatusNew
			res.Message = fmt.Sprintf("the baseline has no cell %s to measure growth against", c.ID)
			return
		case base.Status != compare.StatusOK:
			// The baseline has the cell, so it is not new; it has no size.
			how := "did not build"
			if base.Status == compare.StatusSkipped {
				how = "was skipped"
			}
			res.Status = StatusNoBaseline
			res.Message = fmt.Sprintf("the baseline's cell %s %s, so there is no size to measure growth against", c.ID, how)
			return
		}
		d := c.Size - base.Size
		res.ActualBytes = &d
		res.Actual = units.HumanDelta(d)
		if p := units.Percent(d, base.Size); p != "" {
			res.Actual += " (" + p + ")"
		}
		pct, _ := units.PercentOf(d, base.Size)
		overPct := rule.HasPercent && pct > rule.Percent
		overBytes := rule.HasBytes && d > rule.Bytes
		tripped := overPct || overBytes
		if rule.HasPercent && rule.HasBytes {
			tripped = overPct && overBytes
		}
		if tripped {
			res.Status = over
			res.Message = fmt.Sprintf("%s: %s grew %s (%s) over the baseline's %s, more than %s", in.budget, c.ID, units.HumanSize(d), units.Percent(d, base.Size), units.HumanSize(base.Size), res.Limit)
			res.Grew = growth(base, c)
			if names := grewNames(res.Grew); names != "" {
				res.Message += "; grew most: " + names
			}
		}
	}
}
