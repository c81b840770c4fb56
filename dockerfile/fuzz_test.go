package dockerfile

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary input: it must never panic, every
// instruction it returns must lie within the input's lines, and following
// the result (Evaluate, ContextCandidates, output paths) must not panic
// either. Crashers found are kept in testdata/fuzz/FuzzParse as seeds.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"FROM golang:1.19 AS builder\nWORKDIR /src\nCOPY pomo/ pomo/\nRUN CGO_ENABLED=0 go build -ldflags=\"-s -w\" -tags=containers\nFROM scratch\nCOPY --from=builder /src/pomo /pomo\nCMD [\"/pomo\"]\n",
		"# escape=`\nFROM x\nRUN a `\n b\n",
		"FROM x\nRUN <<EOF\ngo build\nEOF\nCOPY <<A <<-B /x/\n1\nA\n\t2\n\tB\n",
		"ARG A=${B:-${C:+d}}\nFROM ${A}\nENV X=\"$A\" Y='$A'\nRUN export Z=$(echo $X) && cd \"$Z\" && env -u Q W=1 go build -C .. -o ../out/\n",
		"FROM x\nRUN sh -c 'bash -c \"go install ./...\"'\nRUN [\"sh\",\"-c\",\"go build\"]\n",
		"FROM x\nRUN \\\n",
		"FROM x\nRUN echo $\nRUN echo ${\nRUN echo $(\nRUN echo `\nRUN echo \"\nRUN echo '\n",
		"FROM x\nRUN cat <<EOF>f\nEOF\n",
		"FROM --platform= x AS\nCOPY --from= a\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseBytes(data)
		if err != nil {
			if file != nil {
				t.Fatal("Parse returned a File with an error")
			}
			return
		}
		n := bytes.Count(data, []byte("\n")) + 1
		for _, in := range file.Instructions {
			if in.Line < 1 || in.EndLine < in.Line || in.EndLine > n {
				t.Fatalf("%s at lines %d-%d of a %d-line input", in.Cmd, in.Line, in.EndLine, n)
			}
			if !knownInstructions[in.Cmd] {
				t.Fatalf("unknown instruction %q accepted", in.Cmd)
			}
			for off := 0; off <= len(in.Rest); off += 1 + len(in.Rest)/8 {
				if l := in.LineAt(off); l < in.Line || l > in.EndLine {
					t.Fatalf("LineAt(%d) = %d, outside %d-%d", off, l, in.Line, in.EndLine)
				}
			}
		}
		p := file.Evaluate(Options{BuildArgs: map[string]string{"A": "x"}})
		for _, g := range p.GoBuilds {
			out := g.OutputPath(g.DefaultName())
			if !strings.HasPrefix(out, "/") {
				t.Fatalf("output path %q is not absolute", out)
			}
			for _, c := range p.ContextCandidates(g.Stage, g.Dir) {
				if strings.HasPrefix(c, "..") || strings.HasPrefix(c, "/") {
					t.Fatalf("context candidate %q leaves the context", c)
				}
			}
			_ = g.StripsDWARF()
			_ = g.ExternalStatic()
		}
	})
}
