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
	msg       *gomail.Msg
	subject   string
	messageID string
}

// compose builds the email of an invoice message: the customer's language,
// HTML and text parts, the PDF attached under an ASCII name, a Message-ID on
// the firm's domain, the VERP envelope sender, a per-invoice Reply-To, and a
// DKIM signature when a key is set.
func compose(app core.App, settings Settings, message *core.Record) (*composed, error) {
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
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return nil, err
	}
	from := issuer.GetString("email_from")
	if from == "" {
		from = app.Settings().Meta.SenderAddress
	}
	if from == "" {
		return nil, errors.New("no sender address: set email_from in the issuer profile")
	}
	issuerName := invoicing.FirmName(issuer)
	lang := ui.Pick(customer.GetString("language"))

	data := emailData{
		Number:       inv.GetString("number"),
		IssuerName:   issuerName,
		CustomerName: customer.GetString("name"),
		IssueDate:    ui.FormatDate(lang, inv.GetDateTime("issue_date").Time()),
		DueDate:      ui.FormatDate(lang, inv.GetDateTime("due_date").Time()),
		Total:        ui.FormatMoney(lang, money.FromStored(inv.GetFloat("total")), inv.GetString("currency")),
		IBAN:         issuer.GetString("iban"),
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

	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.FromFormat(issuerName, from); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	if err := m.To(message.GetString("to")); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", message.GetString("to"), err)
	}
	if cc := ccList(message.GetString("cc")); len(cc) > 0 {
		if err := m.Cc(cc...); err != nil {
			return nil, fmt.Errorf("cc %q: %w", message.GetString("cc"), err)
		}
	}
	domain := domainOf(from)
	messageID := message.Id + "." + strings.ToLower(strings.ReplaceAll(data.Number, "/", "-")) + "@" + domain
	m.SetMessageIDWithValue(messageID)
	m.SetDate()
	m.Subject(subject)
	m.SetGenHeader("X-Invoice-ID", inv.Id)
	m.SetGenHeader("X-Invoice-Number", data.Number)
	m.SetGenHeader("Auto-Submitted", "auto-generated")

	envelope := from
	if settings.BounceAddress != "" {
		if envelope, err = plusAddress(settings.BounceAddress, message.Id); err != nil {
			return nil, err
		}
	}
	if err := m.EnvelopeFrom(envelope); err != nil {
		return nil, err
	}
	replyTo := issuer.GetString("email_reply_to")
	if settings.ReplyAddress != "" {
		if replyTo, err = plusAddress(settings.ReplyAddress, inv.Id); err != nil {
			return nil, err
		}
	}
	if replyTo != "" {
		if err := m.ReplyTo(replyTo); err != nil {
			return nil, err
		}
	}

	m.SetBodyString(gomail.TypeTextPlain, text)
	m.AddAlternativeString(gomail.TypeTextHTML, html)
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
	if settings.DKIMPrivateKey != "" {
		key, err := gomail.PrivKeyFromPEM([]byte(settings.DKIMPrivateKey))
		if err != nil {
			return nil, fmt.Errorf("the DKIM key: %w", err)
		}
		m.SetDKIM(gomail.NewDKIMSigner(domain, settings.DKIMSelector, key))
	}
	return &composed{msg: m, subject: subject, messageID: "<" + messageID + ">"}, nil
}

// renderEmail executes a mail template of ui/templates/mail in a language:
// its subject and text parts as text, its html part with HTML escaping.
func renderEmail(name, lang string, data any) (subject, text, html string, err error) {
	file := "templates/mail/" + name + "." + lang + ".tmpl"
	tt, err := ui.TextTemplate(file)
	if err != nil {
		return "", "", "", err
	}
	ht, err := ui.HTMLPage(lang, file)
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
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	r, err := fsys.GetReader(inv.BaseFilesPath() + "/" + inv.GetString("pdf"))
	if err != nil {
		return nil, fmt.Errorf("reading the PDF of %s: %w", inv.GetString("number"), err)
	}
	defer r.Close()
	return io.ReadAll(r)
}
