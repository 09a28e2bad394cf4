package mail

import (
	"errors"
	"html"
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"facturo/hooks/invoicing"
)

// NotifyStaff emails a short notice to the firm's own address (the
// issuer's reply-to, else its from address) through PocketBase's mailer:
// notices are for the firm, not the customers, so they skip the outbox.
func NotifyStaff(app core.App, subject, text string) error {
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return err
	}
	to := issuer.GetString("email_reply_to")
	if to == "" {
		to = issuer.GetString("email_from")
	}
	if to == "" {
		return errors.New("the issuer profile has no email address to notify")
	}
	from := app.Settings().Meta.SenderAddress
	if from == "" {
		from = to
	}
	return app.NewMailClient().Send(&mailer.Message{
		From:    mail.Address{Name: app.Settings().Meta.SenderName, Address: from},
		To:      []mail.Address{{Address: to}},
		Subject: subject,
		Text:    text,
		HTML:    "<p>" + strings.ReplaceAll(html.EscapeString(text), "\n", "<br>") + "</p>",
	})
}
