package dockerfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// inst is the part of an Instruction the table tests compare.
type inst struct {
	Cmd      string
	Line     int
	EndLine  int
	Flags    []Flag
	JSON     bool
	BadJSON  bool
	Args     []string
	Heredocs []string // names and bodies, "NAME:BODY"
}

func summarize(f *File) []inst {
	var out []inst
	for _, in := range f.Instructions {
		s := inst{Cmd: in.Cmd, Line: in.Line, EndLine: in.EndLine, Flags: in.Flags, JSON: in.JSON, BadJSON: in.BadJSON, Args: in.Args}
		for _, h := range in.Heredocs {
			s.Heredocs = append(s.Heredocs, h.Name+":"+h.Body)
		}
		out = append(out, s)
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		escape byte
		want   []inst
	}{
		{
			name: "seed multistage",
			src: "FROM golang:1.19 AS builder\nRUN mkdir /distributing \nWORKDIR /distributing\n" +
				"RUN CGO_ENABLED=0 GOOS=linux go build -ldflags=\"-s -w\" -tags=containers\n\n" +
				"FROM alpine:latest \nCOPY --chown=pomo /pomo/pomo .\nCMD [\"/app/pomo\"]\n",
			want: []inst{
				{Cmd: "FROM", Line: 1, EndLine: 1, Args: []string{"golang:1.19", "AS", "builder"}},
				{Cmd: "RUN", Line: 2, EndLine: 2, Args: []string{"mkdir", "/distributing"}},
				{Cmd: "WORKDIR", Line: 3, EndLine: 3, Args: []string{"/distributing"}},
				{Cmd: "RUN", Line: 4, EndLine: 4, Args: []string{"CGO_ENABLED=0", "GOOS=linux", "go", "build", `-ldflags="-s -w"`, "-tags=containers"}},
				{Cmd: "FROM", Line: 6, EndLine: 6, Args: []string{"alpine:latest"}},
				{Cmd: "COPY", Line: 7, EndLine: 7, Flags: []Flag{{Name: "chown", Value: "pomo", HasValue: true}}, Args: []string{"/pomo/pomo", "."}},
				{Cmd: "CMD", Line: 8, EndLine: 8, JSON: true, Args: []string{"/app/pomo"}},
			},
		},
		{
			name: "continuations drop comments and blank lines, trailing blanks allowed",
			src:  "from alpine\nrun apk add \\  \n    # a comment\n\n    gcc \\\n    musl-dev\n",
			want: []inst{
				{Cmd: "FROM", Line: 1, EndLine: 1, Args: []string{"alpine"}},
				{Cmd: "RUN", Line: 2, EndLine: 6, Args: []string{"apk", "add", "gcc", "musl-dev"}},
			},
		},
		{
			name:   "escape directive switches to backtick",
			src:    "# escape=`\nFROM mcr.microsoft.com/windows AS b\nRUN dir `\n  c:\\\n",
			escape: '`',
			want: []inst{
				{Cmd: "FROM", Line: 2, EndLine: 2, Args: []string{"mcr.microsoft.com/windows", "AS", "b"}},
				{Cmd: "RUN", Line: 3, EndLine: 4, Args: []string{"dir", `c:\`}},
			},
		},
		{
			name:   "a directive after a comment is a comment",
			src:    "# hello\n# escape=`\nFROM x\nRUN a \\\n b\n",
			escape: '\\',
			want: []inst{
				{Cmd: "FROM", Line: 3, EndLine: 3, Args: []string{"x"}},
				{Cmd: "RUN", Line: 4, EndLine: 5, Args: []string{"a", "b"}},
			},
		},
		{
			name: "heredocs: bodies are not instructions, <<- strips tabs, quoted names",
			src: "FROM golang AS b\nRUN <<EOF\nFROM nothing\n# not a comment\ngo build -o /x .\nEOF\n" +
				"RUN <<-'END' bash\n\techo $HOME\n\tEND\nCOPY <<A <<B /etc/\none\nA\ntwo\nB\n",
			want: []inst{
				{Cmd: "FROM", Line: 1, EndLine: 1, Args: []string{"golang", "AS", "b"}},
				{Cmd: "RUN", Line: 2, EndLine: 6, Args: []string{"<<EOF"}, Heredocs: []string{"EOF:FROM nothing\n# not a comment\ngo build -o /x .\n"}},
				{Cmd: "RUN", Line: 7, EndLine: 9, Args: []string{"<<-'END'", "bash"}, Heredocs: []string{"END:echo $HOME\n"}},
				{Cmd: "COPY", Line: 10, EndLine: 14, Args: []string{"<<A", "<<B", "/etc/"}, Heredocs: []string{"A:one\n", "B:two\n"}},
			},
		},
		{
			name: "exec form, and shell form when the JSON is not an array of strings",
			src:  "FROM x\nCMD [\"/app\", \"-v\"]\nENTRYPOINT [/app]\nRUN [\"a\", 1]\nCMD ['/app']\nRUN [ -f /x ] && echo\n",
			want: []inst{
				{Cmd: "FROM", Line: 1, EndLine: 1, Args: []string{"x"}},
				{Cmd: "CMD", Line: 2, EndLine: 2, JSON: true, Args: []string{"/app", "-v"}},
				{Cmd: "ENTRYPOINT", Line: 3, EndLine: 3, Args: []string{"[/app]"}},
				{Cmd: "RUN", Line: 4, EndLine: 4, BadJSON: true, Args: []string{`["a",`, "1]"}},
				{Cmd: "CMD", Line: 5, EndLine: 5, BadJSON: true, Args: []string{"['/app']"}},
				{Cmd: "RUN", Line: 6, EndLine: 6, Args: []string{"[", "-f", "/x", "]", "&&", "echo"}},
			},
		},
		{
			name: "ARG before FROM, flags on FROM and RUN, CRLF line ends, BOM",
			src:  "\xef\xbb\xbfARG V=1.22\r\nFROM --platform=$BUILDPLATFORM golang:${V} AS b\r\nRUN --mount=type=cache,target=/root/.cache go build .\r\n",
			want: []inst{
				{Cmd: "ARG", Line: 1, EndLine: 1, Args: []string{"V=1.22"}},
				{Cmd: "FROM", Line: 2, EndLine: 2, Flags: []Flag{{Name: "platform", Value: "$BUILDPLATFORM", HasValue: true}}, Args: []string{"golang:${V}", "AS", "b"}},
				{Cmd: "RUN", Line: 3, EndLine: 3, Flags: []Flag{{Name: "mount", Value: "type=cache,target=/root/.cache", HasValue: true}}, Args: []string{"go", "build", "."}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseBytes([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summarize(f), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("instructions (-want +got):\n%s", diff)
			}
			want := tc.escape
			if want == 0 {
				want = '\\'
			}
			if f.Escape != want {
				t.Errorf("escape = %q, want %q", f.Escape, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name          string
		src           string
		want          string
		notDockerfile bool
	}{
		{"empty", "", "not a Dockerfile: no instructions", true},
		{"comments only", "# syntax=docker/dockerfile:1\n# hi\n\n", "not a Dockerfile: no instructions", true},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00", "not a Dockerfile: binary data, not text", true},
		{"invalid utf-8", "FROM \xff\xfe\n", "not a Dockerfile: binary data, not text", true},
		{"a Go file", "package main\n\nfunc main() {}\n", `line 1: unknown instruction "package"`, true},
		{"unknown later", "FROM x\nFORM y\n", `line 2: unknown instruction "FORM"`, false},
		{"RUN first", "RUN echo\nFROM x\n", "line 1: RUN before the first FROM (a Dockerfile starts with FROM, or ARG then FROM)", true},
		{"ARG alone", "ARG GO=1.26\nARG BASE\n", "line 1: no FROM: a Dockerfile needs at least one build stage (FROM image)", false},
		{"unterminated heredoc", "FROM x\nRUN <<EOF\necho\n", `line 2: RUN: heredoc <<EOF has no terminating "EOF" line`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBytes([]byte(tc.src))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.want {
				t.Errorf("error = %q, want %q", err, tc.want)
			}
			if got := errors.Is(err, ErrNotDockerfile); got != tc.notDockerfile {
				t.Errorf("errors.Is(err, ErrNotDockerfile) = %v, want %v", got, tc.notDockerfile)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	big := strings.NewReader("FROM x\n" + strings.Repeat("#", MaxSize))
	if _, err := Parse(big); !errors.Is(err, ErrNotDockerfile) {
		t.Fatalf("Parse of %d bytes: %v, want ErrNotDockerfile", MaxSize+7, err)
	}
}
