package mail

import (
	"errors"
	htmltemplate "html/template"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
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
}

// QueueReminder saves, inside tx, a queued email of kind reminder to the
// customer of its invoices, and returns it. It does not write the timeline:
// the caller records what the reminder means. The worker is woken at once;
// if tx has not committed by then, the worker finds it on its next poll.
func QueueReminder(tx core.App, r Reminder) (*core.Record, error) {
	if len(r.Invoices) == 0 {
		return nil, errors.New("a reminder needs an invoice")
	}
	if strings.TrimSpace(r.Subject) == "" || strings.TrimSpace(r.Body) == "" {
		return nil, errors.New("a reminder needs a subject and a body")
	}
	fields := map[string]any{"subject": r.Subject, "body": r.Body}
	if r.AttachPDFs {
		fields["attach_invoices"] = r.Invoices
	}
	_, msg, err := enqueue(tx, r.Invoices[0], "reminder", fields)
	if err != nil {
		return nil, err
	}
	if len(r.Attachments) > 0 {
		msg.Set("attachments", r.Attachments)
		if err := tx.Save(msg); err != nil {
			return nil, err
		}
	}
	wakeWorkers()
	return msg, nil
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
