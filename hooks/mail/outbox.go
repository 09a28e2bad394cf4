package mail

import (
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
	"facturo/internal/web"
	"facturo/ui"
)

// Queue puts an issued invoice's email in the outbox: one message to the
// customer's address with its cc addresses. It returns at once; the worker
// sends it. Calling it again sends the invoice again.
func Queue(app core.App, invoiceID string, actor invoicing.Actor) (*core.Record, error) {
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, m, err := enqueue(tx, invoiceID, "invoice", nil)
		if err != nil {
			return err
		}
		msg = m
		_, err = invoicing.SetDelivery(tx, inv.Id, "queued", actor, map[string]any{"message": msg.Id, "to": msg.GetString("to"), "cc": msg.GetString("cc")})
		return err
	})
	if err != nil {
		return nil, err
	}
	wakeWorkers()
	return msg, nil
}

// enqueue saves, inside tx, a queued message of the given kind about an
// issued invoice, addressed to its customer's address and cc addresses, with
// the given fields (body, subject…) set too. Callers record what the message
// means on the invoice and wake the workers once tx commits.
func enqueue(tx core.App, invoiceID, kind string, fields map[string]any) (inv, msg *core.Record, err error) {
	inv, err = tx.FindRecordById(invoicing.Invoices, invoiceID)
	if err != nil {
		return nil, nil, apis.NewNotFoundError("No invoice with id "+invoiceID+".", nil)
	}
	if inv.GetString("status") == invoicing.StatusDraft {
		return nil, nil, web.Refuse(apis.NewBadRequestError("A draft is not sent to the customer; issue it first.", nil), "mail.err.draft", nil)
	}
	if inv.GetString("status") == invoicing.StatusVoided && kind != "answer" {
		return nil, nil, web.Refuse(apis.NewBadRequestError("Invoice "+inv.GetString("number")+" is voided: it is not sent to the customer.", nil),
			"mail.err.voided", ui.Args{"number": inv.GetString("number")})
	}
	customer, err := tx.FindRecordById(invoicing.Customers, inv.GetString("customer"))
	if err != nil {
		return nil, nil, err
	}
	msg, err = saveMessage(tx, inv.Id, customer, kind, fields)
	return inv, msg, err
}

// saveMessage saves, inside tx, a queued message of the given kind about an
// invoice to a customer's address and cc addresses, with the given fields.
func saveMessage(tx core.App, invoiceID string, customer *core.Record, kind string, fields map[string]any) (*core.Record, error) {
	to := strings.TrimSpace(customer.GetString("email"))
	if to == "" {
		return nil, apis.NewBadRequestError("Customer "+customer.GetString("name")+" has no email address; add one to write to them.", nil)
	}
	col, err := tx.FindCachedCollectionByNameOrId(Messages)
	if err != nil {
		return nil, err
	}
	msg := core.NewRecord(col)
	msg.Load(map[string]any{
		"invoice": invoiceID, "kind": kind, "to": to, "cc": strings.Join(ccList(customer.GetString("cc")), ", "),
		"status": StatusQueued, "next_attempt_at": types.NowDateTime(),
	})
	msg.Load(fields)
	if err := tx.Save(msg); err != nil {
		return nil, err
	}
	return msg, nil
}

// ccList splits a customer's "more addresses" field.
func ccList(field string) []string {
	var out []string
	for _, a := range strings.FieldsFunc(field, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}
