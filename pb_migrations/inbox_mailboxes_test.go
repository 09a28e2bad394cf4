package pb_migrations_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// TestTheInboxMailboxMovesToItsOwnRow sets up a mailbox the way
// inbox_settings held it before several mailboxes could be read, runs the
// migration that moves it, and checks that the mailbox is now a row of
// inbox_mailboxes and where the poller stood a checkpoint keyed by host,
// user and folder; then goes down again and finds it back.
func TestTheInboxMailboxMovesToItsOwnRow(t *testing.T) {
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	items := core.AppMigrations.Items()
	from := -1
	for i, m := range items {
		if m.File == "1764305100_inbox_mailboxes.go" {
			from = i
		}
	}
	if from < 0 {
		t.Fatal("the migration is not registered")
	}
	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	if _, err := runner.Down(len(items) - from); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().Update("inbox_settings", dbx.Params{
		"enabled": true, "host": " IMAP.Firm.example ", "port": 993, "tls": "implicit", "username": "ar", "password": "pw",
		"mailbox": "inbox", "processed_mailbox": "Leídos", "after_reading": "flag", "uid_validity": 77, "last_uid": 12,
	}, nil).Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Up(); err != nil {
		t.Fatal(err)
	}

	boxes, err := app.FindAllRecords("inbox_mailboxes")
	if err != nil || len(boxes) != 1 {
		t.Fatalf("mailbox rows %d (%v), want 1", len(boxes), err)
	}
	b := boxes[0]
	if !b.GetBool("enabled") || b.GetString("host") != "imap.firm.example" || b.GetString("username") != "ar" || b.GetString("password") != "pw" ||
		b.GetString("mailbox") != "INBOX" || b.GetString("processed_mailbox") != "Leídos" || b.GetString("after_reading") != "flag" ||
		b.GetInt("port") != 993 || b.GetString("tls") != "implicit" {
		t.Errorf("the mailbox row is %v", b.FieldsData())
	}
	cps, err := app.FindAllRecords("inbox_checkpoints")
	if err != nil || len(cps) != 1 {
		t.Fatalf("checkpoints %d (%v), want 1", len(cps), err)
	}
	if cp := cps[0]; cp.GetString("host") != "imap.firm.example" || cp.GetString("username") != "ar" || cp.GetString("mailbox") != "INBOX" ||
		cp.GetInt("uid_validity") != 77 || cp.GetInt("last_uid") != 12 {
		t.Errorf("the checkpoint is %v", cp.FieldsData())
	}
	settings, err := app.FindCollectionByNameOrId("inbox_settings")
	if err != nil {
		t.Fatal(err)
	}
	if settings.Fields.GetByName("host") != nil || settings.Fields.GetByName("last_uid") != nil || settings.Fields.GetByName("poll_seconds") == nil {
		t.Errorf("inbox_settings still describes a mailbox, or lost its common settings: %v", settings.Fields.FieldNames())
	}

	if _, err := runner.Down(len(items) - from); err != nil {
		t.Fatal(err)
	}
	back := dbx.NullStringMap{}
	if err := app.DB().Select("host", "mailbox", "last_uid", "uid_validity").From("inbox_settings").One(&back); err != nil {
		t.Fatal(err)
	}
	if back["host"].String != "imap.firm.example" || back["mailbox"].String != "INBOX" || back["last_uid"].String != "12" || back["uid_validity"].String != "77" {
		t.Errorf("going down, inbox_settings holds %v", back)
	}
}
