package analyze_test

import (
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

// TestMain removes the fixture binaries the tests built.
func TestMain(m *testing.M) { testbuild.Main(m) }
