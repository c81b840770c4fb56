// Package treemap turns a size report into a tree of tiles, modules then
// packages then the largest symbols of each package, and lays such a
// tree out as a squarified treemap: the view the SVG and HTML reports
// draw. Area is file bytes.
package treemap

import (
	"cmp"
	"math"
	"slices"
)

// Rect is a rectangle in the treemap's plane, in the units of the area
// it was laid out in (pixels, for the renderers).
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Area is W×H.
func (r Rect) Area() float64 { return r.W * r.H }

// Squarify lays weights out in r with the squarified algorithm of Bruls,
// Huizing and van Wijk ("Squarified Treemaps", 2000): largest first, rows
// along the shorter side of what is left, each row grown while that makes
// its worst aspect ratio better. Each rectangle's area is its weight's
// share of r's area; the rectangles tile r. The result is in the order of
// weights; a weight that is not positive gets an empty rectangle at r's
// corner. Ties keep their input order, so the layout is deterministic.
//
// The HTML report's script has the same algorithm, line for line
// (assets/treemap.js); the browser tests check the two agree.
func Squarify(weights []float64, r Rect) []Rect {
	out := make([]Rect, len(weights))
	for i := range out {
		out[i] = Rect{X: r.X, Y: r.Y}
	}
	var order []int
	total := 0.0
	for i, w := range weights {
		if w > 0 && !math.IsInf(w, 0) {
			order = append(order, i)
			total += w
		}
	}
	if len(order) == 0 || r.W <= 0 || r.H <= 0 {
		return out
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(weights[b], weights[a]) })
	scale := r.Area() / total
	area := func(i int) float64 { return weights[i] * scale }

	rest := r
	for start := 0; start < len(order); {
		side := min(rest.W, rest.H)
		// Grow the row while its worst aspect ratio improves.
		end, sum := start+1, area(order[start])
		best := worst(order[start:end], sum, side, area)
		for end < len(order) {
			s := sum + area(order[end])
			w := worst(order[start:end+1], s, side, area)
			if w > best {
				break
			}
			end, sum, best = end+1, s, w
		}
		// The last row takes what is left, so that rounding never leaves
		// a sliver uncovered.
		rest = layRow(out, order[start:end], rest, area, end == len(order))
		start = end
	}
	return out
}

// worst is the largest aspect ratio (≥ 1) in a row of the given areas,
// summing to sum, laid along a side of length side.
func worst(row []int, sum, side float64, area func(int) float64) float64 {
	if sum <= 0 || side <= 0 {
		return math.Inf(1)
	}
	thick := sum / side
	w := 0.0
	for _, i := range row {
		long := area(i) / thick
		w = max(w, max(long/thick, thick/long))
	}
	return w
}

// layRow places a row along the shorter side of rest and returns what
// is left. The last row fills rest exactly.
func layRow(out []Rect, row []int, rest Rect, area func(int) float64, last bool) Rect {
	rowSum := 0.0
	for _, i := range row {
		rowSum += area(i)
	}
	if rest.W >= rest.H {
		// A column at the left, as tall as rest.
		thick := rowSum / rest.H
		if last {
			thick = rest.W
		}
		y := rest.Y
		for k, i := range row {
			h := area(i) / rowSum * rest.H
			if k == len(row)-1 {
				h = rest.Y + rest.H - y
			}
			out[i] = Rect{X: rest.X, Y: y, W: thick, H: h}
			y += h
		}
		return Rect{X: rest.X + thick, Y: rest.Y, W: rest.W - thick, H: rest.H}
	}
	// A row at the top, as wide as rest.
	thick := rowSum / rest.W
	if last {
		thick = rest.H
	}
	x := rest.X
	for k, i := range row {
		w := area(i) / rowSum * rest.W
		if k == len(row)-1 {
			w = rest.X + rest.W - x
		}
		out[i] = Rect{X: x, Y: rest.Y, W: w, H: thick}
		x += w
	}
	return Rect{X: rest.X, Y: rest.Y + thick, W: rest.W, H: rest.H - thick}
}
