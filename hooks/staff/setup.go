package staff

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// The first run's setup at /app/setup: a firm without any invoice, demo or
// real, is shown the four steps that get it to its first invoice, each on
// the workspace's own form, and which of them are done.

type setupStep struct {
	Key, Link string
	Done      bool
}

type setupPage struct {
	page
	Steps []setupStep
	Next  string
}

// firstRun tells whether the firm has never had an invoice: then the
// overview has nothing to show and the setup is shown instead.
func firstRun(app core.App) bool {
	n, err := app.CountRecords(invoicing.Invoices)
	return err == nil && n == 0
}

func setupSteps(app core.App) []setupStep {
	issuer, _ := invoicing.LoadIssuer(app)
	profile := issuer != nil && issuer.GetString("legal_name") != "" && issuer.GetString("tax_id") != ""
	customers, _ := app.CountRecords(invoicing.Customers)
	invoices, _ := app.CountRecords(invoicing.Invoices)
	return []setupStep{
		{Key: "profile", Link: "/app/settings#profile", Done: profile},
		{Key: "mail", Link: "/app/settings#mail", Done: app.Settings().SMTP.Enabled && app.Settings().SMTP.Host != ""},
		{Key: "customer", Link: "/app/customers/new", Done: customers > 0},
		{Key: "invoice", Link: "/app/invoices/new", Done: invoices > 0},
	}
}

func handleSetup(e *core.RequestEvent, p page) error {
	sp := setupPage{page: p.titled("app.setup", "overview"), Steps: setupSteps(e.App)}
	for _, s := range sp.Steps {
		if !s.Done {
			sp.Next = s.Key
			break
		}
	}
	return render(e, http.StatusOK, "setup.html", sp.page, sp)
}
