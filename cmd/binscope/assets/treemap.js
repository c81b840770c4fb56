// binscope's size and diff reports: a zoomable treemap of the report
// embedded in the page (the JSON binscope writes with --format json), a
// breadcrumb, a tooltip, a search box and a sortable table. A diff's page
// draws NEW (embedded as "new": the size report, or the compare report
// whose cells it picks) coloured by change. No request of any kind:
// everything is in this file.
(function () {
  "use strict";
  const page = JSON.parse(document.getElementById("report").textContent);
  const kinds = JSON.parse(document.getElementById("kinds").textContent);
  const newSide = JSON.parse(document.getElementById("new").textContent);
  const historyEl = document.getElementById("historydata");
  const history = historyEl ? JSON.parse(historyEl.textContent) : null;
  const isDiff = newSide !== null;
  const changeColors = { grown: "#e15759", added: "#9c1c1f", shrunk: "#59a14f", "within estimate": "#d9c9a3", unchanged: "#bab0ac" };
  // With --min-delta the diff leaves out the rows that changed by less:
  // their tiles say so rather than "unchanged".
  if (isDiff && page.min_delta > 0) changeColors["below --min-delta"] = "#8f8f8f";

  // humanSize writes a size as ls -lh does, as binscope's text does:
  // 1024-based, one decimal below 10, rounded up.
  function humanSize(n) {
    if (n < 0) return "-" + humanSize(-n);
    if (n < 1024) return String(n);
    const units = "KMGTPEZY";
    let div = 1;
    for (let e = 0; e < units.length; e++) {
      div *= 1024;
      const tenths = Math.ceil((n * 10) / div);
      if (tenths < 100) return (tenths / 10).toFixed(1) + units[e];
      const whole = Math.ceil(n / div);
      if (whole < 1024 || e === units.length - 1) return whole + units[e];
    }
    return String(n);
  }

  // The tree, built as binscope's analyze/treemap builds it (FromSize):
  // modules, their packages, each package's largest symbols by file
  // bytes and the rest of it; the non-package rows are tiles of their own.
  function build(r) {
    const root = { name: r.path, level: "binary", kind: "", bytes: 0, estimated: 0, children: [], parent: null };
    const bySym = new Map();
    for (const s of r.symbols || []) {
      if (s.kind === "bss" || s.size <= 0) continue;
      if (!bySym.has(s.package)) bySym.set(s.package, []);
      bySym.get(s.package).push(s);
    }
    const mods = new Map();
    for (const p of r.packages) {
      if (p.size <= 0) continue;
      const mname = p.module || p.name;
      let m = mods.get(mname);
      if (!m) {
        m = { name: mname, level: "module", kind: "", bytes: 0, estimated: 0, children: [], parent: root };
        mods.set(mname, m);
      }
      const n = { name: p.name, level: "package", kind: packageKind(p), bytes: p.size, estimated: p.estimated_bytes || 0, row: p, children: [], parent: m };
      symbolTiles(n, bySym.get(p.name) || []);
      m.children.push(n);
      m.bytes += n.bytes;
      m.estimated += n.estimated;
    }
    for (const m0 of mods.values()) {
      let m = m0;
      sortNodes(m.children);
      if (m.children.length === 1 && m.children[0].name === m.name) {
        m = m.children[0];
      } else {
        // Drawn as one tile where it is too small to show its packages:
        // the colour of the kind most of its bytes are.
        const by = {};
        for (const c of m.children) by[c.kind] = (by[c.kind] || 0) + c.bytes;
        m.tileKind = Object.keys(by).sort((a, b) => by[b] - by[a] || cmpStr(a, b))[0];
      }
      m.parent = root;
      root.children.push(m);
      root.bytes += m.bytes;
      root.estimated += m.estimated;
    }
    sortNodes(root.children);
    return root;
  }

  function symbolTiles(pkg, syms) {
    if (syms.length === 0) return;
    syms.sort((a, b) => b.size - a.size || cmpStr(a.name, b.name));
    let sum = 0, est = 0;
    for (const s of syms) {
      if (sum + s.size > pkg.bytes) break;
      pkg.children.push({ name: s.name, level: "symbol", kind: symbolKind(s.kind), bytes: s.size, estimated: s.estimated ? s.size : 0, sym: s, children: [], parent: pkg });
      sum += s.size;
      if (s.estimated) est += s.size;
    }
    const rest = pkg.bytes - sum;
    if (rest > 0) {
      pkg.children.push({ name: "rest of " + pkg.name, level: "rest", kind: pkg.kind, bytes: rest, estimated: Math.max(pkg.estimated - est, 0), children: [], parent: pkg });
    }
  }

  function cmpStr(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function sortNodes(ns) { ns.sort((a, b) => b.bytes - a.bytes || cmpStr(a.name, b.name)); }

  const fixed = { "debug info": "debug info", "symbol table": "symbol table", "dynamic linking": "dynamic linking" };
  const other = new Set(["headers and padding", "unattributed", "relocations", "unwind tables"]);
  function packageKind(p) {
    if (fixed[p.name]) return fixed[p.name];
    if (other.has(p.name)) return "other";
    const m = Math.max(p.code, p.functab, p.data);
    if (m === p.code) return "code";
    if (m === p.functab) return "function table";
    return "data";
  }
  function symbolKind(k) {
    return { code: "code", "go-metadata": "function table", debug: "debug info", symtab: "symbol table" }[k] || "data";
  }

  // squarify is analyze/treemap's Squarify, line for line: the
  // squarified layout of Bruls, Huizing and van Wijk, largest first, ties
  // in input order; rectangles in the order of weights.
  function squarify(weights, r) {
    const out = weights.map(() => ({ x: r.x, y: r.y, w: 0, h: 0 }));
    const order = [];
    let total = 0;
    weights.forEach((w, i) => { if (w > 0 && isFinite(w)) { order.push(i); total += w; } });
    if (order.length === 0 || r.w <= 0 || r.h <= 0) return out;
    order.sort((a, b) => weights[b] - weights[a] || a - b);
    const scale = (r.w * r.h) / total;
    const area = (i) => weights[i] * scale;
    let rest = { x: r.x, y: r.y, w: r.w, h: r.h };
    for (let start = 0; start < order.length;) {
      const side = Math.min(rest.w, rest.h);
      let end = start + 1, sum = area(order[start]);
      let best = worst(order.slice(start, end), sum, side, area);
      while (end < order.length) {
        const s = sum + area(order[end]);
        const w = worst(order.slice(start, end + 1), s, side, area);
        if (w > best) break;
        end++; sum = s; best = w;
      }
      rest = layRow(out, order.slice(start, end), rest, area, end === order.length);
      start = end;
    }
    return out;
  }
  function worst(row, sum, side, area) {
    if (sum <= 0 || side <= 0) return Infinity;
    const thick = sum / side;
    let w = 0;
    for (const i of row) {
      const long = area(i) / thick;
      w = Math.max(w, Math.max(long / thick, thick / long));
    }
    return w;
  }
  function layRow(out, row, rest, area, last) {
    let rowSum = 0;
    for (const i of row) rowSum += area(i);
    if (rest.w >= rest.h) {
      const thick = last ? rest.w : rowSum / rest.h;
      let y = rest.y;
      row.forEach((i, k) => {
        const h = k === row.length - 1 ? rest.y + rest.h - y : (area(i) / rowSum) * rest.h;
        out[i] = { x: rest.x, y: y, w: thick, h: h };
        y += h;
      });
      return { x: rest.x + thick, y: rest.y, w: rest.w - thick, h: rest.h };
    }
    const thick = last ? rest.h : rowSum / rest.w;
    let x = rest.x;
    row.forEach((i, k) => {
      const w = k === row.length - 1 ? rest.x + rest.w - x : (area(i) / rowSum) * rest.w;
      out[i] = { x: x, y: rest.y, w: w, h: thick };
      x += w;
    });
    return { x: rest.x, y: rest.y + thick, w: rest.w, h: rest.h - thick };
  }

  let report, root, total, changes = null;
  const map = document.getElementById("map");
  const tip = document.getElementById("tip");
  const crumbs = document.getElementById("crumbs");
  const search = document.getElementById("search");
  const tbody = document.querySelector("#table tbody");
  let current = null;
  let sortKey = "bytes", sortDir = -1;

  // The rows of a diff by name, for a tile's change: packages, modules,
  // and symbols when both sides had them.
  function changesOf(d) {
    const byName = (rows) => new Map((rows || []).map((r) => [r.name, r]));
    return { packages: byName(d.packages), modules: byName(d.modules), symbols: byName(d.symbols), removed: (d.packages || []).filter((r) => r.status === "removed"), unchanged: d.unchanged };
  }
  function changeOf(n) {
    if (!changes) return null;
    if (n.level === "module") return changes.modules.get(n.name) || null;
    if (n.level === "symbol") return changes.symbols.get(n.name) || null;
    if (n.level === "rest") return null;
    return changes.packages.get(n.name) || changes.modules.get(n.name) || null;
  }
  function changeStatus(n) {
    let c = changeOf(n);
    if (!c && n.level === "rest") c = changeOf(n.parent);
    if (!c && isDiff && page.min_delta > 0) return "below --min-delta";
    if (!c || c.delta === 0) return "unchanged";
    if (c.status === "added") return "added";
    // analyze/diff's Row.Comparable: a change its estimate could explain
    // (a build and its -s -w twin share unnamed data out differently) is
    // not growth to blame.
    const oe = c.old_estimated_bytes || 0, ne = c.new_estimated_bytes || 0;
    if (oe !== ne && Math.abs(c.delta) <= Math.max(oe, ne)) return "within estimate";
    return c.delta > 0 ? "grown" : "shrunk";
  }
  function signed(n) { return n === 0 ? "±0" : (n > 0 ? "+" : "") + humanSize(n); }

  function share(n) { return total > 0 ? (100 * n.bytes) / total : 0; }
  function pct(p) { return p >= 10 ? p.toFixed(0) + "%" : p.toFixed(1) + "%"; }
  function pathOf(n) { const p = []; for (let x = n; x; x = x.parent) p.unshift(x); return p; }

  function evidence(n) {
    if (n.level === "symbol") {
      return n.sym.estimated ? "estimated: its size is inferred from where the next symbol starts" : "exact: the size the symbol table records";
    }
    const e = n.row && n.row.evidence;
    if (!e) return n.estimated > 0 ? "estimated in part" : "exact: known by its section";
    const parts = [];
    const names = { function_table: "function table", symbols: "symbols", dwarf: "DWARF", types: "type descriptors", references: "references from code and data" };
    for (const k in names) if (e[k] > 0) parts.push(names[k] + " " + e[k]);
    let s = parts.length ? "exact " + (n.bytes - n.estimated) + " (" + parts.join(", ") + ")" : "";
    if (n.estimated > 0) s += (s ? "; " : "") + "estimated " + n.estimated + " (data and tables shared out in proportion to code)";
    return s || "exact";
  }

  function tipText(n) {
    const lines = [n.name, humanSize(n.bytes) + " · " + n.bytes + " bytes · " + pct(share(n)) + " of the file"];
    lines.push(n.estimated > 0 ? n.estimated + " bytes estimated" : "exact");
    if (isDiff) {
      const c = changeOf(n);
      lines.push(c ? c.status + ": " + c.old + " → " + c.new + " bytes, " + signed(c.delta) + (c.percent !== null && c.percent !== undefined ? " (" + (c.percent > 0 ? "+" : "") + c.percent.toFixed(1) + "%)" : "") : "unchanged");
    }
    if (n.level !== "module" && n.level !== "binary") lines.push(evidence(n));
    return lines;
  }
  function showTip(n, ev) {
    tip.replaceChildren(...tipText(n).map((l, i) => { const d = document.createElement("div"); d.textContent = l; if (i === 0) d.style.fontWeight = "bold"; return d; }));
    tip.hidden = false;
    const x = ev && ev.clientX !== undefined ? ev.clientX : 0, y = ev && ev.clientY !== undefined ? ev.clientY : 0;
    tip.style.left = Math.min(x + 12, window.innerWidth - 430) + "px";
    tip.style.top = Math.min(y + 12, window.innerHeight - 120) + "px";
  }
  function hideTip() { tip.hidden = true; }

  function tile(n, r, group, depth) {
    const d = document.createElement("div");
    d.className = "t " + (group ? "g" : "leaf");
    if (n.kind === "other") d.classList.add("other");
    if (!group && isDiff) {
      const st = changeStatus(n);
      d.style.background = changeColors[st];
      d.dataset.change = st;
    } else if (!group) {
      d.style.background = kinds.colors[n.kind || n.tileKind] || "#777";
      if (n.estimated > 0 && n.bytes > 0) {
        // The estimated part, hatched at the tile's bottom, in proportion.
        const e = document.createElement("div");
        e.className = "estpart";
        e.style.height = (100 * n.estimated) / n.bytes + "%";
        d.appendChild(e);
      }
    }
    d.style.left = r.x + "px"; d.style.top = r.y + "px"; d.style.width = r.w + "px"; d.style.height = r.h + "px";
    // A border and padding would make a sliver wider than its bytes.
    if (r.w < 8 || r.h < 8) d.classList.add("tiny");
    d.dataset.name = n.name;
    d.dataset.bytes = n.bytes;
    d.dataset.level = n.level;
    d.dataset.depth = depth; // 1: a child of the view's node, 2: a grandchild
    d.dataset.parent = n.parent ? n.parent.name : "";
    if (n.children.length > 0) { d.tabIndex = 0; d.classList.add("zoom"); d.setAttribute("role", "treeitem"); }
    if (r.w > 30 && r.h > 13) {
      const l = document.createElement("div");
      l.className = "lbl";
      l.textContent = shortName(n) + (r.h > 26 || group ? " " + humanSize(n.bytes) : "");
      d.appendChild(l);
    }
    d._node = n;
    return d;
  }

  // shortName is a tile's label: a package's path within its module, a
  // symbol's name from its package's last element, what the tile's group
  // already says left out. The tooltip and the table have the whole name.
  function shortName(n) {
    const p = n.parent;
    if (n.level === "package" && p && p.level === "module" && n.name.startsWith(p.name + "/")) return n.name.slice(p.name.length + 1);
    if (n.level === "symbol" || n.level === "rest") {
      const i = n.name.lastIndexOf("/");
      if (i >= 0) return (n.level === "rest" ? "rest of " : "") + n.name.slice(i + 1);
    }
    return n.name;
  }

  function render() {
    const W = map.clientWidth, H = map.clientHeight;
    const frag = document.createDocumentFragment();
    const kids = current.children.length ? current.children : [current];
    const rects = squarify(kids.map((k) => k.bytes), { x: 0, y: 0, w: W, h: H });
    kids.forEach((k, i) => {
      const r = rects[i];
      if (r.w * r.h < 1) return;
      if (k.children.length > 0 && r.w > 60 && r.h > 40) {
        frag.appendChild(tile(k, r, true, 1));
        const inner = { x: r.x + 1, y: r.y + 16, w: r.w - 2, h: r.h - 17 };
        const rs = squarify(k.children.map((c) => c.bytes), inner);
        k.children.forEach((c, j) => { if (rs[j].w * rs[j].h >= 1) frag.appendChild(tile(c, rs[j], false, 2)); });
      } else {
        frag.appendChild(tile(k, r, false, 1));
      }
    });
    map.replaceChildren(frag);
    renderCrumbs();
    renderTable();
    applySearch();
  }

  function renderCrumbs() {
    const p = pathOf(current);
    crumbs.replaceChildren(...p.map((n, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = (i === 0 ? "all" : n.name) + " " + humanSize(n.bytes);
      b.dataset.name = n.name;
      if (i < p.length - 1) b.addEventListener("click", () => zoom(n));
      else b.setAttribute("aria-current", "true");
      return b;
    }));
  }

  // The table's columns: the view's tiles, and in a diff their change.
  const columns = isDiff
    ? [["name", "name", (n) => n.name, (v) => v],
       ["old", "old", (n) => { const c = changeOf(n); return c ? c.old : n.bytes; }, (v) => humanSize(v)],
       ["bytes", "new", (n) => n.bytes, (v) => humanSize(v)],
       ["delta", "delta", (n) => { const c = changeOf(n); return c ? c.delta : 0; }, signed]]
    : [["name", "name", (n) => n.name, (v) => v],
       ["bytes", "size", (n) => n.bytes, (v) => humanSize(v)],
       ["share", "share", (n) => n.bytes, (v) => pct((100 * v) / total)],
       ["estimated", "estimated", (n) => n.estimated, (v) => (v > 0 ? humanSize(v) : "–")]];
  const head = document.querySelector("#table thead tr");
  head.replaceChildren(...columns.map(([key, label]) => {
    const th = document.createElement("th");
    th.dataset.key = key;
    th.tabIndex = 0;
    th.textContent = label;
    if (key !== "name") th.className = "num";
    th.addEventListener("click", () => sortBy(key));
    th.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(key); } });
    return th;
  }));

  function renderTable() {
    const rows = current.children.slice();
    const col = columns.find((c) => c[0] === sortKey) || columns[1];
    rows.sort((a, b) => { const x = col[2](a), y = col[2](b); return (x < y ? -1 : x > y ? 1 : 0) * sortDir || cmpStr(a.name, b.name); });
    tbody.replaceChildren(...rows.map((n) => {
      const tr = document.createElement("tr");
      tr.dataset.name = n.name;
      tr.dataset.bytes = n.bytes;
      if (isDiff) tr.dataset.change = changeStatus(n);
      columns.forEach(([key, , get, show]) => {
        const td = document.createElement("td");
        td.textContent = show(get(n));
        td.className = key === "name" ? "name" : "num";
        if (key !== "name") td.title = get(n) + " bytes";
        tr.appendChild(td);
      });
      if (n.children.length > 0) { tr.tabIndex = 0; tr.addEventListener("click", () => zoom(n)); tr.addEventListener("keydown", (e) => { if (e.key === "Enter") zoom(n); }); }
      return tr;
    }));
    for (const th of head.children) {
      th.setAttribute("aria-sort", th.dataset.key === sortKey ? (sortDir < 0 ? "descending" : "ascending") : "none");
    }
  }

  function sortBy(k) {
    if (sortKey === k) sortDir = -sortDir; else { sortKey = k; sortDir = k === "name" ? 1 : -1; }
    renderTable();
    applySearch();
  }

  function applySearch() {
    const q = search.value.trim().toLowerCase();
    map.classList.toggle("searching", q !== "");
    let inView = 0;
    for (const d of map.querySelectorAll(".t")) {
      const m = q !== "" && d.dataset.name.toLowerCase().includes(q);
      d.classList.toggle("match", m);
      if (m) inView++;
    }
    for (const tr of tbody.rows) tr.classList.toggle("match", q !== "" && tr.dataset.name.toLowerCase().includes(q));
    let all = 0;
    if (q !== "") { const walk = (n) => { if (n !== root && n.name.toLowerCase().includes(q)) all++; n.children.forEach(walk); }; walk(root); }
    document.getElementById("matches").textContent = q === "" ? "" : all + " match" + (all === 1 ? "" : "es") + ", " + inView + " in view";
  }
  search.addEventListener("input", applySearch);

  // zoom draws n's view; from the keyboard, focus goes to its first
  // tile, so that Tab and Enter go on from there.
  function zoom(n, byKey) {
    if (!n || n.children.length === 0) return;
    current = n;
    hideTip();
    render();
    const first = map.querySelector(".t[tabindex]");
    if (byKey && first) first.focus();
  }
  function target(d) {
    let n = d._node;
    if (n.children.length === 0) n = n.parent;
    return n;
  }
  map.addEventListener("click", (e) => {
    const d = e.target.closest(".t");
    if (d) zoom(target(d));
  });
  map.addEventListener("keydown", (e) => {
    const d = e.target.closest(".t");
    if (d && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); zoom(target(d), true); }
  });
  document.addEventListener("keydown", (e) => {
    if ((e.key === "Escape" || (e.key === "Backspace" && e.target !== search)) && current.parent) { e.preventDefault(); zoom(current.parent, true); }
  });
  map.addEventListener("mousemove", (e) => { const d = e.target.closest(".t"); if (d) showTip(d._node, e); else hideTip(); });
  map.addEventListener("mouseleave", hideTip);
  // A tooltip for a tile reached from the keyboard (not for a click).
  map.addEventListener("focusin", (e) => { const d = e.target.closest(".t"); if (d && d.matches(":focus-visible")) { const r = d.getBoundingClientRect(); showTip(d._node, { clientX: r.left, clientY: r.top }); } });
  map.addEventListener("focusout", hideTip);

  // The sections of the file as one bar (a compare cell has none).
  function renderSections() {
    const bar = document.getElementById("sections");
    const secColor = { code: "code", rodata: "data", data: "data", "go-metadata": "function table", symtab: "symbol table", debug: "debug info" };
    const secs = (report.sections || []).filter((s) => s.file_size > 0).map((s) => [s.name + " (" + s.kind + ")", s.file_size, kinds.colors[secColor[s.kind] || "other"]]);
    if (report.headers_and_padding > 0) secs.push(["headers and padding", report.headers_and_padding, kinds.colors.other]);
    if (report.symbol_table_outside_sections > 0) secs.push(["symbol table outside sections", report.symbol_table_outside_sections, kinds.colors["symbol table"]]);
    bar.hidden = secs.length === 0;
    bar.replaceChildren(...secs.map(([name, size, color]) => {
      const d = document.createElement("div");
      d.style.flex = size + " 0 0";
      d.style.background = color;
      d.title = name + ": " + humanSize(size) + ", " + size + " bytes";
      return d;
    }));
  }
  function swatch(color, label, hatch) {
    const s = document.createElement("span");
    const i = document.createElement("i");
    i.style.background = color;
    if (hatch) i.style.backgroundImage = "repeating-linear-gradient(45deg, rgba(255,255,255,.45) 0 3px, transparent 3px 6px)";
    s.append(i, label);
    return s;
  }
  document.getElementById("legend").replaceChildren(...(isDiff
    ? Object.keys(changeColors).map((k) => swatch(changeColors[k], k))
    : kinds.order.map((k) => swatch(kinds.colors[k], k)).concat([swatch("#777", "estimated", true)])));

  // The rows a diff removed: no tile in NEW has them.
  function renderRemoved() {
    const box = document.getElementById("removed");
    if (!changes || changes.removed.length === 0) { box.replaceChildren(); return; }
    const h = document.createElement("h2");
    h.textContent = "Removed packages";
    const ul = document.createElement("ul");
    for (const r of changes.removed) {
      const li = document.createElement("li");
      li.dataset.name = r.name;
      li.textContent = r.name + " " + humanSize(r.old) + " (" + r.old + " bytes)";
      ul.appendChild(li);
    }
    box.replaceChildren(h, ul);
  }

  // load draws a size report, with the changes of a diff when it is one.
  function load(r, d) {
    report = r;
    changes = d ? changesOf(d) : null;
    root = build(r);
    total = r.size;
    current = root;
    renderSections();
    renderRemoved();
    render();
  }

  // A compare cell as the size report it carries: its package rows.
  function cellReport(c) {
    return { path: c.label || c.id, size: c.size, packages: c.packages || [], sections: [], symbols: [] };
  }
  // A compare report: the matrix as a chart, one bar per cell stacked by
  // kind, with badges; the headline and the option effects; a click on a
  // bar draws that cell's treemap below.
  function renderMatrix() {
    document.getElementById("matrix").hidden = false;
    document.getElementById("headline").textContent = page.headline ? page.headline.text : "";
    const cells = page.cells || [];
    const max = Math.max(1, ...cells.map((c) => c.size || 0));
    const chart = document.getElementById("chart");
    const bars = cells.map((c) => {
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.dataset.id = c.id;
      bar.setAttribute("role", "listitem");
      const size = document.createElement("div");
      size.className = "size";
      size.textContent = c.status === "ok" ? humanSize(c.size) : c.status;
      const stack = document.createElement("div");
      stack.className = "stack";
      const by = {};
      for (const p of c.packages || []) { const k = packageKind(p); by[k] = (by[k] || 0) + p.size; }
      let sum = 0;
      for (const k of kinds.order) {
        if (!by[k]) continue;
        sum += by[k];
        const seg = document.createElement("div");
        seg.style.height = (150 * by[k]) / max + "px";
        seg.style.background = kinds.colors[k];
        seg.title = k + ": " + humanSize(by[k]) + ", " + by[k] + " bytes";
        seg.dataset.kind = k;
        seg.dataset.bytes = by[k];
        stack.appendChild(seg);
      }
      if (c.status === "ok" && sum < c.size) {
        const seg = document.createElement("div");
        seg.style.height = (150 * (c.size - sum)) / max + "px";
        seg.style.background = "#777";
        seg.title = "not attributed in the report: " + (c.size - sum) + " bytes";
        stack.appendChild(seg);
      }
      const cap = document.createElement("div");
      cap.className = "cap";
      cap.textContent = c.label || c.id;
      const badges = document.createElement("div");
      badges.className = "badges";
      const badge = (text, cls, title) => { const b = document.createElement("span"); b.className = "badge " + cls; b.textContent = text; if (title) b.title = title; badges.appendChild(b); };
      const b = c.binary;
      if (b) {
        badge(b.linkage || b.format, b.linkage === "dynamic" ? "warn" : "good");
        badge(b.stripped ? "stripped" : b.debug_info ? "debug info" : "not stripped", b.stripped ? "good" : "");
        const ct = b.container || {};
        for (const base of ["scratch", "alpine"]) {
          if (!ct[base]) continue;
          const v = ct[base].verdict;
          badge(base + ": " + v, v === "ready" ? "good" : v === "will not start" ? "bad" : "warn", (ct[base].reasons || []).map((r) => r.finding).join("\n"));
        }
      } else if (c.reason) {
        badge(c.status, "bad", c.reason);
      }
      bar.append(size, stack, cap, badges);
      if (c.status === "ok" && (c.packages || []).length) {
        bar.tabIndex = 0;
        const pick = () => { for (const x of bars) x.removeAttribute("aria-current"); bar.setAttribute("aria-current", "true"); load(cellReport(c), null); };
        bar.addEventListener("click", pick);
        bar.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
      } else {
        bar.classList.add("failed");
      }
      return bar;
    });
    chart.replaceChildren(...bars);
    const eff = document.getElementById("effects");
    const rows = (page.effects || []).map((e) => {
      const tr = document.createElement("tr");
      for (const t of [e.option, e.against || "", (e.delta > 0 ? "+" : "") + humanSize(e.delta), (e.percent > 0 ? "+" : "") + e.percent.toFixed(1) + "%", e.pairs + " pair" + (e.pairs === 1 ? "" : "s")]) {
        const td = document.createElement("td");
        td.textContent = t;
        tr.appendChild(td);
      }
      return tr;
    });
    if (rows.length) {
      const head = document.createElement("tr");
      for (const t of ["option", "against", "median", "%", "over"]) { const th = document.createElement("th"); th.textContent = t; head.appendChild(th); }
      eff.replaceChildren(head, ...rows);
    }
    const first = bars.find((x) => x.tabIndex === 0);
    if (first) first.click(); else load({ path: "", size: 0, packages: [] }, null);
  }

  if (!isDiff && page.cells) {
    renderMatrix();
  } else if (!isDiff) {
    load(page, null);
  } else if (page.kind === "size") {
    load(newSide, page);
  } else {
    const pick = document.getElementById("cell");
    const cells = (page.cells || []).filter((c) => c.diff && (newSide.cells || []).some((n) => n.id === c.id && n.status === "ok"));
    for (const c of cells) {
      const o = document.createElement("option");
      o.value = c.id;
      const n = newSide.cells.find((x) => x.id === c.id);
      o.textContent = (n.label || c.id) + " " + signed(c.diff.delta);
      pick.appendChild(o);
    }
    document.getElementById("cellpick").hidden = false;
    const show = () => {
      const c = cells.find((x) => x.id === pick.value);
      if (c) load(cellReport(newSide.cells.find((x) => x.id === c.id)), c.diff);
    };
    pick.addEventListener("change", show);
    if (cells.length) show(); else load({ path: page.new, size: 0, packages: [] }, null);
  }

  // The size history (check --history): one line chart per cell, a point
  // per run from oldest to this one, on a scale from the cell's smallest
  // size to its largest; each point's title gives the commit and the
  // bytes. A cell that drifted is outlined in red.
  const svgNS = "http://www.w3.org/2000/svg";
  function renderHistory(h) {
    const sec = document.getElementById("history");
    sec.hidden = false;
    document.getElementById("historynote").textContent = "The last " + h.window + " runs of " + h.file +
      " (this one last): growth beyond " + h.max_drift_percent + "% over them, with no single step over its gate, is drift.";
    const W = 248, H = 60, pad = 4;
    const boxes = (h.cells || []).map((t) => {
      const box = document.createElement("div");
      box.className = "trend" + (t.drift ? " drift" : "");
      box.dataset.id = t.id;
      box.setAttribute("role", "listitem");
      const cap = document.createElement("div");
      cap.className = "cap";
      cap.textContent = t.label || t.id;
      const g = document.createElement("div");
      g.className = "growth";
      const sizes = t.sizes || [];
      g.textContent = sizes.length > 1
        ? signed(t.growth) + " (" + (t.growth_percent >= 0 ? "+" : "") + t.growth_percent.toFixed(1) + "%) over " + sizes.length + " runs" + (t.drift ? ": drift" : "")
        : "one run: no trend yet";
      const svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("width", W);
      svg.setAttribute("height", H);
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "sizes of " + (t.label || t.id) + ": " + sizes.map(humanSize).join(", "));
      const lo = Math.min(...sizes), hi = Math.max(...sizes);
      const x = (i) => sizes.length > 1 ? pad + (i * (W - 2 * pad)) / (sizes.length - 1) : W / 2;
      const y = (v) => hi > lo ? H - pad - ((v - lo) * (H - 2 * pad)) / (hi - lo) : H / 2;
      const line = document.createElementNS(svgNS, "polyline");
      line.setAttribute("points", sizes.map((v, i) => x(i).toFixed(1) + "," + y(v).toFixed(1)).join(" "));
      svg.appendChild(line);
      sizes.forEach((v, i) => {
        const c = document.createElementNS(svgNS, "circle");
        c.setAttribute("cx", x(i).toFixed(1));
        c.setAttribute("cy", y(v).toFixed(1));
        c.setAttribute("r", 2.5);
        c.dataset.bytes = v;
        const title = document.createElementNS(svgNS, "title");
        title.textContent = ((t.commits || [])[i] || "").slice(0, 12) + ": " + humanSize(v) + ", " + v + " bytes";
        c.appendChild(title);
        svg.appendChild(c);
      });
      box.append(cap, g, svg);
      return box;
    });
    document.getElementById("trends").replaceChildren(...boxes);
  }
  if (history) renderHistory(history);

  // Drawn again when the map's size changes (the window, the fonts).
  let drawn = "";
  new ResizeObserver(() => {
    const size = map.clientWidth + "x" + map.clientHeight;
    if (size !== drawn) { drawn = size; render(); }
  }).observe(map);
  drawn = map.clientWidth + "x" + map.clientHeight;
  const firstView = performance.now(); // from navigation start: the page parsed, the report read, the first view laid out

  // For the browser tests: the layout, the tree and the zoom.
  window.binscope = {
    squarify: squarify,
    humanSize: humanSize,
    current: () => pathOf(current).map((n) => n.name),
    pickBar: (id) => { const b = document.querySelector('#chart .bar[data-id="' + id + '"]'); if (b) b.click(); return !!b; },
    pickCell: (id) => { const p = document.getElementById("cell"); p.value = id; p.dispatchEvent(new Event("change")); return p.value === id; },
    zoomTo: (names) => { let n = root; for (const name of names) { n = n.children.find((c) => c.name === name); if (!n) return false; } zoom(n); return true; },
    mapSize: () => [map.clientWidth, map.clientHeight],
    firstView: () => firstView,
    tiles: () => map.childElementCount,
    // Each history chart's points, as [bytes, cx, cy], by cell id.
    historyPoints: (id) => { const b = document.querySelector('#trends .trend[data-id="' + id + '"]'); return b ? [...b.querySelectorAll("circle")].map((c) => [Number(c.dataset.bytes), Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]) : null; },
    ready: true,
  };
})();
