package inbox

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/classify"
)

// match is what an inbound message was tied to, and by what.
type match struct {
	message *core.Record // the outbox email it answers, when known
	invoice *core.Record
	by      string // verp, envelope_id, message_id, invoice_id, invoice_number
}

// findMatch ties a classified message to an email and an invoice, trying the
// surest evidence first: the VERP address, the envelope id, the Message-ID
// of the original (in returned headers, In-Reply-To or References), the
// invoice id (X-Invoice-ID or the ar+ reply address), and last the invoice
// number in the subject.
func findMatch(app core.App, m classify.Match) match {
	if msg := messageByID(app, m.VERPMessageID); msg != nil {
		return withInvoice(app, match{message: msg, by: "verp"})
	}
	if msg := messageByID(app, m.EnvelopeID); msg != nil {
		return withInvoice(app, match{message: msg, by: "envelope_id"})
	}
	for _, id := range m.MessageIDs {
		if msg := messageByHeader(app, id); msg != nil {
			return withInvoice(app, match{message: msg, by: "message_id"})
		}
	}
	for _, id := range m.InvoiceIDs {
		if inv, err := app.FindRecordById(invoicing.Invoices, id); err == nil {
			return match{invoice: inv, by: "invoice_id"}
		}
	}
	for _, number := range m.InvoiceNumbers {
		if inv, err := app.FindFirstRecordByData(invoicing.Invoices, "number", number); err == nil {
			return match{invoice: inv, by: "invoice_number"}
		}
	}
	return match{}
}

// quote is the id of the quote the matched e-mail was about, if any.
func (m match) quote() string {
	if m.message == nil {
		return ""
	}
	return m.message.GetString("quote")
}

func withInvoice(app core.App, m match) match {
	if inv, err := app.FindRecordById(invoicing.Invoices, m.message.GetString("invoice")); err == nil {
		m.invoice = inv
	}
	return m
}

// messageByID is an outbox message by its record id.
func messageByID(app core.App, id string) *core.Record {
	if id == "" {
		return nil
	}
	msg, err := app.FindRecordById(mail.Messages, strings.ToLower(id))
	if err != nil {
		return nil
	}
	return msg
}

// messageByHeader is the outbox message that went out with a Message-ID;
// ours start with the message's record id, which also finds them when a
// server rewrote the rest.
func messageByHeader(app core.App, messageID string) *core.Record {
	id := strings.Trim(strings.TrimSpace(messageID), "<>")
	if id == "" {
		return nil
	}
	msg := &core.Record{}
	if err := app.RecordQuery(mail.Messages).AndWhere(dbx.HashExp{"message_id": "<" + id + ">"}).Limit(1).One(msg); err == nil {
		return msg
	}
	if recordID, _, ok := strings.Cut(id, "."); ok {
		return messageByID(app, recordID)
	}
	return nil
}
