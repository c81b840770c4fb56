package container_test

import (
	"testing"

	"github.com/binscope/binscope/internal/testbuild"
)

func TestMain(m *testing.M) { testbuild.Main(m) }
