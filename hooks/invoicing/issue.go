package invoicing

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/clock"
	"facturo/internal/seal"
	"facturo/internal/taxes"
	"facturo/internal/web"
	"facturo/ui"
)

// Issue turns a draft into a legal invoice in one transaction: it validates
// it, gives it the next number of its series, computes and stores its totals,
// sets its due date when empty, chains its huella to the last registration
// record of its issuer (Registry), records the issued event and freezes it,
// and lets OnIssuing's handlers act in the same transaction (the
// VERI*FACTU record of the issue, the e-mail); then it renders and stores
// the PDF. Issuing a factura rectificativa marks the invoice it
// corrects as rectified.
func Issue(app core.App, invoiceID string, actor Actor) (*core.Record, error) {
	return issue(app, invoiceID, actor, false)
}

// IssueAndSend is Issue, and its e-mail queued in the same transaction as
// the issue (OnIssuing), whatever the mail settings say about sending on
// issue.
func IssueAndSend(app core.App, invoiceID string, actor Actor) (*core.Record, error) {
	return issue(app, invoiceID, actor, true)
}

func issue(app core.App, invoiceID string, actor Actor, send bool) (*core.Record, error) {
	issued, err := issueRecord(app, invoiceID, actor, send)
	if err != nil {
		return nil, err
	}
	// The invoice is issued; its PDF is drawn after the commit. Should that
	// fail, the download route draws it on first request.
	withPDF, err := AttachPDF(app, issued.Id)
	if err != nil {
		app.Logger().Error("The invoice was issued but its PDF could not be stored", "invoice", issued.Id, "number", issued.GetString("number"), "error", err)
		return issued, nil
	}
	return withPDF, nil
}

// IssueRecord is Issue without the PDF: the legal act alone, in one
// transaction. Callers that issue in bulk attach the PDFs afterwards
// (AttachPDF), or let the download route draw them on demand.
func IssueRecord(app core.App, invoiceID string, actor Actor) (*core.Record, error) {
	return issueRecord(app, invoiceID, actor, false)
}

// IssueRecordAndSend is IssueRecord with the invoice's e-mail queued in
// the same transaction, as IssueAndSend does: the outbox draws the PDF
// when it sends it.
func IssueRecordAndSend(app core.App, invoiceID string, actor Actor) (*core.Record, error) {
	return issueRecord(app, invoiceID, actor, true)
}

func issueRecord(app core.App, invoiceID string, actor Actor, send bool) (*core.Record, error) {
	var issued *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, err := findInvoice(tx, invoiceID)
		if err != nil {
			return err
		}
		if inv.GetString("status") != StatusDraft {
			return web.Refuse(apis.NewBadRequestError("Invoice "+inv.GetString("number")+" is already issued.", nil), "invoicing.err.issued", ui.Args{"number": inv.GetString("number")})
		}
		firm, err := issuerForIssuing(tx)
		if err != nil {
			return err
		}
		customer, err := tx.FindRecordById(Customers, inv.GetString("customer"))
		if err != nil {
			return web.Refuse(apis.NewBadRequestError("The invoice's customer does not exist.",
				validation.Errors{"customer": validation.NewError("validation_not_found", "unknown customer")}), "invoicing.err.no_customer", nil)
		}
		if err := validateRectification(tx, inv, true); err != nil {
			return err
		}
		lines, err := issueLines(inv)
		if err != nil {
			return err
		}
		totals := taxes.Compute(lines)
		if err := setTotals(inv, totals); err != nil {
			return err
		}

		issueDate := clock.Today()
		if d := inv.GetDateTime("issue_date"); !d.IsZero() {
			issueDate = civilDate(d.Time())
		}
		inv.Set("issue_date", dateTime(issueDate))
		if inv.GetDateTime("due_date").IsZero() {
			inv.Set("due_date", dateTime(issueDate.AddDate(0, 0, customer.GetInt("payment_terms_days"))))
		}
		if due := inv.GetDateTime("due_date").Time(); due.Before(issueDate) {
			return web.Refuse(apis.NewBadRequestError("The due date is before the issue date.",
				validation.Errors{"due_date": validation.NewError("validation_before_issue", "is before the issue date")}), "invoicing.err.due_before_issue", nil)
		}
		if err := checkAEATRules(inv, customer, issueDate); err != nil {
			return err
		}

		number, err := nextNumber(tx, inv.GetString("series"), issueDate)
		if err != nil {
			return err
		}
		prevHash, seq, err := chainHead(tx, firm.GetString("tax_id"))
		if err != nil {
			return err
		}
		issuedAt := clock.Now().UTC().Truncate(time.Second)
		inv.Set("number", number)
		inv.Set("issuer_tax_id", firm.GetString("tax_id"))
		if err := setParties(inv, firm, customer); err != nil {
			return err
		}
		inv.Set("prev_hash", prevHash)
		inv.Set("chain_seq", seq+1)
		inv.Set("hashed_at", dateTime(issuedAt))
		inv.Set("issued_at", dateTime(issuedAt))
		inv.Set("hash", huellaRecord(inv).Hash())
		inv.Set("content_hash", seal.Hash(inv, sealedFields))
		inv.Set("status", StatusIssued)
		if err := saveAsSystem(tx, inv); err != nil {
			return err
		}
		if _, err := AppendEvent(tx, inv, EventIssued, actor, map[string]any{
			"number": number, "total": inv.GetFloat("total"), "hash": inv.GetString("hash"),
		}); err != nil {
			return err
		}
		if err := markRectified(tx, inv, actor); err != nil {
			return err
		}
		if err := OnIssuing(tx).Trigger(&IssuingEvent{App: tx, Invoice: inv, Actor: actor, Send: send, Lines: lines, Totals: totals}); err != nil {
			return err
		}
		issued, err = findInvoice(tx, inv.Id)
		return err
	})
	return issued, err
}

// setParties copies the firm's and the customer's identity onto the invoice
// being issued, where they freeze with it.
func setParties(inv, firm, customer *core.Record) error {
	for field, party := range map[string]Party{
		"issuer":    issuerParty(firm),
		"recipient": recipientParty(customer, firm.GetString("default_language")),
	} {
		raw, err := json.Marshal(party)
		if err != nil {
			return err
		}
		inv.Set(field, string(raw))
	}
	return nil
}

// issuerForIssuing loads the issuer profile and requires what every invoice
// must state about its issuer.
func issuerForIssuing(tx core.App) (*core.Record, error) {
	issuer, err := LoadIssuer(tx)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, f := range []string{"legal_name", "tax_id", "address"} {
		if strings.TrimSpace(issuer.GetString(f)) == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, web.Refuse(apis.NewBadRequestError("Fill in the issuer profile first (collection issuer): "+strings.Join(missing, ", ")+".", nil), "invoicing.err.issuer_missing", ui.Args{"fields": strings.Join(missing, ", ")})
	}
	return issuer, nil
}

// markRectified moves the invoice a factura rectificativa corrects to the
// rectified status and notes it on that invoice's timeline.
func markRectified(tx core.App, rectifying *core.Record, actor Actor) error {
	originalID := rectifying.GetString("rectifies")
	if originalID == "" {
		return nil
	}
	original, err := tx.FindRecordById(Invoices, originalID)
	if err != nil {
		return err
	}
	original.Set("status", StatusRectified)
	if err := saveAsSystem(tx, original); err != nil {
		return err
	}
	_, err = AppendEvent(tx, original, EventRectified, actor, map[string]any{
		"by":     rectifying.GetString("number"),
		"by_id":  rectifying.Id,
		"code":   rectifying.GetString("rectification_code"),
		"reason": rectifying.GetString("rectification_reason"),
	})
	return err
}

// findInvoice loads an invoice or answers 404.
func findInvoice(app core.App, id string) (*core.Record, error) {
	inv, err := app.FindRecordById(Invoices, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apis.NewNotFoundError("No invoice with id "+id+".", nil)
	}
	return inv, err
}
