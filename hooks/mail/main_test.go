package mail_test

import (
	"os"
	"testing"

	"github.com/pocketbase/dbx"

	"facturo/internal/apptest"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		runOutboxChild(dir)
		return
	}
	os.Exit(apptest.Run(m))
}

func dbxNotSent() dbx.Expression { return dbx.Not(dbx.HashExp{"status": "sent"}) }
