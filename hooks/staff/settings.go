package staff

import (
	"io"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/security"

	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/ui"
)

// The firm's settings at /app/settings, without the admin dashboard: its
// profile with its logo, the public address of e-mailed links, outgoing
// mail with a test message, the mailbox with a connection test, and staff
// accounts. Each section is its own form, saved on its own.

// profileFields are the issuer's fields the profile form edits.
var profileFields = []string{"legal_name", "trade_name", "tax_id", "address", "city", "postal_code", "province", "country", "iban", "bic", "phone", "default_series", "rectifying_series", "default_language", "email_from", "email_reply_to"}

// formProfileFields are those the form shows as text, in its order.
var formProfileFields = []string{"legal_name", "trade_name", "tax_id", "address", "postal_code", "city", "province", "country", "iban", "bic", "phone", "email_from", "email_reply_to", "default_series", "rectifying_series"}

// maxLogoBytes is the logo field's own limit.
const maxLogoBytes = 2 << 20

type staffAccount struct {
	ID, Email string
	You       bool
}

type settingsPage struct {
	page
	Profile                                   map[string]string
	HasLogo                                   bool
	PublicURL                                 string
	SMTPHost, SMTPPort, SMTPUser, SMTPTLS     string
	SMTPPasswordSet                           bool
	Sender, Bounce, Reply, DKIMSelector       string
	DKIMKeySet                                bool
	Mailbox                                   map[string]string
	MailboxPasswordSet                        bool
	Staff                                     []staffAccount
	Errors                                    map[string]string
	Notice, Error, Answer, AnswerTo, Section  string
	ProfileFields, SMTPTLSModes, IMAPTLSModes []string
}

func loadSettingsPage(e *core.RequestEvent, p page) (settingsPage, error) {
	p = p.titled("app.settings", "settings")
	sp := settingsPage{page: p, Profile: map[string]string{}, Mailbox: map[string]string{}, Errors: map[string]string{},
		ProfileFields: formProfileFields, SMTPTLSModes: []string{"auto", "starttls", "implicit", "none"}, IMAPTLSModes: []string{"implicit", "starttls", "none"}}
	issuer, err := invoicing.LoadIssuer(e.App)
	if err != nil {
		return sp, err
	}
	for _, f := range profileFields {
		sp.Profile[f] = issuer.GetString(f)
	}
	sp.HasLogo = issuer.GetString("logo") != ""
	s := e.App.Settings()
	sp.PublicURL = s.Meta.AppURL
	sp.SMTPHost, sp.SMTPUser, sp.SMTPPasswordSet = s.SMTP.Host, s.SMTP.Username, s.SMTP.Password != ""
	if s.SMTP.Port > 0 {
		sp.SMTPPort = strconv.Itoa(s.SMTP.Port)
	}
	ms, err := mailpkg.LoadSettings(e.App)
	if err != nil {
		return sp, err
	}
	sp.SMTPTLS, sp.Bounce, sp.Reply, sp.DKIMSelector, sp.DKIMKeySet = ms.SMTPTLS, ms.BounceAddress, ms.ReplyAddress, ms.DKIMSelector, ms.DKIMPrivateKey != ""
	sp.Sender = s.Meta.SenderAddress
	if box, err := e.App.FindFirstRecordByFilter(inbox.InboxMailboxes, "id != ''"); err == nil {
		for _, f := range []string{"host", "tls", "username", "mailbox"} {
			sp.Mailbox[f] = box.GetString(f)
		}
		if n := box.GetInt("port"); n > 0 {
			sp.Mailbox["port"] = strconv.Itoa(n)
		}
		sp.MailboxPasswordSet = box.GetString("password") != ""
	}
	staff, err := e.App.FindAllRecords(core.CollectionNameSuperusers)
	if err != nil {
		return sp, err
	}
	for _, r := range staff {
		if r.Email() == core.DefaultInstallerEmail {
			continue
		}
		sp.Staff = append(sp.Staff, staffAccount{ID: r.Id, Email: r.Email(), You: e.Auth != nil && e.Auth.Id == r.Id})
	}
	if k := e.Request.URL.Query().Get("done"); k != "" {
		sp.Notice = ui.T(p.Lang, "app.settings.done."+k)
	}
	return sp, nil
}

func renderSettings(e *core.RequestEvent, status int, sp settingsPage) error {
	return render(e, status, "settings.html", sp.page, sp)
}

func handleSettings(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	return renderSettings(e, http.StatusOK, sp)
}

// settingsRefused shows the settings again with a section's problems.
func settingsRefused(e *core.RequestEvent, sp settingsPage, section string, err error) error {
	fields, whole := fieldProblems(sp.Lang, err)
	for f, msg := range fields {
		sp.Errors[f] = msg
	}
	sp.Error, sp.Section = whole, section
	return renderSettings(e, http.StatusBadRequest, sp)
}

func handleSettingsProfile(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	issuer, err := invoicing.LoadIssuer(e.App)
	if err != nil {
		return err
	}
	for _, f := range profileFields {
		v := strings.TrimSpace(e.Request.PostFormValue(f))
		if f == "country" || f == "iban" || f == "bic" {
			v = strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		}
		issuer.Set(f, v)
		sp.Profile[f] = v
	}
	if file, header, ferr := e.Request.FormFile("logo"); ferr == nil {
		defer file.Close()
		content, err := io.ReadAll(io.LimitReader(file, maxLogoBytes+1))
		if err != nil {
			return err
		}
		if len(content) > maxLogoBytes {
			sp.Errors["logo"] = ui.T(p.Lang, "app.settings.logo.too_large")
			sp.Error, sp.Section = ui.T(p.Lang, "app.form.fix"), "profile"
			return renderSettings(e, http.StatusBadRequest, sp)
		}
		logo, err := filesystem.NewFileFromBytes(content, header.Filename)
		if err != nil {
			return err
		}
		issuer.Set("logo", logo)
	} else if e.Request.PostFormValue("remove_logo") == "true" {
		issuer.Set("logo", "")
	}
	if err := e.App.Save(issuer); err != nil {
		return settingsRefused(e, sp, "profile", err)
	}
	return e.Redirect(http.StatusSeeOther, "/app/settings?done=profile#profile")
}

// handleSettingsLogo shows the logo the invoices print, for its preview.
func handleSettingsLogo(e *core.RequestEvent, _ page) error {
	issuer, err := invoicing.LoadIssuer(e.App)
	if err != nil {
		return err
	}
	logo, err := invoicing.ReadLogo(e.App, issuer)
	if err != nil || logo == nil {
		return e.NotFoundError("", nil)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, http.DetectContentType(logo), logo)
}

func handleSettingsPublicURL(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	u := strings.TrimRight(strings.TrimSpace(e.Request.PostFormValue("public_url")), "/")
	sp.PublicURL = u
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		sp.Errors["public_url"] = ui.T(p.Lang, "app.settings.public_url.bad")
		sp.Error, sp.Section = ui.T(p.Lang, "app.form.fix"), "public"
		return renderSettings(e, http.StatusBadRequest, sp)
	}
	s := e.App.Settings()
	s.Meta.AppURL = u
	if err := e.App.Save(s); err != nil {
		return settingsRefused(e, sp, "public", err)
	}
	return e.Redirect(http.StatusSeeOther, "/app/settings?done=public#public")
}

func handleSettingsMail(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	form := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	sp.SMTPHost, sp.SMTPPort, sp.SMTPUser, sp.SMTPTLS = form("smtp_host"), form("smtp_port"), form("smtp_user"), form("smtp_tls")
	sp.Sender, sp.Bounce, sp.Reply, sp.DKIMSelector = form("sender"), form("bounce_address"), form("reply_address"), form("dkim_selector")
	port, perr := strconv.Atoi(sp.SMTPPort)
	if perr != nil || port < 1 || port > 65535 {
		sp.Errors["smtp_port"] = ui.T(p.Lang, "app.settings.mail.bad_port")
	}
	for field, v := range map[string]string{"sender": sp.Sender, "bounce_address": sp.Bounce, "reply_address": sp.Reply} {
		if v != "" {
			if _, err := mail.ParseAddress(v); err != nil {
				sp.Errors[field] = ui.T(p.Lang, "app.form.err.email")
			}
		}
	}
	if sp.SMTPHost == "" {
		sp.Errors["smtp_host"] = ui.T(p.Lang, "app.form.err.required")
	}
	if len(sp.Errors) > 0 {
		sp.Error, sp.Section = ui.T(p.Lang, "app.form.fix"), "mail"
		return renderSettings(e, http.StatusBadRequest, sp)
	}
	s := e.App.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port, s.SMTP.Username = true, sp.SMTPHost, port, sp.SMTPUser
	s.SMTP.TLS = sp.SMTPTLS == "implicit"
	if pw := e.Request.PostFormValue("smtp_password"); pw != "" {
		s.SMTP.Password = pw
	}
	if sp.Sender != "" {
		s.Meta.SenderAddress = sp.Sender
	}
	if err := e.App.Save(s); err != nil {
		return settingsRefused(e, sp, "mail", err)
	}
	r, err := e.App.FindFirstRecordByFilter(mailpkg.MailSettings, "id != ''")
	if err != nil {
		return err
	}
	r.Load(map[string]any{"smtp_tls": sp.SMTPTLS, "bounce_address": sp.Bounce, "reply_address": sp.Reply, "dkim_selector": sp.DKIMSelector, "delivery": "smtp"})
	if key := strings.TrimSpace(e.Request.PostFormValue("dkim_private_key")); key != "" {
		r.Set("dkim_private_key", key)
	}
	if err := e.App.Save(r); err != nil {
		return settingsRefused(e, sp, "mail", err)
	}
	return e.Redirect(http.StatusSeeOther, "/app/settings?done=mail#mail")
}

// handleSettingsMailTest sends a test message and shows what the server
// answered.
func handleSettingsMailTest(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	to := strings.TrimSpace(e.Request.PostFormValue("to"))
	sp.AnswerTo, sp.Section = to, "mail"
	if _, err := mail.ParseAddress(to); err != nil {
		sp.Errors["to"] = ui.T(p.Lang, "app.form.err.email")
		sp.Error = ui.T(p.Lang, "app.form.fix")
		return renderSettings(e, http.StatusBadRequest, sp)
	}
	answer, err := mailpkg.SendTest(e.App, to, p.Lang)
	if err != nil {
		sp.Error = ui.T(p.Lang, "app.settings.mail.test_failed") + " " + err.Error()
		return renderSettings(e, http.StatusBadGateway, sp)
	}
	sp.Answer = ui.T(p.Lang, "app.settings.mail.test_sent") + " " + answer
	return renderSettings(e, http.StatusOK, sp)
}

// handleSettingsMailbox saves the mailbox replies and bounces are read
// from; with action=test it tests the connection as saved.
func handleSettingsMailbox(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	box, err := e.App.FindFirstRecordByFilter(inbox.InboxMailboxes, "id != ''")
	if err != nil {
		col, cerr := e.App.FindCachedCollectionByNameOrId(inbox.InboxMailboxes)
		if cerr != nil {
			return cerr
		}
		box = core.NewRecord(col)
		box.Set("enabled", true)
	}
	for _, f := range []string{"host", "port", "tls", "username", "mailbox"} {
		v := strings.TrimSpace(e.Request.PostFormValue(f))
		sp.Mailbox[f] = v
		box.Set(f, v)
	}
	if pw := e.Request.PostFormValue("password"); pw != "" {
		box.Set("password", pw)
	}
	sp.Section = "mailbox"
	if err := e.App.Save(box); err != nil {
		return settingsRefused(e, sp, "mailbox", err)
	}
	if e.Request.PostFormValue("action") != "test" {
		return e.Redirect(http.StatusSeeOther, "/app/settings?done=mailbox#mailbox")
	}
	n, err := inbox.CheckMailbox(box)
	if err != nil {
		sp.Error = ui.T(p.Lang, "app.settings.mailbox.test_failed") + " " + err.Error()
		return renderSettings(e, http.StatusBadGateway, sp)
	}
	sp.Answer = strings.ReplaceAll(ui.T(p.Lang, "app.settings.mailbox.test_ok"), "{n}", strconv.Itoa(n))
	return renderSettings(e, http.StatusOK, sp)
}

// handleStaffInvite makes a staff account and e-mails its owner the link
// to choose a password.
func handleStaffInvite(e *core.RequestEvent, p page) error {
	sp, err := loadSettingsPage(e, p)
	if err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(e.Request.PostFormValue("email")))
	sp.Section = "staff"
	if _, err := mail.ParseAddress(email); err != nil || !strings.Contains(email, "@") {
		sp.Errors["staff_email"] = ui.T(p.Lang, "app.form.err.email")
		sp.Error = ui.T(p.Lang, "app.form.fix")
		return renderSettings(e, http.StatusBadRequest, sp)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	account := core.NewRecord(col)
	account.SetEmail(email)
	account.SetPassword(security.RandomString(40))
	if err := e.App.Save(account); err != nil {
		fields, whole := fieldProblems(p.Lang, err)
		if msg, ok := fields["email"]; ok {
			sp.Errors["staff_email"] = msg
		}
		sp.Error = whole
		return renderSettings(e, http.StatusBadRequest, sp)
	}
	if err := mailpkg.InviteStaff(e.App, account); err != nil {
		return e.Redirect(http.StatusSeeOther, "/app/settings?done=invited_unsent#staff")
	}
	return e.Redirect(http.StatusSeeOther, "/app/settings?done=invited#staff")
}

// handleStaffRemove removes a staff account: never one's own, so that the
// firm always keeps one.
func handleStaffRemove(e *core.RequestEvent, p page) error {
	account, err := e.App.FindRecordById(core.CollectionNameSuperusers, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if e.Auth != nil && account.Id == e.Auth.Id {
		sp, err := loadSettingsPage(e, p)
		if err != nil {
			return err
		}
		sp.Error, sp.Section = ui.T(p.Lang, "app.settings.staff.not_yourself"), "staff"
		return renderSettings(e, http.StatusBadRequest, sp)
	}
	if err := e.App.Delete(account); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/app/settings?done=removed#staff")
}
