package mail

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// NotifyStaff queues a short notice to the firm's own address (the
// issuer's reply-to, else its from address), in the firm's language: it
// goes through the outbox like every other e-mail.
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
	_, err = QueueSystem(app, SystemMail{Kind: KindNotice, To: to, Lang: invoicing.FirmLanguage(app), Data: SystemData{Subject: subject, Body: text}})
	return err
}
