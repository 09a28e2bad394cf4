package mail

import (
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
)

// Queue puts an issued invoice's email in the outbox: one message to the
// customer's address with its cc addresses. It returns at once; the worker
// sends it. Calling it again sends the invoice again.
func Queue(app core.App, invoiceID string, actor invoicing.Actor) (*core.Record, error) {
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, err := tx.FindRecordById(invoicing.Invoices, invoiceID)
		if err != nil {
			return apis.NewNotFoundError("No invoice with id "+invoiceID+".", nil)
		}
		if inv.GetString("status") == invoicing.StatusDraft {
			return apis.NewBadRequestError("A draft is not sent; issue it first.", nil)
		}
		customer, err := tx.FindRecordById(invoicing.Customers, inv.GetString("customer"))
		if err != nil {
			return err
		}
		to := strings.TrimSpace(customer.GetString("email"))
		if to == "" {
			return apis.NewBadRequestError("Customer "+customer.GetString("name")+" has no email address; add one to send invoices.", nil)
		}
		col, err := tx.FindCachedCollectionByNameOrId(Messages)
		if err != nil {
			return err
		}
		msg = core.NewRecord(col)
		msg.Set("invoice", inv.Id)
		msg.Set("kind", "invoice")
		msg.Set("to", to)
		msg.Set("cc", strings.Join(ccList(customer.GetString("cc")), ", "))
		msg.Set("status", StatusQueued)
		msg.Set("next_attempt_at", types.NowDateTime())
		if err := tx.Save(msg); err != nil {
			return err
		}
		_, err = invoicing.SetDelivery(tx, inv.Id, "queued", actor, map[string]any{"message": msg.Id, "to": to, "cc": msg.GetString("cc")})
		return err
	})
	if err != nil {
		return nil, err
	}
	wakeWorkers()
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
