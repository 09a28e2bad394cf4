// Package hooks binds everything the product adds to PocketBase.
package hooks

import (
	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/accountstatement"
	"facturo/hooks/bank"
	"facturo/hooks/demo"
	"facturo/hooks/einvoice"
	"facturo/hooks/export"
	"facturo/hooks/imports"
	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
	"facturo/hooks/mail"
	"facturo/hooks/portal"
	"facturo/hooks/products"
	"facturo/hooks/recurring"
	"facturo/hooks/remind"
	"facturo/hooks/staff"
	"facturo/hooks/verifactu"
	"facturo/hooks/webhooks"
)

// Register binds every package's hooks, routes and commands to the app.
func Register(app *pocketbase.PocketBase) {
	RegisterApp(app)
	app.RootCmd.AddCommand(invoicing.Commands(app)...)
	app.RootCmd.AddCommand(mail.Commands(app)...)
	app.RootCmd.AddCommand(inbox.Commands(app)...)
	app.RootCmd.AddCommand(imports.Commands(app)...)
	app.RootCmd.AddCommand(bank.Commands(app)...)
	app.RootCmd.AddCommand(remind.Commands(app)...)
	app.RootCmd.AddCommand(verifactu.Commands(app)...)
	app.RootCmd.AddCommand(recurring.Commands(app)...)
	demo.Register(app, app.RootCmd)
}

// RegisterApp binds every package's hooks and routes; tests call it on a
// test app, which has no command line.
func RegisterApp(app core.App) {
	invoicing.Register(app)
	interest.Register(app)
	mail.Register(app)
	inbox.Register(app)
	portal.Register(app)
	export.Register(app)
	staff.Register(app)
	accountstatement.Register(app)
	webhooks.Register(app)
	imports.Register(app)
	bank.Register(app)
	remind.Register(app)
	verifactu.Register(app)
	einvoice.Register(app)
	products.Register(app)
	recurring.Register(app)
}
