// Command loader only starts: it needs the dynamic loader and libraries.
package main

import "probes/internal/probe"

func main() { probe.Run(func() error { return nil }) }
