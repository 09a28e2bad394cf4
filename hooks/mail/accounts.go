package mail

import (
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"

	"facturo/hooks/invoicing"
)

// PortalPasswordPath is the portal's page where a contact chooses a
// password (?token= a PocketBase password-reset token).
const PortalPasswordPath = "/portal/password"

// staffPasswordPath is the admin dashboard's page where staff choose a
// password (then the token).
const staffPasswordPath = "/_/#/auth/confirm-password-reset/"

// PocketBase's own e-mails to accounts (a sign-in code, a link to choose a
// password), whichever door asked for them (the portal's pages or the REST
// API), are written from the product's templates and go through the
// outbox: the hooks below hand PocketBase a mailer that queues instead of
// sending, so that what PocketBase does after sending still happens.
func bindAccountMail(app core.App) {
	app.OnMailerRecordOTPSend().BindFunc(func(e *core.MailerRecordEvent) error {
		code, _ := e.Meta["password"].(string)
		e.Mailer = outboxMailer{app: e.App, mail: SystemMail{
			Kind: KindCode, To: e.Record.Email(), Name: e.Record.GetString("name"), Lang: accountLanguage(e.App, e.Record),
			Data: SystemData{Name: e.Record.GetString("name"), Code: code, Minutes: int(e.Record.Collection().OTP.Duration / 60)},
		}}
		return e.Next()
	})
	app.OnMailerRecordPasswordResetSend().BindFunc(func(e *core.MailerRecordEvent) error {
		token, _ := e.Meta["token"].(string)
		e.Mailer = outboxMailer{app: e.App, mail: SystemMail{
			Kind: KindPassword, To: e.Record.Email(), Name: e.Record.GetString("name"), Lang: accountLanguage(e.App, e.Record),
			Data: SystemData{Name: e.Record.GetString("name"), Link: passwordLink(e.App, e.Record, token),
				Minutes: int(e.Record.Collection().PasswordResetToken.Duration / 60)},
		}}
		return e.Next()
	})
}

// outboxMailer queues one e-mail of the outbox in place of the message
// PocketBase composed.
type outboxMailer struct {
	app  core.App
	mail SystemMail
}

func (m outboxMailer) Send(*mailer.Message) error {
	_, err := QueueSystem(m.app, m.mail)
	return err
}

// accountLanguage is a contact's language, or the firm's for staff.
func accountLanguage(app core.App, account *core.Record) string {
	if lang := account.GetString("language"); lang != "" {
		return lang
	}
	return invoicing.FirmLanguage(app)
}

// passwordLink is the page where an account chooses its password with a
// token: the portal's for contacts, the admin dashboard's for staff.
func passwordLink(app core.App, account *core.Record, token string) string {
	base := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	if account.IsSuperuser() {
		return base + staffPasswordPath + url.PathEscape(token)
	}
	return base + PortalPasswordPath + "?token=" + url.QueryEscape(token)
}

// InviteContact queues a contact's invitation to the portal: a link to
// choose their password, valid as long as the contacts' password links.
func InviteContact(app core.App, contact *core.Record) error {
	token, err := contact.NewPasswordResetToken()
	if err != nil {
		return err
	}
	base := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	_, err = QueueSystem(app, SystemMail{Kind: KindInvite, To: contact.Email(), Name: contact.GetString("name"), Lang: accountLanguage(app, contact),
		Data: SystemData{Name: contact.GetString("name"), Link: passwordLink(app, contact, token), Portal: base + "/portal/",
			Minutes: int(contact.Collection().PasswordResetToken.Duration / 60)}})
	return err
}

// InviteStaff queues a new staff account's invitation: a link to choose
// their password, then the workspace's address.
func InviteStaff(app core.App, account *core.Record) error {
	token, err := account.NewPasswordResetToken()
	if err != nil {
		return err
	}
	base := strings.TrimRight(app.Settings().Meta.AppURL, "/")
	_, err = QueueSystem(app, SystemMail{Kind: KindStaffInvite, To: account.Email(), Lang: invoicing.FirmLanguage(app),
		Data: SystemData{Link: passwordLink(app, account, token), Portal: base + "/app/",
			Minutes: int(account.Collection().PasswordResetToken.Duration / 60)}})
	return err
}
