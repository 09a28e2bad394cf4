package remind_test

import (
	"os"
	"testing"

	"facturo/apptest"
)

func TestMain(m *testing.M) {
	os.Exit(apptest.Run(m))
}
