// Command binscope tells Go developers what their binary is, where its
// bytes go, and what each build option does to it.
//
//	binscope inspect FILE...     what a binary is: format, linkage, stripping, hardening, Go build info
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
//	2  the command line or a config file could not be understood
package main
