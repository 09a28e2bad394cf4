package mail

import (
	"bytes"
	"errors"
	"facturo/internal/money"
	"fmt"
	htmltemplate "html/template"
	"io"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	gomail "github.com/wneessen/go-mail"

	"facturo/hooks/einvoice"
	"facturo/hooks/invoicing"
	"facturo/ui"
)

// emailData is what the invoice email templates print.
type emailData struct {
	Number, IssuerName, CustomerName string
	IssueDate, DueDate, Total        string
	IBAN                             string
	Payable                          bool   // the customer owes the total (not a credit)
	Rectifies                        string // number of the invoice this one corrects
	ViewURL, PixelURL                string
	Body                             string // an answer's or a reminder's text
	BodyHTML                         htmltemplate.HTML
	Subject                          string // a reminder's subject
}

// composed is an email ready to send, and what the outbox records of it.
type composed struct {
	msg        *gomail.Msg
	subject    string
	messageID  string
	text, html string
}

// compose builds the email of a message of the outbox: a quote's, one
// about no invoice (a sign-in code, an invitation, a notice), or an
// invoice's.
func compose(app core.App, settings Settings, message *core.Record) (*composed, error) {
	switch kind := message.GetString("kind"); {
	case kind == KindQuote:
		return composeQuote(app, settings, message)
	case systemKinds[kind]:
		return composeSystem(app, settings, message)
	}
	return composeInvoice(app, settings, message)
}

// composeInvoice builds the email of an invoice message: the customer's
// language, HTML and text parts, the PDF attached under an ASCII name, a
// Message-ID on the firm's domain, the VERP envelope sender, a per-invoice
// Reply-To, and a DKIM signature when a key is set.
func composeInvoice(app core.App, settings Settings, message *core.Record) (*composed, error) {
	inv, err := app.FindRecordById(invoicing.Invoices, message.GetString("invoice"))
	if err != nil {
		return nil, fmt.Errorf("the message's invoice: %w", err)
	}
	// A reminder renders the PDFs it attaches, and only those.
	if inv.GetString("pdf") == "" && message.GetString("kind") != "reminder" {
		if inv, err = invoicing.AttachPDF(app, inv.Id); err != nil {
			return nil, err
		}
	}
	customer, err := app.FindRecordById(invoicing.Customers, inv.GetString("customer"))
	if err != nil {
		return nil, err
	}
	firm, err := loadSender(app)
	if err != nil {
		return nil, err
	}
	lang := ui.Pick(customer.GetString("language"))

	data := emailData{
		Number:       inv.GetString("number"),
		IssuerName:   firm.name,
		CustomerName: customer.GetString("name"),
		IssueDate:    ui.FormatDate(lang, inv.GetDateTime("issue_date").Time()),
		DueDate:      ui.FormatDate(lang, inv.GetDateTime("due_date").Time()),
		Total:        ui.FormatMoney(lang, money.FromStored(inv.GetFloat("total")), inv.GetString("currency")),
		IBAN:         firm.issuer.GetString("iban"),
		Payable:      inv.GetFloat("total") > 0,
	}
	if id := inv.GetString("rectifies"); id != "" {
		if original, err := app.FindRecordById(invoicing.Invoices, id); err == nil {
			data.Rectifies = original.GetString("number")
		}
	}
	if data.PixelURL, data.ViewURL, err = trackingLinks(app, settings, message.Id, strings.ToLower(message.GetString("to")), time.Now()); err != nil {
		return nil, err
	}
	// An answer from staff carries its text and no attachment; a reminder
	// carries its subject and text, and the attachments it lists; an invoice
	// email is written from its template and carries the PDF.
	kind := message.GetString("kind")
	if kind != "answer" && kind != "reminder" {
		kind = "invoice"
	}
	data.Body = message.GetString("body")
	if kind == "reminder" {
		data.Subject = message.GetString("subject")
		data.Body, data.BodyHTML = reminderParts(data.Body, data.ViewURL)
	}
	subject, text, html, err := renderEmail(kind, lang, data)
	if err != nil {
		return nil, err
	}
	replyTo := firm.issuer.GetString("email_reply_to")
	if settings.ReplyAddress != "" {
		if replyTo, err = plusAddress(settings.ReplyAddress, inv.Id); err != nil {
			return nil, err
		}
	}
	m, c, err := firm.letter(settings, message, letter{
		subject: subject, text: text, html: html, tag: data.Number, replyTo: replyTo,
		headers: [][2]string{{"X-Invoice-ID", inv.Id}, {"X-Invoice-Number", data.Number}},
	})
	if err != nil {
		return nil, err
	}
	if kind == "invoice" {
		pdf, err := readPDF(app, inv)
		if err != nil {
			return nil, err
		}
		if err := m.AttachReader(invoicing.PDFFileName(inv), bytes.NewReader(pdf), gomail.WithFileContentType(gomail.ContentType("application/pdf"))); err != nil {
			return nil, err
		}
		// The PDF always goes; a customer that books structured invoices
		// gets its preferred format's file beside it.
		structured, err := einvoice.Attachment(app, inv)
		if err != nil {
			return nil, fmt.Errorf("the %s's structured invoice: %w", data.Number, err)
		}
		if structured != nil {
			if err := m.AttachReader(structured.Name, bytes.NewReader(structured.Data), gomail.WithFileContentType(gomail.ContentType(structured.ContentType))); err != nil {
				return nil, err
			}
		}
	}
	if kind == "reminder" {
		if err := attachReminderFiles(app, m, message); err != nil {
			return nil, err
		}
	}
	return c, firm.sign(settings, m)
}

// sender is the firm as the sender of its e-mails: its issuer profile, the
// address mail comes from and the name it signs with.
type sender struct {
	issuer     *core.Record
	from, name string
}

// loadSender reads the firm's sender: the issuer's from address (else the
// dashboard's sender address) and its trade name.
func loadSender(app core.App) (sender, error) {
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return sender{}, err
	}
	from := issuer.GetString("email_from")
	if from == "" {
		from = app.Settings().Meta.SenderAddress
	}
	if from == "" {
		return sender{}, errors.New("no sender address: set email_from in the issuer profile")
	}
	return sender{issuer: issuer, from: from, name: invoicing.FirmName(issuer)}, nil
}

// letter is what one e-mail says, and what marks it besides.
type letter struct {
	subject, text, html string
	tag                 string // what the Message-ID names after the message's id: a number, or the kind
	replyTo             string // empty: none
	headers             [][2]string
}

// letter builds the e-mail every message of the outbox is: from the firm,
// to the message's address and cc addresses, with a Message-ID on the
// firm's domain that starts with the message's id, the VERP envelope
// sender, its Reply-To and headers, and text and HTML parts. The caller
// attaches files, then signs it.
func (f sender) letter(settings Settings, message *core.Record, l letter) (*gomail.Msg, *composed, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.FromFormat(f.name, f.from); err != nil {
		return nil, nil, fmt.Errorf("sender %q: %w", f.from, err)
	}
	if err := m.To(message.GetString("to")); err != nil {
		return nil, nil, fmt.Errorf("recipient %q: %w", message.GetString("to"), err)
	}
	if cc := ccList(message.GetString("cc")); len(cc) > 0 {
		if err := m.Cc(cc...); err != nil {
			return nil, nil, fmt.Errorf("cc %q: %w", message.GetString("cc"), err)
		}
	}
	messageID := message.Id + "." + strings.ToLower(strings.ReplaceAll(l.tag, "/", "-")) + "@" + domainOf(f.from)
	m.SetMessageIDWithValue(messageID)
	m.SetDate()
	m.Subject(l.subject)
	for _, h := range l.headers {
		m.SetGenHeader(gomail.Header(h[0]), h[1])
	}
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	envelope := f.from
	if settings.BounceAddress != "" {
		var err error
		if envelope, err = plusAddress(settings.BounceAddress, message.Id); err != nil {
			return nil, nil, err
		}
	}
	if err := m.EnvelopeFrom(envelope); err != nil {
		return nil, nil, err
	}
	if l.replyTo != "" {
		if err := m.ReplyTo(l.replyTo); err != nil {
			return nil, nil, err
		}
	}
	m.SetBodyString(gomail.TypeTextPlain, l.text)
	m.AddAlternativeString(gomail.TypeTextHTML, l.html)
	return m, &composed{msg: m, subject: l.subject, messageID: "<" + messageID + ">", text: l.text, html: l.html}, nil
}

// sign adds the DKIM signature, when a key is set.
func (f sender) sign(settings Settings, m *gomail.Msg) error {
	if settings.DKIMPrivateKey == "" {
		return nil
	}
	key, err := gomail.PrivKeyFromPEM([]byte(settings.DKIMPrivateKey))
	if err != nil {
		return fmt.Errorf("the DKIM key: %w", err)
	}
	m.SetDKIM(gomail.NewDKIMSigner(domainOf(f.from), settings.DKIMSelector, key))
	return nil
}

// renderEmail executes a mail template of ui/templates/mail in a language:
// its subject and text parts as text, its html part with HTML escaping.
func renderEmail(name, lang string, data any) (subject, text, html string, err error) {
	file := "templates/mail/" + name + "." + lang + ".tmpl"
	tt, err := ui.TextTemplate(file)
	if err != nil {
		return "", "", "", err
	}
	// The frame (the firm's name over a white card) is the HTML's shared top
	// and bottom.
	ht, err := ui.HTMLPage(lang, "templates/mail/frame.tmpl", file)
	if err != nil {
		return "", "", "", err
	}
	var s, t, h strings.Builder
	if err := tt.ExecuteTemplate(&s, "subject", data); err != nil {
		return "", "", "", err
	}
	if err := tt.ExecuteTemplate(&t, "text", data); err != nil {
		return "", "", "", err
	}
	if err := ht.ExecuteTemplate(&h, "html", data); err != nil {
		return "", "", "", err
	}
	return strings.TrimSpace(s.String()), strings.TrimLeft(t.String(), "\n"), strings.TrimLeft(h.String(), "\n"), nil
}

// attachReminderFiles attaches the PDFs of the invoices a reminder lists and
// its other files.
func attachReminderFiles(app core.App, m *gomail.Msg, message *core.Record) error {
	var ids []string
	if err := message.UnmarshalJSONField("attach_invoices", &ids); err != nil {
		return fmt.Errorf("the reminder's attach_invoices: %w", err)
	}
	for _, id := range ids {
		inv, err := app.FindRecordById(invoicing.Invoices, id)
		if err != nil {
			return fmt.Errorf("the reminder's invoice %s: %w", id, err)
		}
		if inv.GetString("pdf") == "" {
			if inv, err = invoicing.AttachPDF(app, inv.Id); err != nil {
				return err
			}
		}
		pdf, err := readPDF(app, inv)
		if err != nil {
			return err
		}
		if err := m.AttachReader(invoicing.PDFFileName(inv), bytes.NewReader(pdf), gomail.WithFileContentType(gomail.ContentType("application/pdf"))); err != nil {
			return err
		}
	}
	files := message.GetStringSlice("attachments")
	if len(files) == 0 {
		return nil
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	for _, name := range files {
		r, err := fsys.GetReader(message.BaseFilesPath() + "/" + name)
		if err != nil {
			return fmt.Errorf("the reminder's attachment %s: %w", name, err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return err
		}
		if err := m.AttachReader(attachmentName(name), bytes.NewReader(b)); err != nil {
			return err
		}
	}
	return nil
}

// attachmentName is a stored file's name without the random suffix
// PocketBase adds ("extracto_ab12cd3.pdf" → "extracto.pdf").
func attachmentName(stored string) string {
	ext := ""
	if i := strings.LastIndexByte(stored, '.'); i > 0 {
		stored, ext = stored[:i], stored[i:]
	}
	if i := strings.LastIndexByte(stored, '_'); i > 0 {
		stored = stored[:i]
	}
	return stored + ext
}

// readPDF reads an invoice's stored PDF.
func readPDF(app core.App, inv *core.Record) ([]byte, error) {
	return readFile(app, inv, "pdf")
}

// readFile reads a record's stored file.
func readFile(app core.App, r *core.Record, field string) ([]byte, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	f, err := fsys.GetReader(r.BaseFilesPath() + "/" + r.GetString(field))
	if err != nil {
		return nil, fmt.Errorf("reading the PDF of %s: %w", r.GetString("number"), err)
	}
	defer f.Close()
	return io.ReadAll(f)
}
