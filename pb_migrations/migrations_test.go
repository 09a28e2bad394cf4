package pb_migrations_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	_ "facturo/pb_migrations"
)

// TestEveryMigrationGoesDownAndUpAgain runs the product's migrations up,
// all the way down, and up again: each down step must undo its up step, or
// the second way up fails on what is left.
func TestEveryMigrationGoesDownAndUpAgain(t *testing.T) {
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	ours := []string{"invoices", "customers", "contacts", "mail_settings", "inbound", "webhooks", "bank_movements", "interest_rates", "reminder_levels", "web_sessions"}
	for _, name := range ours {
		if _, err := app.FindCollectionByNameOrId(name); err != nil {
			t.Fatalf("after the migrations, no %s: %v", name, err)
		}
	}
	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	reverted, err := runner.Down(len(core.AppMigrations.Items()))
	if err != nil {
		t.Fatalf("down: %v (reverted %v)", err, reverted)
	}
	for _, name := range ours {
		if _, err := app.FindCollectionByNameOrId(name); err == nil {
			t.Errorf("%s is still there after every migration went down", name)
		}
	}
	if _, err := runner.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	for _, name := range ours {
		if _, err := app.FindCollectionByNameOrId(name); err != nil {
			t.Errorf("after going up again, no %s: %v", name, err)
		}
	}
}
