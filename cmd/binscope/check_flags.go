package main

import (
	"github.com/binscope/binscope/analyze/budget"
	"github.com/binscope/binscope/buildmatrix"
	"github.com/binscope/binscope/internal/units"
	"github.com/spf13/cobra"
)

// ruleFlags are the values of check's rule flags, one or two per rule
// kind of budget.Specs, keyed by flag name.
type ruleFlags struct {
	values map[string]*string
	bools  map[string]*bool
}

// define defines a flag for every rule kind, with the name and help the
// table gives it.
func (rf *ruleFlags) define(cmd *cobra.Command) {
	f := cmd.Flags()
	rf.values, rf.bools = map[string]*string{}, map[string]*bool{}
	str := func(name, help string) {
		if name != "" {
			rf.values[name] = f.String(name, "", help)
		}
	}
	for _, s := range budget.Specs() {
		switch s.Value {
		case budget.BoolValue:
			rf.bools[s.Flag] = f.Bool(s.Flag, false, s.FlagHelp)
		default:
			str(s.Flag, s.FlagHelp)
			str(s.BytesFlag, s.BytesHelp)
		}
		if s.Shorthand != "" {
			rf.bools[s.Shorthand] = f.Bool(s.Shorthand, false, s.ShorthandHelp)
		}
	}
}

// flagBudget turns the rule flags into one budget, or nil when none is
// given. The rules come in the table's order.
func (co *checkOptions) flagBudget() (*budget.Budget, error) {
	b := &budget.Budget{Name: "command line", All: true}
	rf := &co.rules
	size := func(flag string) (int64, error) {
		v := *rf.values[flag]
		n, err := units.ParseSize(v)
		if err != nil || n <= 0 {
			return 0, usageErrorf("invalid --%s value %q: want a size such as 8M, 8MB or 8000000", flag, v)
		}
		if _, err := units.ParseLimit(v); err != nil {
			return 0, usageErrorf("--%s: %v", flag, err)
		}
		return n, nil
	}
	pct := func(flag string) (float64, error) {
		v := *rf.values[flag]
		p, err := units.ParsePercent(v)
		if err != nil {
			return 0, usageErrorf("invalid --%s value %q: want a percentage such as 5%%", flag, v)
		}
		return p, nil
	}
	given := func(flag string) bool { return flag != "" && *rf.values[flag] != "" }
	flagOf := map[budget.Kind]string{}
	find := func(k budget.Kind) *budget.Rule {
		for i := range b.Rules {
			if b.Rules[i].Kind == k {
				return &b.Rules[i]
			}
		}
		return nil
	}
	for _, s := range budget.Specs() {
		flagOf[s.Kind] = s.Flag
		r := budget.Rule{Kind: s.Kind}
		var err error
		switch s.Value {
		case budget.SizeValue:
			if !given(s.Flag) {
				continue
			}
			r.Bytes, err = size(s.Flag)
			r.HasBytes = true
		case budget.PercentValue:
			if !given(s.Flag) {
				continue
			}
			r.Percent, err = pct(s.Flag)
			r.HasPercent = true
		case budget.GrowthValue:
			if !given(s.Flag) && !given(s.BytesFlag) {
				continue
			}
			if given(s.Flag) {
				if r.Percent, err = pct(s.Flag); err != nil {
					return nil, err
				}
				r.HasPercent = true
			}
			if given(s.BytesFlag) {
				r.Bytes, err = size(s.BytesFlag)
				r.HasBytes = true
			}
		case budget.LinkageValue:
			l := *rf.values[s.Flag]
			if s.Shorthand != "" && *rf.bools[s.Shorthand] {
				if l != "" && l != s.ShorthandValue {
					return nil, usageErrorf("--%s and --%s %s disagree", s.Shorthand, s.Flag, l)
				}
				l = s.ShorthandValue
			}
			if l == "" {
				continue
			}
			if !budget.ValidLinkage(l) {
				return nil, usageErrorf("invalid --%s value %q: want %s", s.Flag, l, budget.LinkagesText())
			}
			r.Linkage = l
		case budget.BoolValue:
			if !*rf.bools[s.Flag] {
				continue
			}
			r.Want = s.FlagWant
		}
		if err != nil {
			return nil, err
		}
		if s.Below != "" {
			if other := find(s.Below); other != nil && r.Bytes >= other.Bytes {
				return nil, usageErrorf("invalid --%s value %q: must be below --%s %s", s.Flag, *rf.values[s.Flag], flagOf[s.Below], *rf.values[flagOf[s.Below]])
			}
		}
		if s.Against != "" {
			other := find(s.Against)
			if other == nil {
				return nil, usageErrorf("--%s needs --%s to measure against", s.Flag, flagOf[s.Against])
			}
			r.Limit = other.Bytes
		}
		b.Rules = append(b.Rules, r)
	}
	if co.cells != "" {
		sel, err := buildmatrix.ParseSelector(co.cells)
		if err != nil {
			return nil, usageErrorf("invalid --cells value %q: %v", co.cells, trimSelectorPrefix(err))
		}
		b.All, b.Cells = false, sel
	}
	if len(b.Rules) == 0 {
		if co.cells != "" {
			return nil, usageErrorf("--cells selects cells for the rule flags, and none is given")
		}
		return nil, nil
	}
	return b, nil
}
