package mail

import (
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// Answer sends the customer staff's answer about an invoice (to a question,
// a rejection, a reply) through the outbox, and puts it on the invoice's
// timeline, where the customer's people see it in the portal as part of the
// conversation. It goes to the person who asked, with a copy to the
// invoice's address and its copies; with nobody asking, to the invoice's
// address.
func Answer(app core.App, invoiceID, text string, actor invoicing.Actor) (*core.Record, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, apis.NewBadRequestError("Write the answer.", validation.Errors{"text": validation.NewError("validation_required", "is required")})
	}
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, m, err := enqueue(tx, invoiceID, "answer", map[string]any{"body": text})
		if err != nil {
			return err
		}
		msg = m
		asker, err := invoicing.Asker(tx, inv.Id)
		if err != nil {
			return err
		}
		if to, cc := answerAddresses(asker, msg.GetString("to"), msg.GetString("cc")); to != msg.GetString("to") {
			msg.Set("to", to)
			msg.Set("cc", cc)
			if err := tx.Save(msg); err != nil {
				return err
			}
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

// answerAddresses addresses an answer to asker, with the invoice's address
// (invoiceTo) and its copies (cc) in copy, each once; with no asker, or the
// invoice's address asking, as the invoice's e-mail is addressed.
func answerAddresses(asker, invoiceTo, cc string) (string, string) {
	if asker == "" || strings.EqualFold(asker, invoiceTo) {
		return invoiceTo, cc
	}
	copies := []string{invoiceTo}
	for _, a := range ccList(cc) {
		if !strings.EqualFold(a, asker) && !strings.EqualFold(a, invoiceTo) {
			copies = append(copies, a)
		}
	}
	return asker, strings.Join(copies, ", ")
}
