package imports

import (
	"facturo/ui"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
)

// issue issues the imported drafts in file order, after the import has
// committed, each in its own transaction as staff would, and queues their
// emails when asked. It stops at the first invoice that cannot be issued,
// so that numbers keep following the file; the drafts after it stay drafts
// and a later run (or staff) issues them. An email that cannot be queued
// is reported and the next invoice goes on.
func (im *importer) issue(app core.App, s *Summary) {
	var drafts []*group
	for _, g := range im.groups {
		if g.recordID != "" {
			drafts = append(drafts, g)
		}
	}
	total := int64(len(drafts))
	im.progress(PhaseIssuing, 0, total)
	for i, g := range drafts {
		issue := invoicing.Issue
		if im.opts.Send {
			// The email is queued in the issue's own transaction: a crash
			// cannot leave an invoice issued but its email never queued.
			issue = invoicing.IssueAndSend
		}
		if _, err := issue(app, g.recordID, im.opts.Actor); err != nil {
			im.fail(g.firstRow, "external_id", ui.Errorf("import.err.not_issued", ui.Args{"problem": im.errorText(err)}))
			break
		}
		s.Issued++
		if im.opts.Send {
			im.send(app, g, s)
		}
		im.progress(PhaseIssuing, int64(i+1), total)
	}
	s.Errors = im.sortedErrors()
}

// send counts an issued invoice's email queued by its issue, or, when the
// issue could not queue it, tries again to say why.
func (im *importer) send(app core.App, g *group, s *Summary) {
	inv, err := app.FindRecordById(invoicing.Invoices, g.recordID)
	if err == nil && inv.GetString("delivery") != "not_sent" {
		s.Queued++
		return
	}
	if _, err := mail.Queue(app, g.recordID, im.opts.Actor); err != nil {
		im.fail(g.firstRow, "customer_email", ui.Errorf("import.err.not_queued", ui.Args{"problem": im.errorText(err)}))
		return
	}
	s.Queued++
}

// errorText is an error's message with the fields it names.
func (im *importer) errorText(err error) string {
	text := ui.Message(im.opts.Lang, err)
	fields := fieldErrors(err)
	for _, name := range sortedKeys(fields) {
		text += " (" + name + ": " + fields[name] + ")"
	}
	return text
}
