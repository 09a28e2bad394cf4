package mail

import (
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
)

// Answer sends the customer staff's answer about an invoice (to a question,
// a rejection, a reply) through the outbox, and puts it on the invoice's
// timeline, where the customer's people see it in the portal as part of the
// conversation.
func Answer(app core.App, invoiceID, text string, actor invoicing.Actor) (*core.Record, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, apis.NewBadRequestError("Write the answer.", validation.Errors{"text": validation.NewError("validation_required", "is required")})
	}
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, err := tx.FindRecordById(invoicing.Invoices, invoiceID)
		if err != nil {
			return apis.NewNotFoundError("No invoice with id "+invoiceID+".", nil)
		}
		if inv.GetString("status") == invoicing.StatusDraft {
			return apis.NewBadRequestError("A draft has no customer conversation yet; issue it first.", nil)
		}
		customer, err := tx.FindRecordById(invoicing.Customers, inv.GetString("customer"))
		if err != nil {
			return err
		}
		to := strings.TrimSpace(customer.GetString("email"))
		if to == "" {
			return apis.NewBadRequestError("Customer "+customer.GetString("name")+" has no email address.", nil)
		}
		col, err := tx.FindCachedCollectionByNameOrId(Messages)
		if err != nil {
			return err
		}
		msg = core.NewRecord(col)
		msg.Load(map[string]any{
			"invoice": inv.Id, "kind": "answer", "to": to, "cc": strings.Join(ccList(customer.GetString("cc")), ", "),
			"status": StatusQueued, "next_attempt_at": types.NowDateTime(), "body": text,
		})
		if err := tx.Save(msg); err != nil {
			return err
		}
		_, err = invoicing.AppendEvent(tx, inv, invoicing.EventReplied, actor, map[string]any{
			"direction": "to_customer", "text": text, "message": msg.Id,
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	wakeWorkers()
	return msg, nil
}

// handleAnswer is staff's POST /api/invoices/{id}/answer {text}.
func handleAnswer(e *core.RequestEvent) error {
	var body struct {
		Text string `json:"text"`
	}
	if err := invoicing.DecodeBody(e, &body); err != nil {
		return err
	}
	msg, err := Answer(e.App, e.Request.PathValue("id"), body.Text, invoicing.ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusAccepted, msg)
}
