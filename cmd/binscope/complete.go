package main

import (
	"github.com/binscope/binscope/buildmatrix"
	"github.com/spf13/cobra"
)

// completeValues makes a flag's shell completion offer values, not files.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	// Registering twice is an error cobra returns; every flag here is
	// registered once, by the command that defines it.
	_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	})
}

// completePlatforms offers the platforms go tool dist list names, asked
// when the shell completes, with the environment binscope runs in.
func completePlatforms(cmd *cobra.Command, flag string, opts *globalOptions) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(c *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		ps, err := buildmatrix.Platforms(c.Context(), "go", ".", opts.env)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.String()
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}
