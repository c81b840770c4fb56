package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/binscope/binscope/analyze"
	"github.com/binscope/binscope/analyze/container"
)

// checkBase fails with a usage error unless name is "" or a key of the
// base table.
func checkBase(name string) error {
	if name == "" || slices.Contains(container.BaseKeys(), name) {
		return nil
	}
	return usageErrorf("invalid --base %q: want one of %s", name, strings.Join(container.BaseKeys(), ", "))
}

// limitContainer keeps only the named base's verdict in each binary, for
// --base. An empty name keeps them all.
func limitContainer(bins []analyze.Binary, name string) {
	if name == "" {
		return
	}
	for i := range bins {
		if bins[i].Container == nil {
			continue
		}
		bins[i].Container = map[string]container.Readiness{name: bins[i].Container[name]}
	}
}

// renderContainerText writes inspect's container readiness section: one
// line per base with its verdict, and under it each reason with its fix.
func renderContainerText(w io.Writer, b analyze.Binary) {
	if b.Container == nil && b.ContainerNote == "" {
		return // a report from before container checks existed
	}
	fmt.Fprintln(w, "  container readiness")
	if b.Container == nil {
		fmt.Fprintf(w, "    %s\n\n", b.ContainerNote)
		return
	}
	// A note that every base shares (not a Go binary, say), or that the
	// Go function table cannot be read, is said once.
	shared := map[string]bool{}
	first := true
	for _, r := range b.Container {
		here := map[string]bool{}
		for _, x := range r.Reasons {
			if x.Level == container.LevelNote || x.Check == container.CheckGo {
				here[x.Finding] = true
			}
		}
		if first {
			shared, first = here, false
			continue
		}
		for f := range shared {
			if !here[f] {
				delete(shared, f)
			}
		}
	}
	if len(b.Container) > 1 {
		for _, base := range container.Bases {
			r, ok := b.Container[base.Key]
			if !ok {
				continue
			}
			for _, x := range r.Reasons {
				if shared[x.Finding] {
					fmt.Fprintf(w, "    %s: %s\n", x.Level, x.Finding)
					if x.Fix != "" {
						fmt.Fprintf(w, "    fix: %s\n", x.Fix)
					}
				}
			}
			break
		}
	} else {
		shared = map[string]bool{}
	}
	width := 0
	for _, base := range container.Bases {
		if _, ok := b.Container[base.Key]; ok {
			width = max(width, len(base.Key))
		}
	}
	for _, base := range container.Bases {
		r, ok := b.Container[base.Key]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "    %-*s  %s\n", width, base.Key, r.Verdict)
		var own []container.Reason
		for _, x := range r.Reasons {
			if !shared[x.Finding] {
				own = append(own, x)
			}
		}
		renderReasons(w, "      ", own)
	}
	fmt.Fprintln(w)
}

// renderReasons writes reasons as "LEVEL  finding" lines, each followed by
// its fix, indented under the finding.
func renderReasons(w io.Writer, indent string, reasons []container.Reason) {
	for _, x := range reasons {
		fmt.Fprintf(w, "%s%-7s  %s\n", indent, x.Level, x.Finding)
		if x.Fix != "" {
			fmt.Fprintf(w, "%s%-7s  fix: %s\n", indent, "", x.Fix)
		}
	}
}

// readinessCell is a binary's verdict on one base in a word, for
// compare's table: ready, unknown, files (needs files) or no (will not
// start); "-" where Linux container checks do not apply.
func readinessCell(p palette, b analyze.Binary, base string) string {
	r, ok := b.Container[base]
	if !ok {
		return "-"
	}
	switch r.Verdict {
	case container.VerdictReady:
		return p.good("ready")
	case container.VerdictNeedsFiles:
		return p.warn("files")
	case container.VerdictUnknown:
		return p.warn("unknown")
	case container.VerdictWillNotStart:
		return p.bad("no")
	}
	return string(r.Verdict)
}
