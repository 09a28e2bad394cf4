package mail

import (
	"context"
	"errors"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// SendTest sends a short message to an address through the outgoing mail
// as it is set now, and gives what the server answered: its acceptance, or
// its refusal (code and text) or why it could not be reached.
func SendTest(app core.App, to, lang string) (string, error) {
	s, err := LoadSettings(app)
	if err != nil {
		return "", err
	}
	t, err := newTransport(app, s)
	if err != nil {
		return "", err
	}
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return "", err
	}
	from := issuer.GetString("email_from")
	if from == "" {
		from = app.Settings().Meta.SenderAddress
	}
	if from == "" {
		return "", errors.New(ui.T(lang, "app.settings.mail.no_sender"))
	}
	msg := gomail.NewMsg()
	if err := msg.FromFormat(invoicing.FirmName(issuer), from); err != nil {
		return "", err
	}
	if err := msg.To(to); err != nil {
		return "", err
	}
	msg.Subject(ui.T(lang, "app.settings.mail.test_subject"))
	msg.SetBodyString(gomail.TypeTextPlain, ui.T(lang, "app.settings.mail.test_body"))
	msg.SetMessageID()
	msg.SetDate()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	return t.send(ctx, &composed{msg: msg, subject: "test", messageID: "test-" + time.Now().UTC().Format("20060102T150405")})
}
