package mail

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	gomail "github.com/wneessen/go-mail"

	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
	"facturo/internal/money"
	"facturo/internal/web"
	"facturo/ui"
)

// KindQuote is the kind of a quote's e-mail.
const KindQuote = "quote"

// quoteData is what the quote e-mail templates print.
type quoteData struct {
	Lang                             string
	Number, IssuerName, CustomerName string
	IssueDate, ValidUntil, Total     string
	ViewURL, PixelURL                string
}

// QueueQuote puts a finished quote's e-mail in the outbox, to the
// customer's address and cc addresses, and records it on the quote's
// timeline. The worker sends it as it sends invoices: retries, the VERP
// sender, the image and the link that tell it was opened and viewed, the
// PDF attached. Calling it again sends the quote again.
func QueueQuote(app core.App, quoteID string, actor quotes.Actor) (*core.Record, error) {
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		q, err := tx.FindRecordById(quotes.Collection, quoteID)
		if err != nil {
			return apis.NewNotFoundError("No quote with id "+quoteID+".", nil)
		}
		if q.GetString("status") == quotes.StatusDraft {
			return web.Refuse(apis.NewBadRequestError("A draft quote is not sent to the customer; finish it first.", nil), "mail.err.quote_draft", nil)
		}
		customer, err := tx.FindRecordById(invoicing.Customers, q.GetString("customer"))
		if err != nil {
			return err
		}
		if msg, err = saveMessage(tx, "", customer, KindQuote, map[string]any{"quote": q.Id}); err != nil {
			return err
		}
		return quotes.SetDelivery(tx, q.Id, "queued", actor, map[string]any{"message": msg.Id, "to": msg.GetString("to"), "cc": msg.GetString("cc")})
	})
	if err != nil {
		return nil, err
	}
	wakeWorkers()
	return msg, nil
}

// composeQuote builds a quote's e-mail in its customer's language, with
// its PDF attached and the link to its page in the portal.
func composeQuote(app core.App, settings Settings, message *core.Record) (*composed, error) {
	q, err := app.FindRecordById(quotes.Collection, message.GetString("quote"))
	if err != nil {
		return nil, fmt.Errorf("the message's quote: %w", err)
	}
	customer, err := app.FindRecordById(invoicing.Customers, q.GetString("customer"))
	if err != nil {
		return nil, err
	}
	firm, err := loadSender(app)
	if err != nil {
		return nil, err
	}
	lang := ui.Pick(customer.GetString("language"))
	data := quoteData{
		Lang: lang, Number: q.GetString("number"), IssuerName: firm.name, CustomerName: customer.GetString("name"),
		IssueDate: ui.FormatDate(lang, q.GetDateTime("issue_date").Time()),
		Total:     ui.FormatMoney(lang, money.FromStored(q.GetFloat("total")), money.Currency),
	}
	if d := q.GetDateTime("valid_until"); !d.IsZero() {
		data.ValidUntil = ui.FormatDate(lang, d.Time())
	}
	if data.PixelURL, data.ViewURL, err = trackingLinks(app, settings, message.Id, strings.ToLower(message.GetString("to")), time.Now()); err != nil {
		return nil, err
	}
	subject, text, html, err := renderEmail(KindQuote, lang, data)
	if err != nil {
		return nil, err
	}
	m, c, err := firm.letter(settings, message, letter{
		subject: subject, text: text, html: html, tag: data.Number, replyTo: firm.issuer.GetString("email_reply_to"),
		headers: [][2]string{{"X-Quote-ID", q.Id}, {"X-Quote-Number", data.Number}},
	})
	if err != nil {
		return nil, err
	}
	if q.GetString("pdf") == "" {
		return nil, fmt.Errorf("quote %s has no PDF", data.Number)
	}
	pdf, err := readFile(app, q, "pdf")
	if err != nil {
		return nil, err
	}
	if err := m.AttachReader(QuoteFileName(lang, q), bytes.NewReader(pdf), gomail.WithFileContentType(gomail.ContentType("application/pdf"))); err != nil {
		return nil, err
	}
	return c, firm.sign(settings, m)
}

// QuoteFileName is the name a quote's PDF goes by, in a language:
// Presupuesto-P-2026-000001.pdf.
func QuoteFileName(lang string, q *core.Record) string {
	return ui.T(lang, "pdf.quote") + "-" + q.GetString("number") + ".pdf"
}
