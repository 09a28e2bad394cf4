package mail

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Settings are the product's mail settings (collection mail_settings) next
// to PocketBase's SMTP settings.
type Settings struct {
	record *core.Record

	Delivery       string // smtp or folder
	SMTPTLS        string // auto, starttls, implicit or none
	Concurrency    int
	SendOnIssue    bool
	BounceAddress  string
	ReplyAddress   string
	DKIMSelector   string
	DKIMPrivateKey string
}

// defaultConcurrency is how many messages are sent at once when the setting
// is empty.
const defaultConcurrency = 4

// LoadSettings reads the mail settings.
func LoadSettings(app core.App) (Settings, error) {
	r := &core.Record{}
	if err := app.RecordQuery(MailSettings).Limit(1).One(r); err != nil {
		return Settings{}, errors.New("the mail settings are missing; the migrations create them")
	}
	s := Settings{
		record:         r,
		Delivery:       r.GetString("delivery"),
		SMTPTLS:        r.GetString("smtp_tls"),
		Concurrency:    r.GetInt("concurrency"),
		SendOnIssue:    r.GetBool("send_on_issue"),
		BounceAddress:  r.GetString("bounce_address"),
		ReplyAddress:   r.GetString("reply_address"),
		DKIMSelector:   r.GetString("dkim_selector"),
		DKIMPrivateKey: strings.TrimSpace(r.GetString("dkim_private_key")),
	}
	if s.Concurrency <= 0 {
		s.Concurrency = defaultConcurrency
	}
	if s.Delivery == "" {
		s.Delivery = "smtp"
	}
	return s, nil
}

// setStatus records what the outbox is doing, or why it waits, where staff
// see it (mail_settings.status in the admin dashboard).
func setStatus(app core.App, status string) error {
	s, err := LoadSettings(app)
	if err != nil {
		return err
	}
	if s.record.GetString("status") == status {
		return nil
	}
	s.record.Set("status", status)
	return app.Save(s.record)
}

// plusAddress makes the sub-address base+tag@domain of base@domain, the way
// VERP envelope senders and per-invoice reply addresses are made.
func plusAddress(base, tag string) (string, error) {
	addr, err := mail.ParseAddress(base)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", base, err)
	}
	local, domain, ok := strings.Cut(addr.Address, "@")
	if !ok {
		return "", fmt.Errorf("address %q has no domain", base)
	}
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	return local + "+" + tag + "@" + domain, nil
}

// domainOf is the domain part of an address.
func domainOf(address string) string {
	_, domain, _ := strings.Cut(address, "@")
	return strings.ToLower(domain)
}

// DeliverToFolder makes the outbox write emails as .eml files under
// pb_data/outbox instead of sending them: the demo's way of showing what
// would be sent without an SMTP server.
func DeliverToFolder(app core.App) error {
	s, err := LoadSettings(app)
	if err != nil {
		return err
	}
	s.record.Set("delivery", "folder")
	return app.Save(s.record)
}
