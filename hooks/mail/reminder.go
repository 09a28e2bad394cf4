package mail

import (
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
)

// ViewLinkMarker stands, in a reminder's body, for the link to view its
// invoice: the link is signed for each recipient when the email is
// composed, after the reminder was queued.
const ViewLinkMarker = "[[view-link]]"

// Reminder is a payment reminder written by its sender (subject and body
// already rendered in the customer's language).
type Reminder struct {
	// Invoices it is about; the first is the message's invoice, whose view
	// link, Reply-To and headers the email carries.
	Invoices []string
	Subject  string
	Body     string // plain text; ViewLinkMarker becomes the view link
	// AttachPDFs attaches the PDFs of all the invoices.
	AttachPDFs bool
	// Attachments are more files, such as a statement of account.
	Attachments []*filesystem.File
	// Customer is the invoices' customer, the recipient.
	Customer *core.Record
}

// QueueReminders saves, inside tx, one queued email of kind reminder per
// reminder, to the customer of its invoices, and returns them in order.
// Every invoice must be issued and its reminder's customer's. It does not
// write the timeline: the caller records what each reminder means. The
// workers are woken at once; if tx has not committed by then, they find
// the messages on their next poll.
func QueueReminders(tx core.App, reminders []Reminder) ([]*core.Record, error) {
	if err := checkReminders(tx, reminders); err != nil {
		return nil, err
	}
	col, err := tx.FindCachedCollectionByNameOrId(Messages)
	if err != nil {
		return nil, err
	}
	// Messages without files are written straight, one prepared statement
	// for them all: a run after downtime queues tens of thousands, and a
	// record save costs several times the insert. Nothing in the product
	// hooks the creation of messages.
	insert := tx.DB().NewQuery(`INSERT INTO messages (id, invoice, kind, "to", cc, subject, body, attach_invoices, status, next_attempt_at, created, updated)
		VALUES ({:id}, {:invoice}, 'reminder', {:to}, {:cc}, {:subject}, {:body}, {:attach}, {:status}, {:now}, {:now}, {:now})`).Prepare()
	defer insert.Close()
	messages := make([]*core.Record, len(reminders))
	for i, r := range reminders {
		to := strings.TrimSpace(r.Customer.GetString("email"))
		if to == "" {
			return nil, apis.NewBadRequestError("Customer "+r.Customer.GetString("name")+" has no email address; add one to write to them.", nil)
		}
		msg := core.NewRecord(col)
		now := types.NowDateTime()
		msg.Load(map[string]any{
			"invoice": r.Invoices[0], "kind": "reminder", "to": to, "cc": strings.Join(ccList(r.Customer.GetString("cc")), ", "),
			"subject": r.Subject, "body": r.Body, "status": StatusQueued, "next_attempt_at": now,
		})
		if r.AttachPDFs {
			msg.Set("attach_invoices", r.Invoices)
		}
		if len(r.Attachments) > 0 {
			msg.Set("attachments", r.Attachments)
			if err := tx.Save(msg); err != nil {
				return nil, err
			}
			messages[i] = msg
			continue
		}
		msg.Id = core.GenerateDefaultRandomId()
		msg.Set("created", now)
		msg.Set("updated", now)
		attach := "null"
		if r.AttachPDFs {
			attach = msg.GetString("attach_invoices")
		}
		if _, err := insert.Bind(dbx.Params{
			"id": msg.Id, "invoice": r.Invoices[0], "to": to, "cc": msg.GetString("cc"), "subject": r.Subject, "body": r.Body,
			"attach": attach, "status": StatusQueued, "now": now.String(),
		}).Execute(); err != nil {
			return nil, fmt.Errorf("queueing the reminder about invoice %s: %w", r.Invoices[0], err)
		}
		msg.MarkAsNotNew()
		messages[i] = msg
	}
	wakeWorkers()
	return messages, nil
}

// checkReminders refuses reminders without an invoice, a customer, a
// subject or a body, and reminders about drafts or another customer's
// invoices, reading every invoice in one query.
func checkReminders(tx core.App, reminders []Reminder) error {
	var ids []string
	customerOf := map[string]string{}
	for _, r := range reminders {
		if len(r.Invoices) == 0 {
			return errors.New("a reminder needs an invoice")
		}
		if r.Customer == nil {
			return errors.New("a reminder needs its customer")
		}
		if strings.TrimSpace(r.Subject) == "" || strings.TrimSpace(r.Body) == "" {
			return fmt.Errorf("the reminder about invoice %s needs a subject and a body", r.Invoices[0])
		}
		for _, id := range r.Invoices {
			ids = append(ids, id)
			customerOf[id] = r.Customer.Id
		}
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	var found []struct {
		ID       string `db:"id"`
		Status   string `db:"status"`
		Customer string `db:"customer"`
	}
	if err := tx.DB().NewQuery("SELECT id, status, customer FROM invoices WHERE id IN (SELECT value FROM json_each({:ids}))").
		Bind(dbx.Params{"ids": string(list)}).All(&found); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, inv := range found {
		seen[inv.ID] = true
		if inv.Status == invoicing.StatusDraft || inv.Customer != customerOf[inv.ID] {
			return fmt.Errorf("invoice %s is a draft or not its reminder's customer's: no reminder is sent about it", inv.ID)
		}
	}
	for _, id := range ids {
		if !seen[id] {
			return fmt.Errorf("no invoice with id %s to remind of", id)
		}
	}
	return nil
}

// reminderParts are a reminder body's text and HTML with its view link in
// place.
func reminderParts(body, viewURL string) (text string, html htmltemplate.HTML) {
	text = strings.ReplaceAll(body, ViewLinkMarker, viewURL)
	var h strings.Builder
	for i, part := range strings.Split(body, ViewLinkMarker) {
		if i > 0 && viewURL != "" {
			u := htmltemplate.HTMLEscapeString(viewURL)
			h.WriteString(`<a href="` + u + `">` + u + `</a>`)
		}
		h.WriteString(htmltemplate.HTMLEscapeString(part))
	}
	return text, htmltemplate.HTML(h.String())
}
