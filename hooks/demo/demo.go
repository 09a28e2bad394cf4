// Package demo loads a believable firm with two years of invoicing history,
// so that a newcomer sees a working product on first start (serve --demo).
package demo

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"facturo/hooks/mail"
)

// Demo sign-ins, printed when the server starts with --demo.
const (
	StaffEmail      = "admin@facturo.example"
	StaffPassword   = "demo-admin-2026"
	ContactEmail    = "compras@ferreteria-lopez.example"
	ContactPassword = "demo-portal-2026"
)

// Register adds the --demo flag and, when it is given, loads the demo data
// before the server starts listening.
func Register(app core.App, root *cobra.Command) {
	var enabled bool
	root.PersistentFlags().BoolVar(&enabled, "demo", false, "load demo data (a firm, customers, two years of invoices) if the database has none, and print the demo sign-ins")

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if !enabled {
			if err := se.Next(); err != nil {
				return err
			}
			printFirstSteps(se.App)
			return nil
		}
		seeded, err := Seed(se.App)
		if err != nil {
			return fmt.Errorf("loading demo data: %w", err)
		}
		if err := se.Next(); err != nil {
			return err
		}
		printDemo(seeded)
		// The e-mails the story sent are written to pb_data/outbox while the
		// server serves: each draws its invoice's PDF.
		app := se.App
		go func() {
			if n, err := mail.WriteSentToFolder(app); err != nil {
				app.Logger().Error("demo: writing the story's e-mails to pb_data/outbox", "error", err)
			} else if n > 0 {
				app.Logger().Info("demo: the story's e-mails are in pb_data/outbox", "count", n)
			}
		}()
		return nil
	})
}

func printDemo(seeded bool) {
	if seeded {
		fmt.Println("Demo data loaded: the firm's profile, 7 customers with their contacts, two years of invoices and payments, and quotes.")
		fmt.Println("Emails (invoices, quotes, sign-in codes, invitations) are written to pb_data/outbox/*.eml instead of being sent (mail_settings.delivery = folder).")
	} else {
		fmt.Println("Demo data is already in pb_data/; it was left as it is.")
	}
	fmt.Printf("Staff sign-in (workspace /app/, admin dashboard /_/):  %s / %s\n", StaffEmail, StaffPassword)
	fmt.Printf("Customer contact sign-in (portal /portal/):           %s / %s\n", ContactEmail, ContactPassword)
}

// printFirstSteps tells a user who starts an empty server how to create the
// first staff account.
func printFirstSteps(app core.App) {
	n, err := app.CountRecords(core.CollectionNameSuperusers, dbx.Not(dbx.HashExp{"email": core.DefaultInstallerEmail}))
	if err != nil || n > 0 {
		return
	}
	fmt.Println("No staff account yet. Open the dashboard link that follows to create the first one, or run:")
	fmt.Println("  go run . superuser create you@yourfirm.es 'a-long-password'")
	fmt.Println("To see the product with demo data instead: go run . serve --demo")
}
