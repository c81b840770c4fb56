// Command binscope tells Go developers what their binary is, where its
// bytes go, and what each build option does to it.
//
//	binscope inspect FILE...     what a binary is: format, linkage, stripping, hardening,
//	                             Go build info, and whether it starts FROM scratch or alpine
//	binscope compare [TARGET]    build a program (folder, import path, pattern, pkg@version) under a
//	                             matrix of options; what each costs or saves
//	binscope merge REPORT...     join the shard reports of compare --shard
//	binscope size FILE           where the bytes go: by section, package, module or symbol
//	binscope diff OLD NEW        what changed between two binaries or two reports
//	binscope check [BINARY|TARGET]
//	                             size budgets for CI (.binscope.yaml), against limits and a baseline
//	binscope dockerfile [FILE]   whether a Dockerfile's go build fits the base it ships on
//	binscope version             binscope's own version
//
// Every command takes --format (text or json; some add more) and
// -o/--output FILE, which writes the result atomically. Results go to
// standard output, diagnostics to standard error.
//
// Exit status, the same for every command:
//
//	0  success
//	1  the command ran but failed or found a problem: an input file missing,
//	   unreadable or malformed, a build that failed, a budget that failed
//	2  the command line or a config file could not be understood, or names
//	   no program to build (a library, a pattern of several main packages)
package main
