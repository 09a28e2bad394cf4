package inbox

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/ui"
)

// notifyStaff tells the firm, by email to its own address, that a
// customer's address bounced for good. The customer record carries the flag
// too; this is for staff who are not looking at the dashboard.
func notifyStaff(app core.App, n bounceNotice) {
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return
	}
	customer, err := app.FindRecordById(invoicing.Customers, n.customerID)
	if err != nil {
		return
	}
	lang := issuer.GetString("default_language")
	replace := strings.NewReplacer(
		"{customer}", customer.GetString("name"), "{address}", n.address,
		"{invoice}", n.invoiceNumber, "{diagnostic}", strings.TrimSpace(n.diagnostic),
	)
	if err := mail.NotifyStaff(app, replace.Replace(ui.T(lang, "notice.bounce.subject")), replace.Replace(ui.T(lang, "notice.bounce.body"))); err != nil {
		app.Logger().Error("inbox: telling staff about a bouncing address", "customer", n.customerID, "error", err)
	}
}
