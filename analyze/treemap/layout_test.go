package treemap

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The example of Bruls, Huizing and van Wijk's paper: areas 6, 6, 4, 3,
// 2, 2, 1 in a 6×4 rectangle. Worked by hand: 6 and 6 make a column of
// aspect 1.5 at the left (adding 4 would give 2.67); in the 3×4 left, 4
// and 3 make a row along the top (worst aspect 1.81, against 2.25 for 4
// alone; adding 2 gives 4.5); in the 3×5/3 strip left, each 2 is a
// column of its own (1.39; 2 and 2 together give 2.88), and 1 fills the
// rest.
func TestSquarifyPaper(t *testing.T) {
	got := Squarify([]float64{6, 6, 4, 3, 2, 2, 1}, Rect{W: 6, H: 4})
	want := []Rect{
		{X: 0, Y: 0, W: 3, H: 2},
		{X: 0, Y: 2, W: 3, H: 2},
		{X: 3, Y: 0, W: 12.0 / 7, H: 7.0 / 3},
		{X: 3 + 12.0/7, Y: 0, W: 9.0 / 7, H: 7.0 / 3},
		{X: 3, Y: 7.0 / 3, W: 1.2, H: 5.0 / 3},
		{X: 4.2, Y: 7.0 / 3, W: 1.2, H: 5.0 / 3},
		{X: 5.4, Y: 7.0 / 3, W: 0.6, H: 5.0 / 3},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Squarify (-want +got):\n%s", diff)
	}
}

// On random inputs the rectangles tile the area: each has its weight's
// share of it, none overlaps another, all lie inside.
func TestSquarifyTiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(60)
		ws := make([]float64, n)
		total := 0.0
		for i := range ws {
			switch rng.IntN(6) {
			case 0:
				ws[i] = 0
			case 1:
				ws[i] = rng.Float64() * 1e-3
			default:
				ws[i] = math.Exp(rng.Float64() * 12)
			}
			total += ws[i]
		}
		r := Rect{X: 10, Y: 20, W: 50 + rng.Float64()*900, H: 50 + rng.Float64()*600}
		got := Squarify(ws, r)
		sum := 0.0
		for i, g := range got {
			sum += g.Area()
			want := 0.0
			if total > 0 {
				want = ws[i] / total * r.Area()
			}
			if math.Abs(g.Area()-want) > 1e-6*r.Area() {
				t.Fatalf("trial %d: rect %d has area %g, want %g (weight %g of %g)", trial, i, g.Area(), want, ws[i], total)
			}
			if g.W < 0 || g.H < 0 || g.X < r.X-1e-9 || g.Y < r.Y-1e-9 || g.X+g.W > r.X+r.W+1e-6 || g.Y+g.H > r.Y+r.H+1e-6 {
				t.Fatalf("trial %d: rect %d %+v is outside %+v", trial, i, g, r)
			}
			for j := range i {
				if overlap(g, got[j]) > 1e-6*r.Area() {
					t.Fatalf("trial %d: rects %d %+v and %d %+v overlap", trial, i, g, j, got[j])
				}
			}
		}
		if total > 0 && math.Abs(sum-r.Area()) > 1e-6*r.Area() {
			t.Fatalf("trial %d: areas sum to %g, want %g", trial, sum, r.Area())
		}
	}
}

func overlap(a, b Rect) float64 {
	w := min(a.X+a.W, b.X+b.W) - max(a.X, b.X)
	h := min(a.Y+a.H, b.Y+b.H) - max(a.Y, b.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func TestSquarifyEdges(t *testing.T) {
	if got := Squarify(nil, Rect{W: 10, H: 10}); len(got) != 0 {
		t.Errorf("no weights: %v", got)
	}
	got := Squarify([]float64{0, -1, math.NaN(), math.Inf(1)}, Rect{X: 1, Y: 2, W: 10, H: 10})
	for i, g := range got {
		if g != (Rect{X: 1, Y: 2}) {
			t.Errorf("weight %d: %+v, want an empty rect at the corner", i, g)
		}
	}
	if got := Squarify([]float64{5}, Rect{W: 3, H: 7}); got[0] != (Rect{W: 3, H: 7}) {
		t.Errorf("one weight: %+v, want the whole rect", got[0])
	}
	if got := Squarify([]float64{1, 1}, Rect{W: 0, H: 7}); got[0].Area() != 0 || got[1].Area() != 0 {
		t.Errorf("empty rect: %+v", got)
	}
}
