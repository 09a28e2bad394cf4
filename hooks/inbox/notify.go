package inbox

import (
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"facturo/hooks/invoicing"
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
	to := issuer.GetString("email_reply_to")
	if to == "" {
		to = issuer.GetString("email_from")
	}
	if to == "" {
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
	from := app.Settings().Meta.SenderAddress
	if from == "" {
		from = to
	}
	msg := &mailer.Message{
		From:    mail.Address{Name: app.Settings().Meta.SenderName, Address: from},
		To:      []mail.Address{{Address: to}},
		Subject: replace.Replace(ui.T(lang, "notice.bounce.subject")),
		Text:    replace.Replace(ui.T(lang, "notice.bounce.body")),
	}
	msg.HTML = "<p>" + strings.ReplaceAll(htmlEscape(msg.Text), "\n", "<br>") + "</p>"
	if err := app.NewMailClient().Send(msg); err != nil {
		app.Logger().Error("inbox: telling staff about a bouncing address", "customer", n.customerID, "error", err)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
