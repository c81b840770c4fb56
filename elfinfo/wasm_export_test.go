package elfinfo

import "encoding/binary"

// WasmSummary is file(1)'s line for a module's header, for the tests of
// versions Read refuses.
func WasmSummary(header []byte) string { return wasmSummary(binary.LittleEndian.Uint32(header[4:])) }
