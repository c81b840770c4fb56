// Package budget holds size budgets and their evaluation: the rules a cell
// of a matrix must keep, and the report binscope check writes.
//
// Each rule kind is defined once, as a Spec in the table of rules.go: its
// key in .binscope.yaml, check's flag and help, the kind of value it takes,
// the rule it is measured against or must stay below, and its evaluation.
// config reads budget files and check reads its flags by that table.
// Adding a rule kind is a Kind constant, a Spec and its eval function;
// docs/schema/check.schema.json lists the kinds too (a test holds them
// together), and docs/ci.md describes them.
//
// It reads no files or flags itself: config turns YAML into Budget values
// and check turns flags into them; Evaluate judges cells.
package budget

import (
	"github.com/binscope/binscope/buildmatrix"
)

// Budget is one named set of rules, applied to every cell its selector
// picks. It is what one entry of .binscope.yaml's "budgets" holds, or
// what check's flags say for one binary.
type Budget struct {
	Name  string
	Line  int  // line of the budget in its config file; 0 for flags
	All   bool // cells: all
	Cells buildmatrix.Selector
	Rules []Rule
}

// CellsText renders the budget's selector as the report shows it.
func (b Budget) CellsText() string {
	if b.All {
		return "all"
	}
	return b.Cells.String()
}

// Rule is one check of a budget. Size rules use Bytes; growth rules use
// Percent, Bytes or both: with both, the rule trips only when the growth
// exceeds both, so that a small binary's percentages and a big one's
// bytes do not cry wolf.
type Rule struct {
	Kind       Kind
	Line       int // line of the rule's key in its config file; 0 for flags
	Bytes      int64
	HasBytes   bool
	Percent    float64
	HasPercent bool
	Linkage    string // static, static-pie or dynamic
	Want       bool   // for stripped and debug_info
	// Limit is the max_size the headroom rule measures against.
	Limit int64
}
