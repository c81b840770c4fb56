package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/diff"
	"github.com/binscope/binscope/analyze/treemap"
	"github.com/binscope/binscope/internal/testbuild"
	"github.com/binscope/binscope/internal/units"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// chromium finds headless Chromium: $BINSCOPE_CHROMIUM, else chromium on
// PATH. Without it the browser tests skip, saying why, unless
// BINSCOPE_REQUIRE_CHROMIUM is set (CI installs it and sets it), when
// they fail.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("BINSCOPE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("BINSCOPE_REQUIRE_CHROMIUM") != "" {
		t.Fatal("no chromium on PATH, and BINSCOPE_REQUIRE_CHROMIUM is set")
	}
	t.Skip("no headless Chromium (Debian's chromium package; or set BINSCOPE_CHROMIUM)")
	return ""
}

// browser starts headless Chromium, as a closed network needs it: no
// background networking, no component updates, a fresh profile. It
// records every request the page makes and every console error.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	errors   []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	b := &browser{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, ev.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				b.errors = append(b.errors, string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, fmt.Sprintf("exception: %s at %d:%d", ev.ExceptionDetails.Text, ev.ExceptionDetails.LineNumber, ev.ExceptionDetails.ColumnNumber))
		}
	})
	if err != nil {
		t.Fatalf("listen to chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval runs a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

type tileBox struct {
	Name   string  `json:"name"`
	Parent string  `json:"parent"`
	Bytes  int64   `json:"bytes"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	W      float64 `json:"w"`
	H      float64 `json:"h"`
}

// tilesJS lists the view's tiles of one depth with their boxes in the
// map's coordinates.
const tilesJS = `(() => { const m = document.getElementById("map").getBoundingClientRect();
  return [...document.querySelectorAll("#map .t[data-depth='%d']")].map(d => { const r = d.getBoundingClientRect();
    return {name: d.dataset.name, parent: d.dataset.parent, bytes: +d.dataset.bytes, x: r.left - m.left, y: r.top - m.top, w: r.width, h: r.height}; }); })()`

// TestHTMLReportInBrowser loads the size report of a real build from
// file:// in headless Chromium and uses it as a person would.
func TestHTMLReportInBrowser(t *testing.T) {
	chromium(t) // skip early, before building
	dir := t.TempDir()
	bin := buildPomo(t, dir, "pomo")
	page := filepath.Join(dir, "size.html")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"size", "--format", "html", "-o", page, bin}, os.Environ(), &out, &errb); code != 0 {
		t.Fatalf("size --format html: status %d: %s", code, errb.String())
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}

	// The embedded report is the JSON report of the same flags.
	out.Reset()
	if code := run(context.Background(), []string{"size", "--format", "json", "--by", "symbol", "--symbols-per-package", "20", bin}, os.Environ(), &out, &errb); code != 0 {
		t.Fatalf("size --format json: status %d: %s", code, errb.String())
	}
	var inPage, fromJSON analyze.SizeReport
	if err := json.Unmarshal(embedded(t, html, "report"), &inPage); err != nil {
		t.Fatalf("embedded report: %v", err)
	}
	if err := json.Unmarshal(out.Bytes(), &fromJSON); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(fromJSON, inPage); d != "" {
		t.Errorf("embedded report differs from --format json (-json +embedded):\n%s", d)
	}
	if inPage.SymbolsPerPackage != htmlSymbolsPerPackage || len(inPage.Symbols) == 0 {
		t.Errorf("embedded report has %d symbols, %d per package", len(inPage.Symbols), inPage.SymbolsPerPackage)
	}

	b, _ := loadPage(t, page)

	// Each row of the table has its tile, its area its share of the map
	// (within rounding), and every tile of the view, its children's and
	// grandchildren's, lies where analyze/treemap (FromSize, Squarify)
	// puts it: the page's tree and layout are Go's.
	goTree := treemap.FromSize(&inPage, htmlSymbolsPerPackage)
	near := func(a tileBox, g treemap.Rect) bool {
		return math.Abs(a.X-g.X) <= 1 && math.Abs(a.Y-g.Y) <= 1 && math.Abs(a.W-g.W) <= 1 && math.Abs(a.H-g.H) <= 1
	}
	checkView := func(t *testing.T, view *treemap.Node) {
		t.Helper()
		size := eval[[2]float64](t, b, `window.binscope.mapSize()`)
		rows := eval[[]tileBox](t, b, `[...document.querySelectorAll("#table tbody tr")].map(r => ({name: r.cells[0].textContent, bytes: +r.dataset.bytes}))`)
		if len(rows) != len(view.Children) {
			t.Fatalf("%s: %d table rows, FromSize gives it %d children", view.Name, len(rows), len(view.Children))
		}
		tiles := map[string]tileBox{}
		for _, depth := range []int{1, 2} {
			for _, tb := range eval[[]tileBox](t, b, fmt.Sprintf(tilesJS, depth)) {
				tiles[tb.Parent+"\x00"+tb.Name] = tb
			}
		}
		mapArea := size[0] * size[1]
		rects := treemap.Squarify(weights(view.Children), treemap.Rect{W: size[0], H: size[1]})
		checked := 0
		for i, c := range view.Children {
			want := float64(c.Bytes) / float64(view.Bytes) * mapArea
			tb, ok := tiles[view.Name+"\x00"+c.Name]
			if !ok {
				if want >= 4 {
					t.Errorf("%s: %q (%d bytes, %.1f px²) has no tile", view.Name, c.Name, c.Bytes, want)
				}
				continue
			}
			if got := tb.W * tb.H; math.Abs(got-want) > 2*(tb.W+tb.H)+2 {
				t.Errorf("%s: tile %q is %.1f px², want %.1f for %d of %d bytes", view.Name, c.Name, got, want, c.Bytes, view.Bytes)
			}
			if !near(tb, rects[i]) {
				t.Errorf("%s: tile %q at %+v, analyze/treemap puts it at %+v", view.Name, c.Name, tb, rects[i])
			}
			checked++
			r := rects[i]
			if len(c.Children) == 0 || r.W <= 60 || r.H <= 40 {
				continue
			}
			inner := treemap.Rect{X: r.X + 1, Y: r.Y + 16, W: r.W - 2, H: r.H - 17}
			for j, g := range treemap.Squarify(weights(c.Children), inner) {
				if g.Area() < 1 {
					continue
				}
				gc := c.Children[j]
				tb, ok := tiles[c.Name+"\x00"+gc.Name]
				if !ok {
					t.Errorf("%s: %q in %q has no tile", view.Name, gc.Name, c.Name)
				} else if !near(tb, g) {
					t.Errorf("%s: tile %q in %q at %+v, analyze/treemap puts it at %+v", view.Name, gc.Name, c.Name, tb, g)
				}
				checked++
			}
		}
		if checked < 20 {
			t.Errorf("%s: only %d tiles checked", view.Name, checked)
		}
	}
	child := func(n *treemap.Node, name string) *treemap.Node {
		for _, c := range n.Children {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("FromSize has no %q in %q", name, n.Name)
		return nil
	}
	t.Run("layout", func(t *testing.T) {
		checkView(t, goTree)
		eval[bool](t, b, `window.binscope.zoomTo(["std"])`)
		checkView(t, child(goTree, "std"))
		eval[bool](t, b, `window.binscope.zoomTo(["std", "runtime"])`)
		checkView(t, child(child(goTree, "std"), "runtime"))
		eval[bool](t, b, `window.binscope.zoomTo([])`)
	})

	// Clicking a module zooms into its packages; the breadcrumb zooms
	// back out.
	t.Run("zoom", func(t *testing.T) {
		eval[bool](t, b, `window.binscope.zoomTo([])`)
		// Where a person clicks a module: its name, above its packages.
		b.do(t, chromedp.Click(chromedp.CSS(`#map .t.g[data-name="std"] > .lbl`)))
		path := eval[[]string](t, b, `window.binscope.current()`)
		if want := []string{bin, "std"}; !cmp.Equal(path, want) {
			t.Fatalf("after a click on std: view %q, want %q", path, want)
		}
		names := eval[[]string](t, b, `[...document.querySelectorAll("#table tbody tr")].map(r => r.dataset.name)`)
		if len(names) < 10 || !slices.Contains(names, "runtime") || slices.Contains(names, "main") {
			t.Errorf("std's table: %q", names)
		}
		checkView(t, child(goTree, "std"))
		crumbs := eval[[]string](t, b, `[...document.querySelectorAll("#crumbs button")].map(b => b.dataset.name)`)
		if !cmp.Equal(crumbs, []string{bin, "std"}) {
			t.Errorf("breadcrumb %q", crumbs)
		}
		b.do(t, chromedp.Click(chromedp.CSS(`#crumbs button:first-child`)))
		if path := eval[[]string](t, b, `window.binscope.current()`); !cmp.Equal(path, []string{bin}) {
			t.Errorf("after the breadcrumb: view %q", path)
		}
		// A package drawn inside its module is clicked, not its module:
		// the module's tile never covers it.
		b.do(t, chromedp.Click(chromedp.CSS(`#map .t[data-depth='2'][data-name="runtime"]`)))
		if path := eval[[]string](t, b, `window.binscope.current()`); !cmp.Equal(path, []string{bin, "std", "runtime"}) {
			t.Errorf("after a click on runtime: view %q", path)
		}
		if eval[bool](t, b, `!document.getElementById("tip").hidden && document.activeElement !== document.body`) {
			t.Error("a mouse zoom moved the focus and left a tooltip up")
		}
	})

	// From the keyboard: Enter on a focused tile zooms, Escape zooms out.
	t.Run("keyboard", func(t *testing.T) {
		eval[bool](t, b, `window.binscope.zoomTo([])`)
		b.do(t, chromedp.Focus(chromedp.CSS(`#map .t.g[data-name="std"]`)), chromedp.KeyEvent("\r"))
		if path := eval[[]string](t, b, `window.binscope.current()`); !cmp.Equal(path, []string{bin, "std"}) {
			t.Fatalf("Enter on std: view %q", path)
		}
		// Focus went to the first tile of std's view: Enter goes on down.
		b.do(t, chromedp.KeyEvent("\r"))
		if path := eval[[]string](t, b, `window.binscope.current()`); len(path) != 3 {
			t.Errorf("Enter on std's first tile: view %q", path)
		}
		b.do(t, chromedp.KeyEvent("\b"))
		if path := eval[[]string](t, b, `window.binscope.current()`); !cmp.Equal(path, []string{bin, "std"}) {
			t.Errorf("Backspace: view %q", path)
		}
		b.do(t, chromedp.KeyEvent("\x1b"))
		if path := eval[[]string](t, b, `window.binscope.current()`); !cmp.Equal(path, []string{bin}) {
			t.Errorf("Escape: view %q", path)
		}
	})

	// Search highlights what matches, and only that.
	t.Run("search", func(t *testing.T) {
		eval[bool](t, b, `window.binscope.zoomTo([])`)
		b.do(t, chromedp.SendKeys(chromedp.CSS(`#search`), "runtime"))
		matched := eval[[]string](t, b, `[...document.querySelectorAll("#map .t.match")].map(d => d.dataset.name)`)
		count := eval[string](t, b, `document.getElementById("matches").textContent`)
		if len(matched) == 0 {
			t.Fatal("search for runtime highlights nothing")
		}
		for _, n := range matched {
			if !strings.Contains(strings.ToLower(n), "runtime") {
				t.Errorf("search for runtime highlights %q", n)
			}
		}
		if !regexp.MustCompile(`^\d+ match(es)?, \d+ in view$`).MatchString(count) {
			t.Errorf("match count %q", count)
		}
		eval[bool](t, b, `(() => { const s = document.getElementById("search"); s.value = ""; return s.dispatchEvent(new Event("input")); })()`)
	})

	// The tooltip shows the tile's exact bytes and its size as ls -lh
	// prints it, which is what binscope's text prints.
	t.Run("tooltip", func(t *testing.T) {
		eval[bool](t, b, `window.binscope.zoomTo([])`)
		tiles := eval[[]tileBox](t, b, fmt.Sprintf(tilesJS, 2))
		var big tileBox
		for _, tb := range tiles {
			if tb.W*tb.H > big.W*big.H {
				big = tb
			}
		}
		origin := eval[[2]float64](t, b, `(() => { const r = document.getElementById("map").getBoundingClientRect(); return [r.left, r.top]; })()`)
		b.do(t, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, origin[0]+big.X+big.W/2, origin[1]+big.Y+big.H/2))
		text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`#tip`), chromedp.NodeVisible))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{big.Name, fmt.Sprintf("%d bytes", big.Bytes), units.HumanSize(big.Bytes)} {
			if !strings.Contains(text, want) {
				t.Errorf("tooltip %q lacks %q", text, want)
			}
		}
		nums := []int64{0, 1, 1023, 1024, 1025, 10239, 10240, 10241, 1048575, 1048576, 1048577, 8110345, 12345678901, 1 << 40}
		got := eval[[]string](t, b, fmt.Sprintf(`%s.map(n => window.binscope.humanSize(n))`, mustJSON(nums)))
		for i, n := range nums {
			if got[i] != units.HumanSize(n) {
				t.Errorf("humanSize(%d) = %q in the page, %q in binscope", n, got[i], units.HumanSize(n))
			}
		}
	})

	// The page asks for nothing but itself, and logs no error.
	checkQuiet(t, b, "file://"+page)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestHTMLScale measures the HTML report of a large binary: its size on
// disk, the time to its first view, and zoom steps into its largest
// modules and back. It runs only when BINSCOPE_HTML_SCALE names a binary
// (docs/performance.md has the figures and the command); it asserts
// nothing about time.
func TestHTMLScale(t *testing.T) {
	bin := os.Getenv("BINSCOPE_HTML_SCALE")
	if bin == "" {
		t.Skip("set BINSCOPE_HTML_SCALE=BINARY to measure its HTML report")
	}
	chromium(t)
	page := filepath.Join(t.TempDir(), "size.html")
	var out, errb bytes.Buffer
	start := time.Now()
	if code := run(context.Background(), []string{"size", "--format", "html", "-o", page, bin}, os.Environ(), &out, &errb); code != 0 {
		t.Fatalf("size --format html: status %d: %s", code, errb.String())
	}
	made := time.Since(start)
	st, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := loadPage(t, page)
	first := eval[float64](t, b, `window.binscope.firstView()`)
	// A zoom step: the view of a module laid out (offsetHeight forces the
	// layout), then the way back; the three largest modules, 5 times.
	steps := eval[[]float64](t, b, `(() => {
	  const mods = [...document.querySelectorAll("#map .t.g[data-depth='1']")].slice(0, 3).map(d => d.dataset.name);
	  const out = [];
	  for (let i = 0; i < 5; i++) for (const m of mods) {
	    let t0 = performance.now(); window.binscope.zoomTo([m]); document.getElementById("map").offsetHeight; out.push(performance.now() - t0);
	    t0 = performance.now(); window.binscope.zoomTo([]); document.getElementById("map").offsetHeight; out.push(performance.now() - t0);
	  }
	  return out; })()`)
	slices.Sort(steps)
	tiles := eval[int](t, b, `window.binscope.tiles()`)
	t.Logf("%s: report %d bytes (%s) made in %v; first view %.0f ms; %d tiles at the top; zoom steps: median %.1f ms, max %.1f ms over %d",
		bin, st.Size(), units.HumanSize(st.Size()), made.Round(time.Millisecond), first, tiles, steps[len(steps)/2], steps[len(steps)-1], len(steps))
}

// loadPage opens a page in a new headless Chromium and waits for its
// script.
func loadPage(t *testing.T, page string) (*browser, string) {
	t.Helper()
	b := newBrowser(t)
	url := "file://" + page
	b.do(t, chromedp.Navigate(url))
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`window.binscope && window.binscope.ready`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the page never became ready: %v", err)
	}
	return b, url
}

// checkQuiet fails the test when the page asked for anything but itself
// or logged an error; the listeners are seen to work first.
func checkQuiet(t *testing.T, b *browser, url string) {
	t.Helper()
	eval[bool](t, b, `(console.error("binscope-test-probe"), true)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b.mu.Lock()
		seen := slices.ContainsFunc(b.errors, func(e string) bool { return strings.Contains(e, "binscope-test-probe") })
		b.mu.Unlock()
		if seen {
			break
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !slices.Contains(b.requests, url) {
		t.Errorf("the network listener saw no request for the page itself: %q", b.requests)
	}
	for _, u := range b.requests {
		if u != url {
			t.Errorf("the page requested %s", u)
		}
	}
	probe := false
	for _, e := range b.errors {
		if strings.Contains(e, "binscope-test-probe") {
			probe = true
		} else {
			t.Errorf("console: %s", e)
		}
	}
	if !probe {
		t.Error("the console listener missed the test's own console.error")
	}
}

// runCLI runs binscope and returns its standard output.
func runCLI(t *testing.T, args ...string) []byte {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, os.Environ(), &out, &errb); code != 0 {
		t.Fatalf("binscope %q: status %d: %s", args, code, errb.String())
	}
	return out.Bytes()
}

// embedded returns the JSON of one of the page's data blocks.
func embedded(t *testing.T, html []byte, id string) []byte {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="` + id + `">(.*?)</script>`).FindSubmatch(html)
	if m == nil {
		t.Fatalf("no %s block in the page", id)
	}
	return m[1]
}

// TestHTMLDiffInBrowser: the diff of a strip-only change, as a page. Its
// tiles take each package's change as the diff says it, the removed rows
// (debug info, symbol table) are listed, and the embedded diff is the
// JSON one.
func TestHTMLDiffInBrowser(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	full := buildPomo(t, dir, "pomo")
	sw := buildPomo(t, dir, "pomo-sw", "-ldflags=-s -w")
	page := filepath.Join(dir, "diff.html")
	runCLI(t, "diff", "--format", "html", "-o", page, full, sw)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, got diff.Report
	if err := json.Unmarshal(runCLI(t, "diff", "--format", "json", full, sw), &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(embedded(t, html, "report"), &got); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(fromJSON, got); d != "" {
		t.Errorf("embedded diff differs from --format json (-json +embedded):\n%s", d)
	}
	var newSide analyze.SizeReport
	if err := json.Unmarshal(embedded(t, html, "new"), &newSide); err != nil || newSide.Size != got.NewSize {
		t.Fatalf("embedded NEW: size %d, the diff's new size %d (%v)", newSide.Size, got.NewSize, err)
	}

	b, url := loadPage(t, page)
	want := map[string]string{}
	for _, r := range got.Packages {
		switch {
		case r.Status == diff.Removed:
		case r.Delta == 0:
			want[r.Name] = "unchanged"
		case r.Status == diff.Added:
			want[r.Name] = "added"
		case !r.Comparable():
			want[r.Name] = "within estimate"
		case r.Delta > 0:
			want[r.Name] = "grown"
		default:
			want[r.Name] = "shrunk"
		}
	}
	eval[bool](t, b, `window.binscope.zoomTo(["std"])`)
	tiles := eval[[]struct {
		Name   string `json:"name"`
		Change string `json:"change"`
	}](t, b, `[...document.querySelectorAll("#map .t[data-depth='1']")].map(d => ({name: d.dataset.name, change: d.dataset.change}))`)
	if len(tiles) < 10 {
		t.Fatalf("std's view has %d tiles", len(tiles))
	}
	seen := map[string]bool{}
	for _, tl := range tiles {
		w, ok := want[tl.Name]
		if !ok {
			w = "unchanged" // a row the diff does not list did not change
		}
		if tl.Change != w {
			t.Errorf("tile %q is %q, the diff says %q", tl.Name, tl.Change, w)
		}
		seen[tl.Change] = true
	}
	if !seen["shrunk"] && !seen["grown"] && !seen["within estimate"] {
		t.Errorf("no tile of std changed: %v", seen)
	}
	// A row --min-delta hides is not "unchanged": it is below the limit.
	small := filepath.Join(dir, "diff-min.html")
	runCLI(t, "diff", "--format", "html", "--min-delta", "50K", "-o", small, full, sw)
	bm, urlm := loadPage(t, small)
	eval[bool](t, bm, `window.binscope.zoomTo(["std"])`)
	if !eval[bool](t, bm, `[...document.querySelectorAll("#map .t[data-depth='1']")].some(d => d.dataset.change === "below --min-delta")`) {
		t.Error("with --min-delta 50K no tile of std reads below --min-delta")
	}
	checkQuiet(t, bm, urlm)

	removed := eval[[]string](t, b, `[...document.querySelectorAll("#removed li")].map(l => l.dataset.name)`)
	for _, name := range []string{analyze.RowDebugInfo, analyze.RowSymbolTable} {
		if !slices.Contains(removed, name) {
			t.Errorf("removed rows %q lack %q", removed, name)
		}
	}
	checkQuiet(t, b, url)
}

// TestHTMLCompareInBrowser: compare's page has one bar per cell, stacked
// by kind from the cell's package rows, with its badges; a click on a bar
// draws that cell's treemap, whose rows sum to the cell's size.
func TestHTMLCompareInBrowser(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "compare.html")
	runCLI(t, "compare", "-q", "--cgo", "0", "--strip", "both", "--tags", "", "--format", "html", "-o", page, testbuild.Pomo(t))
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Cells []struct {
			ID       string `json:"id"`
			Size     int64  `json:"size"`
			Status   string `json:"status"`
			Packages []struct {
				Size int64 `json:"size"`
			} `json:"packages"`
			Binary struct {
				Linkage  string `json:"linkage"`
				Stripped bool   `json:"stripped"`
			} `json:"binary"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(embedded(t, html, "report"), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Cells) < 2 {
		t.Fatalf("%d cells, want the baseline and the two asked for", len(r.Cells))
	}
	b, url := loadPage(t, page)
	type bar struct {
		ID     string   `json:"id"`
		Bytes  int64    `json:"bytes"`
		Badges []string `json:"badges"`
	}
	bars := eval[[]bar](t, b, `[...document.querySelectorAll("#chart .bar")].map(b => ({id: b.dataset.id,
	  bytes: [...b.querySelectorAll(".stack div[data-bytes]")].reduce((s, d) => s + +d.dataset.bytes, 0),
	  badges: [...b.querySelectorAll(".badge")].map(x => x.textContent)}))`)
	if len(bars) != len(r.Cells) {
		t.Fatalf("%d bars for %d cells", len(bars), len(r.Cells))
	}
	for i, c := range r.Cells {
		if bars[i].ID != c.ID {
			t.Errorf("bar %d is %q, cell %q", i, bars[i].ID, c.ID)
		}
		var sum int64
		for _, p := range c.Packages {
			sum += p.Size
		}
		if bars[i].Bytes != sum || sum != c.Size {
			t.Errorf("cell %s: bar stacks %d bytes, its packages %d, its size %d", c.ID, bars[i].Bytes, sum, c.Size)
		}
		strip := "not stripped"
		if c.Binary.Stripped {
			strip = "stripped"
		}
		if !slices.Contains(bars[i].Badges, c.Binary.Linkage) || !(slices.Contains(bars[i].Badges, strip) || slices.Contains(bars[i].Badges, "debug info")) {
			t.Errorf("cell %s: badges %q, want its linkage %q and %q", c.ID, bars[i].Badges, c.Binary.Linkage, strip)
		}
		if !slices.ContainsFunc(bars[i].Badges, func(s string) bool { return strings.HasPrefix(s, "scratch: ") }) {
			t.Errorf("cell %s: no readiness badge for scratch in %q", c.ID, bars[i].Badges)
		}
	}
	for _, c := range r.Cells {
		if !eval[bool](t, b, fmt.Sprintf(`window.binscope.pickBar(%q)`, c.ID)) {
			t.Fatalf("no bar for %s", c.ID)
		}
		rows := eval[[]tileBox](t, b, `[...document.querySelectorAll("#table tbody tr")].map(r => ({name: r.cells[0].textContent, bytes: +r.dataset.bytes}))`)
		var sum int64
		for _, row := range rows {
			sum += row.Bytes
		}
		if sum != c.Size {
			t.Errorf("cell %s: its treemap's rows sum to %d, the cell is %d", c.ID, sum, c.Size)
		}
		if eval[string](t, b, `document.querySelector("#chart .bar[aria-current]").dataset.id`) != c.ID {
			t.Errorf("cell %s is not the bar marked current", c.ID)
		}
	}
	checkQuiet(t, b, url)
}

// TestHTMLCompareDiffInBrowser: the diff of two compare reports, where
// the program gained a dependency, offers each cell in its picker, and
// each cell's treemap shows std grown.
func TestHTMLCompareDiffInBrowser(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	prog := filepath.Join(dir, "pomo")
	if err := os.CopyFS(prog, os.DirFS(testbuild.Pomo(t))); err != nil {
		t.Fatal(err)
	}
	flags := []string{"compare", "-q", "--cgo", "0", "--strip", "both", "--tags", "", "--format", "json"}
	base := filepath.Join(dir, "base.json")
	runCLI(t, append(flags, "-o", base, prog)...)
	extra := "package main\n\nimport (\n\t\"encoding/xml\"\n\t\"os\"\n)\n\nfunc init() {\n\tif len(os.Args) > 99 {\n\t\txml.Marshal(os.Args)\n\t}\n}\n"
	if err := os.WriteFile(filepath.Join(prog, "xml.go"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	head := filepath.Join(dir, "head.json")
	runCLI(t, append(flags, "-o", head, prog)...)
	page := filepath.Join(dir, "diff.html")
	runCLI(t, "diff", "--format", "html", "-o", page, base, head)

	b, url := loadPage(t, page)
	ids := eval[[]string](t, b, `[...document.querySelectorAll("#cell option")].map(o => o.value)`)
	if len(ids) < 2 {
		t.Fatalf("the picker offers %q", ids)
	}
	for _, id := range ids {
		if !eval[bool](t, b, fmt.Sprintf(`window.binscope.pickCell(%q)`, id)) {
			t.Fatalf("cannot pick %s", id)
		}
		std := eval[string](t, b, `(() => { const r = [...document.querySelectorAll("#table tbody tr")].find(r => r.dataset.name === "std"); return r ? r.dataset.change : "missing"; })()`)
		if std != "grown" {
			t.Errorf("cell %s: std is %q, want grown (encoding/xml came in)", id, std)
		}
		eval[bool](t, b, `window.binscope.zoomTo(["std"])`)
		if ch := eval[string](t, b, `(() => { const d = document.querySelector('#map .t[data-depth="1"][data-name="encoding/xml"]'); return d ? d.dataset.change : "missing"; })()`); ch != "added" {
			t.Errorf("cell %s: encoding/xml is %q, want added", id, ch)
		}
	}
	checkQuiet(t, b, url)
}

// TestHTMLHistoryInBrowser: check --html with --history draws each cell's
// size history under the matrix, one point per run from the oldest to
// this one, higher for a larger size, with the drifting cell outlined.
func TestHTMLHistoryInBrowser(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	runCLI(t, "compare", "-q", "--cgo", "0", "--strip", "both", "--tags", "", "--format", "json", "-o", report, testbuild.Pomo(t))
	var r struct {
		Cells []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
			Size  int64  `json:"size"`
		} `json:"cells"`
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &r); err != nil || len(r.Cells) < 2 {
		t.Fatalf("compare report: %d cells, %v", len(r.Cells), err)
	}
	// Three earlier runs: the first cell grew 1% a run (drift past the
	// 2% of --drift-max, no step over it), the others 1K a run.
	var hist bytes.Buffer
	want := map[string][]int64{}
	for run := 3; run >= 1; run-- {
		e := map[string]any{"schema_version": 1, "commit": fmt.Sprintf("%040d", run), "date": "2026-11-0" + strconv.Itoa(4-run) + "T00:00:00Z", "cells": []map[string]any{}}
		for i, c := range r.Cells {
			size := c.Size - int64(run)*1024
			if i == 0 {
				size = int64(float64(c.Size) / math.Pow(1.01, float64(run)))
			}
			want[c.ID] = append(want[c.ID], size)
			e["cells"] = append(e["cells"].([]map[string]any), map[string]any{"id": c.ID, "label": c.Label, "size": size, "packages": []any{}})
		}
		line, _ := json.Marshal(e)
		hist.Write(append(line, '\n'))
	}
	histFile := filepath.Join(dir, "history.jsonl")
	if err := os.WriteFile(histFile, hist.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "budget.yaml")
	if err := os.WriteFile(cfg, []byte("budgets:\n  - name: any\n    cells: all\n    max_size: 100M\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "check.html")
	runCLI(t, "check", "--from", report, "--config", cfg, "--history", histFile, "--drift-max", "2%", "--commit", strings.Repeat("f", 40), "--html", page, "-q")

	b, url := loadPage(t, page)
	if eval[bool](t, b, `document.getElementById("history").hidden`) {
		t.Fatal("the history section is hidden")
	}
	for i, c := range r.Cells {
		sizes := append(want[c.ID], c.Size)
		pts := eval[[][3]float64](t, b, fmt.Sprintf(`window.binscope.historyPoints(%q)`, c.ID))
		if len(pts) != len(sizes) {
			t.Fatalf("cell %s: %d points, want %d runs", c.ID, len(pts), len(sizes))
		}
		for j, p := range pts {
			if int64(p[0]) != sizes[j] {
				t.Errorf("cell %s: point %d is %d bytes, run %d was %d", c.ID, j, int64(p[0]), j, sizes[j])
			}
			if j > 0 && !(p[1] > pts[j-1][1] && p[2] < pts[j-1][2]) {
				t.Errorf("cell %s: point %d at (%v, %v) is not right of and above (%v, %v), though it grew", c.ID, j, p[1], p[2], pts[j-1][1], pts[j-1][2])
			}
		}
		drift := eval[bool](t, b, fmt.Sprintf(`document.querySelector('#trends .trend[data-id=%q]').classList.contains("drift")`, c.ID))
		if drift != (i == 0) {
			t.Errorf("cell %s: drift outline %v, want %v", c.ID, drift, i == 0)
		}
	}
	checkQuiet(t, b, url)
}
