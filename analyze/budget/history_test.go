package budget

import (
	"errors"
	"strings"
	"testing"
)

// entry is a run of cells id=size, in order: "cell", 5, "new", 7.
func entry(commit string, cells ...any) HistoryEntry {
	e := HistoryEntry{SchemaVersion: 1, Commit: commit}
	for i := 0; i < len(cells); i += 2 {
		id, s := cells[i].(string), cells[i+1].(int64)
		e.Cells = append(e.Cells, HistoryCell{ID: id, Label: id, Size: s, Packages: []HistoryPackage{{"example.com/app", s / 2}}})
	}
	return e
}

func TestSparkline(t *testing.T) {
	for _, c := range []struct {
		sizes []int64
		want  string
	}{
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8}, "▁▂▃▄▅▆▇█"},
		{[]int64{10, 10, 10}, "▅▅▅"},
		{[]int64{100, 50, 100}, "█▁█"},
		{nil, ""},
	} {
		if got := Sparkline(c.sizes); got != c.want {
			t.Errorf("Sparkline(%v) = %q, want %q", c.sizes, got, c.want)
		}
	}
}

// Slow growth, each step under the gate, drifts; one big step is the
// gate's to stop, not drift; a cell new in this run has one point.
func TestTrend(t *testing.T) {
	var slow []HistoryEntry
	size := int64(1_000_000)
	for i := range 6 {
		slow = append(slow, entry(string(rune('a'+i)), "cell", size))
		size += size * 2 / 100 // +2% a run
	}
	now := entry("now", "cell", size, "new", int64(5))
	h := Trend("h.jsonl", slow, now, 7, 5, func(string) (float64, bool) { return 0, false })
	if len(h.Cells) != 2 {
		t.Fatalf("%d cells, want 2", len(h.Cells))
	}
	c := h.Cells[0]
	if len(c.Sizes) != 7 || !c.Drift || c.LargestStep > 2.01 || c.GrowthPercent < 12 || c.Gate != 5 {
		t.Errorf("slow growth: %+v, want 7 sizes, drift, steps of 2%%, growth over 12%%", c)
	}
	if w := h.DriftWarnings(); len(w) != 1 || !strings.Contains(w[0], "cell grew +13% over the last 7 runs") || !strings.Contains(w[0], "grew most: example.com/app") {
		t.Errorf("warnings %q", w)
	}
	if n := h.Cells[1]; len(n.Sizes) != 1 || n.Drift || n.Sparkline != "▅" {
		t.Errorf("new cell: %+v", n)
	}
	// The window: the last 3 runs only, +4% in all: no drift.
	h = Trend("h.jsonl", slow, now, 3, 5, func(string) (float64, bool) { return 0, false })
	if c := h.Cells[0]; len(c.Sizes) != 3 || c.Drift {
		t.Errorf("window 3: %+v", c)
	}
	// A step over the cell's max_growth is the gate's: it failed or
	// warned then, so it is not drift.
	big := append(slow[:3:3], entry("big", "cell", size))
	h = Trend("h.jsonl", big, now, 10, 5, func(string) (float64, bool) { return 3, true })
	if c := h.Cells[0]; c.Drift || c.Gate != 3 || c.LargestStep < 5 {
		t.Errorf("one big step: %+v", c)
	}
}

func TestReadHistory(t *testing.T) {
	good := `{"schema_version":1,"commit":"a","date":"2026-12-01T00:00:00Z","cells":[{"id":"x","label":"x","size":5,"packages":[]}]}` + "\n\n"
	es, err := ReadHistory(strings.NewReader(good + good))
	if err != nil || len(es) != 2 || es[1].Cells[0].Size != 5 {
		t.Fatalf("ReadHistory: %v, %+v", err, es)
	}
	for _, c := range []struct{ text, want string }{
		{good + "{not json\n", "line 3"},
		{`{"schema_version":9,"cells":[]}`, "schema_version 9"},
		{`{"schema_version":1,"cells":[{"id":"","size":1}]}`, "without an id"},
		{`{"schema_version":1,"cells":[{"id":"x","size":-1}]}`, "negative size"},
		{strings.Repeat("x", maxHistoryLine+1), "over"},
	} {
		_, err := ReadHistory(strings.NewReader(c.text))
		if err == nil || !errors.Is(err, ErrHistory) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.30q: error %v, want one with %q", c.text, err, c.want)
		}
	}
}
