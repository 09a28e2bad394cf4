package einvoice_test

import (
	"os"
	"testing"

	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }
