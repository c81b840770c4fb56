// Package elfinfo reads the facts of an executable: its format (ELF, Mach-O,
// PE or WebAssembly), how it is linked, whether it is stripped, its sections, its
// hardening, and the Go build information it carries.
//
// The verdicts follow file(1), version 5.44 (Debian 12), to the letter, so
// that binscope and file never disagree about a binary:
//
//   - An ELF file is statically linked when it has no PT_DYNAMIC program
//     header; static-pie linked when it has one, with a DT_FLAGS_1 entry, no
//     DT_NEEDED entry and no PT_INTERP; dynamically linked otherwise. Like
//     file, only the first 8 KiB of the dynamic segment are read.
//   - An ET_DYN file is a "pie executable" when its DT_FLAGS_1 has DF_1_PIE,
//     a "shared object" when it has DT_FLAGS_1 without it, and, when it has
//     no dynamic segment at all, whatever the file's execute bit says.
//   - An ELF file has debug info when it has a section named exactly
//     .debug_info, and is stripped when it has neither that nor a section of
//     type SHT_SYMTAB.
//   - The summary is file's line to the letter: its magic file's words for
//     the type, machine and e_flags ("ARM, EABI5 version 1", with no comma
//     before "version"), the notes it prints in the order it meets them
//     (OS, build IDs, "FreeBSD-style"…), and its limits: after 256 notes
//     it says ", too many notes (256)", past 2048 program headers or 32768
//     sections "too many". Open, which sees the file mode, puts "setuid",
//     "setgid" and "sticky" before it, as file does.
//
// Mach-O and PE binaries always load system libraries (libSystem,
// kernel32.dll), so their linkage is always dynamic. So is a WebAssembly
// module's: its host binds its imports; Needed lists the modules it
// imports from, and the system is told by them (gojs: js, and
// wasi_snapshot_preview1: wasip1). file(1) says of a module only its
// version, read as a signed number: "WebAssembly (wasm) binary module
// version 0x1 (MVP)".
//
// A WebAssembly module is not loaded at addresses as a whole: Go numbers
// its functions (PC (index+0x1000)<<16) and copies data segments, which
// leave out runs of zeros, to their own addresses. Spans maps those
// sections in runs, and the function table and build info are read out
// of linear memory as the segments fill it.
//
// A Mach-O universal (fat) binary, as lipo and GoReleaser make it, is one
// File with Format Mach-O, file's summary ("Mach-O universal binary with
// 2 architectures: [x86_64:\012- Mach-O 64-bit x86_64 executable, …]
// …") and the facts of the whole file, and one File per slice in Slices,
// each read from its own range of the file as a thin binary, with its own
// Size and its place in Universal; Slice and DefaultSlice pick one. file
// tells a universal binary from a Java class file, which starts with the
// same 0xcafebabe, by the count that follows (1 to 19 architectures), and
// so does elfinfo: a class file is an unrecognized format. See fat.go.
//
// Files people take for binaries get an error that names them: an ar
// archive (a static library, as -buildmode=c-archive makes) is an
// unrecognized format "ar archive: …".
//
// The package takes its input as an io.ReaderAt with a size and never
// allocates more than the input could hold: a header that claims a
// gigabyte of sections in a kilobyte file is an error, not an allocation.
//
// # Formats
//
// Each format lives in one file (elf.go, macho.go, pe.go, wasm.go; Mach-O's
// universal binaries in fat.go) that defines its Format constant, its
// formatSpec (name, magic test, opener, and the facts that hold for every
// binary of it) and a type implementing the unexported
// reader interface of elfinfo.go, which answers every question that
// differs by format: where the Go function table is, which section starts
// runtime.text, the symbol table and its extents outside sections, the
// unwind table, which sections are headers in all but name, and how C
// symbols are named. Code outside a format's file
// asks the reader and never which reader it has. Each opener also sets
// Section.Table, the linker table a section holds (dynamic linking,
// relocations, unwind tables), by the format's rule in tables.go.
// A format that differs in
// more than those answers implements the optional interfaces of spans.go
// as well (WebAssembly: its sections' runs, and the function table and
// build info read out of linear memory), which File's methods ask for.
//
// To add a format, write NAME.go with the constant, the spec, the opener
// (which fills in File's fields and returns the reader) and the reader's
// methods, add the spec to the formats table in elfinfo.go, and add
// NAME_test.go with a fixture built by the test (or committed, with the
// command that made it) and a fuzz seed. Read picks the format by magic
// from that table; ErrUnrecognizedFormat's message and Format.Name follow
// from it.
package elfinfo
