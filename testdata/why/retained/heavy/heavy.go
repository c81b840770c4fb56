// Package heavy is a dependency with weight of its own: tables, methods
// behind an interface, and code that only it reaches.
package heavy

import (
	"fmt"
	"sort"
	"strings"
)

// Table is data only heavy refers to.
var Table = func() []string {
	var out []string
	for i := 0; i < 64; i++ {
		out = append(out, strings.Repeat(fmt.Sprint(i), 3))
	}
	return out
}()

// Shape is an interface whose methods the types below satisfy.
type Shape interface {
	Area() float64
	Name() string
}

type square struct{ side float64 }
type circle struct{ r float64 }
type triangle struct{ a, b, c float64 }

func (s square) Area() float64   { return s.side * s.side }
func (s square) Name() string    { return "square " + fmt.Sprint(s.side) }
func (c circle) Area() float64   { return 3.14159 * c.r * c.r }
func (c circle) Name() string    { return "circle " + fmt.Sprint(c.r) }
func (t triangle) Area() float64 { return t.a * t.b / 2 }
func (t triangle) Name() string  { return fmt.Sprintf("triangle %v/%v/%v", t.a, t.b, t.c) }

// Report lists the shapes, largest first.
func Report(n int) string {
	var shapes []Shape
	for i := 0; i < n; i++ {
		f := float64(i + 1)
		shapes = append(shapes, square{f}, circle{f}, triangle{f, f + 1, f + 2})
	}
	sort.Slice(shapes, func(i, j int) bool { return shapes[i].Area() > shapes[j].Area() })
	var b strings.Builder
	for _, s := range shapes {
		fmt.Fprintf(&b, "%-20s %8.2f %s\n", s.Name(), s.Area(), Table[int(s.Area())%len(Table)])
	}
	return b.String()
}
