package main

// palette is how text output looks where it goes: it colors words when
// color is on, and leaves them alone otherwise; width is the number of
// columns the output must fit, 0 for no limit (see globalOptions.width). Colors mark verdicts (good, warn, bad) and the
// path at the head of a block. tablewriter measures cells without their
// escape sequences, so colored cells keep the columns aligned.
type palette struct {
	on    bool
	width int
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

func (p palette) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p palette) bold(s string) string { return p.paint(ansiBold, s) }
func (p palette) good(s string) string { return p.paint(ansiGreen, s) }
func (p palette) warn(s string) string { return p.paint(ansiYellow, s) }
func (p palette) bad(s string) string  { return p.paint(ansiRed, s) }
