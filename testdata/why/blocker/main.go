// Command blocker is binscope's fixture for dead code elimination
// blockers: call.go looks a method up by a name known only at run time,
// which makes the linker keep every exported method of every type that
// reaches an interface; with -tags constname, call_const.go looks it up
// by a constant, which the linker resolves (Go 1.22 and later).
package main

import (
	"os"
	"strings"
)

// Greeter has exported methods that nothing calls directly.
type Greeter struct{ name string }

func (g Greeter) Hello() string   { return "hello, " + g.name }
func (g Greeter) Goodbye() string { return strings.Repeat("goodbye, "+g.name, 3) }
func (g Greeter) Shout() string   { return strings.ToUpper(g.Hello()) }

func main() {
	os.Stdout.WriteString(call(Greeter{"gopher"}) + "\n")
}
