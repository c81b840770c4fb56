package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(opts *globalOptions) *cobra.Command {
	formats := formatsOf(func(w io.Writer, v version) error {
		_, err := io.WriteString(w, versionText(v))
		return err
	})
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print binscope's version, from its build info",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := formats.check(opts); err != nil {
				return err
			}
			return formats.emit(opts, versionInfo())
		},
	}
	formats.flag(cmd, opts)
	return cmd
}

type version struct {
	SchemaVersion int    `json:"schema_version"`
	Version       string `json:"version"`
	Module        string `json:"module"`
	GoVersion     string `json:"go_version"`
	Revision      string `json:"revision,omitempty"`
	Modified      bool   `json:"modified,omitempty"`
}

func versionInfo() version {
	v := version{SchemaVersion: 1, Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Version, v.Module, v.GoVersion = bi.Main.Version, bi.Main.Path, bi.GoVersion
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// versionText is the version as text, for the version command and for
// binscope --version.
func versionText(v version) string {
	s := fmt.Sprintf("binscope %s (%s, %s)\n", v.Version, v.GoVersion, v.Module)
	if v.Revision != "" {
		s += fmt.Sprintf("revision %s%s\n", v.Revision, map[bool]string{true: " (modified)"}[v.Modified])
	}
	return s
}
