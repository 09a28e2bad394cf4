package mail

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/ui"
)

// The kinds of e-mail about no invoice: a sign-in code, a link to choose a
// password, an invitation to the portal or to the workspace, a notice to
// the firm.
const (
	KindCode        = "code"
	KindPassword    = "password"
	KindInvite      = "invite"
	KindStaffInvite = "staff_invite"
	KindNotice      = "notice"
)

// systemKinds are the kinds composeSystem writes.
var systemKinds = map[string]bool{KindCode: true, KindPassword: true, KindInvite: true, KindStaffInvite: true, KindNotice: true}

// secretKinds carry a code or a link that signs someone in: what the
// template printed is dropped from the outbox once the e-mail is sent or
// given up.
var secretKinds = map[string]bool{KindCode: true, KindPassword: true, KindInvite: true, KindStaffInvite: true}

// SystemData is what the template of an e-mail about no invoice prints.
type SystemData struct {
	Name    string `json:"name,omitempty"`    // the reader's name
	Code    string `json:"code,omitempty"`    // a sign-in code
	Minutes int    `json:"minutes,omitempty"` // how long the code or link works
	Link    string `json:"link,omitempty"`    // the link to follow
	Portal  string `json:"portal,omitempty"`  // the portal's address
	Subject string `json:"subject,omitempty"` // a notice's subject
	Body    string `json:"body,omitempty"`    // a notice's text
	// Set when the e-mail is written.
	IssuerName string `json:"-"`
	Lang       string `json:"-"`
}

// Lasts is how long the code or link works, in words of the reader's
// language: "10 minutos", "3 días".
func (d SystemData) Lasts() string {
	n, unit := d.Minutes, "minutes"
	switch {
	case n <= 0:
		return ""
	case n%(24*60) == 0:
		n, unit = n/(24*60), "days"
	case n%60 == 0:
		n, unit = n/60, "hours"
	}
	if n == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	return strings.ReplaceAll(ui.T(d.Lang, "mail.lasts."+unit), "{n}", strconv.Itoa(n))
}

// SystemMail is an e-mail about no invoice, to one person, in their
// language.
type SystemMail struct {
	Kind     string
	To, Name string
	Lang     string
	Data     SystemData
}

// QueueSystem puts an e-mail about no invoice in the outbox; the worker
// writes it from its template in ui/templates/mail and sends it as it
// sends invoices: from the firm, with retries and the VERP sender.
func QueueSystem(app core.App, m SystemMail) (*core.Record, error) {
	if !systemKinds[m.Kind] {
		return nil, fmt.Errorf("no e-mail of kind %q", m.Kind)
	}
	to := strings.TrimSpace(m.To)
	if _, err := mail.ParseAddress(to); err != nil {
		return nil, fmt.Errorf("the address %q: %w", to, err)
	}
	col, err := app.FindCachedCollectionByNameOrId(Messages)
	if err != nil {
		return nil, err
	}
	if m.Name != "" {
		to = (&mail.Address{Name: m.Name, Address: to}).String()
	}
	msg := core.NewRecord(col)
	msg.Load(map[string]any{
		"kind": m.Kind, "to": to, "lang": ui.Pick(m.Lang), "data": m.Data,
		"status": StatusQueued, "next_attempt_at": types.NowDateTime(),
	})
	if err := app.Save(msg); err != nil {
		return nil, err
	}
	wakeWorkers()
	return msg, nil
}

// composeSystem builds an e-mail about no invoice from its template, in its
// reader's language, from the firm.
func composeSystem(app core.App, settings Settings, message *core.Record) (*composed, error) {
	var data SystemData
	if err := message.UnmarshalJSONField("data", &data); err != nil {
		return nil, fmt.Errorf("the message's data: %w", err)
	}
	firm, err := loadSender(app)
	if err != nil {
		return nil, err
	}
	data.IssuerName, data.Lang = firm.name, ui.Pick(message.GetString("lang"))
	kind := message.GetString("kind")
	subject, text, html, err := renderEmail(kind, data.Lang, data)
	if err != nil {
		return nil, err
	}
	replyTo := ""
	if kind != KindNotice {
		replyTo = firm.issuer.GetString("email_reply_to")
	}
	m, c, err := firm.letter(settings, message, letter{subject: subject, text: text, html: html, tag: strings.ReplaceAll(kind, "_", "-"), replyTo: replyTo})
	if err != nil {
		return nil, err
	}
	return c, firm.sign(settings, m)
}
