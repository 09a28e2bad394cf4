package invoicing

import (
	"facturo/internal/money"
	"facturo/ui"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/pdf"
	"facturo/internal/clock"
	"facturo/internal/taxes"
)

// CurrentDocument is what a document drawn now from a record with an
// invoice's fields (customer, lines, issue_date, operation_date, due_date,
// currency, notes) prints: the firm's profile and the customer as they are
// today, in the customer's language, dated as issuing it today would date
// it. A draft's preview and a quote are drawn from it; an issued invoice
// is drawn from its own frozen copies instead (RenderPDF).
func CurrentDocument(app core.App, r *core.Record) (pdf.Invoice, error) {
	firm, err := LoadIssuer(app)
	if err != nil {
		return pdf.Invoice{}, err
	}
	customer, err := app.FindRecordById(Customers, r.GetString("customer"))
	if err != nil {
		return pdf.Invoice{}, fmt.Errorf("the customer: %w", err)
	}
	lines, err := taxes.ParseLines([]byte(r.GetString("lines")))
	if err != nil {
		return pdf.Invoice{}, err
	}
	logo, err := ReadLogo(app, firm)
	if err != nil {
		return pdf.Invoice{}, err
	}
	issuer, recipient := issuerParty(firm), recipientParty(customer, firm.GetString("default_language"))
	lang := ui.Pick(recipient.Language)
	issueDate := clock.Today()
	if d := r.GetDateTime("issue_date"); !d.IsZero() {
		issueDate = civilDate(d.Time())
	}
	currency := r.GetString("currency")
	if currency == "" {
		currency = money.Currency
	}
	doc := pdf.Invoice{
		Lang:          lang,
		Series:        r.GetString("series"),
		IssueDate:     issueDate,
		OperationDate: r.GetDateTime("operation_date").Time(),
		DueDate:       r.GetDateTime("due_date").Time(),
		Currency:      currency,
		Issuer:        issuer.Printed(lang, issuer.Country),
		Customer:      recipient.Printed(lang, issuer.Country),
		Logo:          logo,
		Notes:         r.GetString("notes"),
	}
	fillAmounts(&doc, lines)
	if issuer.IBAN != "" && doc.Totals.Total.IsPositive() {
		doc.Payment = &pdf.Payment{Method: "transfer", IBAN: issuer.IBAN, BIC: issuer.BIC}
	}
	return doc, nil
}

// RenderDraftPDF draws a draft as it would be issued now (its series, its
// dates, the due date its customer's terms would give), marked as a draft
// on every page, without a number or a QR code: a preview that can never
// pass for the invoice. The record need not be saved.
func RenderDraftPDF(app core.App, draft *core.Record) ([]byte, error) {
	doc, err := CurrentDocument(app, draft)
	if err != nil {
		return nil, err
	}
	doc.Kind = pdf.KindDraft
	if doc.Series == "" {
		firm, err := LoadIssuer(app)
		if err != nil {
			return nil, err
		}
		doc.Series = firm.GetString("default_series")
		if draft.GetString("rectifies") != "" {
			doc.Series = firm.GetString("rectifying_series")
		}
	}
	if doc.DueDate.IsZero() {
		customer, err := app.FindRecordById(Customers, draft.GetString("customer"))
		if err != nil {
			return nil, err
		}
		doc.DueDate = doc.IssueDate.AddDate(0, 0, customer.GetInt("payment_terms_days"))
	}
	if original := draft.GetString("rectifies"); original != "" {
		if inv, err := app.FindRecordById(Invoices, original); err == nil {
			doc.Rectification = &pdf.Rectification{
				Code: draft.GetString("rectification_code"), OriginalNumber: inv.GetString("number"),
				OriginalDate: inv.GetDateTime("issue_date").Time(), Reason: draft.GetString("rectification_reason"),
			}
		}
	}
	return pdf.Render(doc)
}

// Duplicate makes a new draft with another invoice's customer, series,
// lines, notes and references (a draft's or an issued one's), dated
// today: the way to bill again what was billed before. A copy of a
// factura rectificativa is an ordinary invoice.
func Duplicate(app core.App, invoiceID string) (*core.Record, error) {
	original, err := findInvoice(app, invoiceID)
	if err != nil {
		return nil, err
	}
	draft := core.NewRecord(original.Collection())
	for _, f := range []string{"customer", "currency", "lines", "notes", "order_reference"} {
		draft.Set(f, original.Get(f))
	}
	if original.GetString("rectifies") == "" {
		draft.Set("series", original.GetString("series"))
	}
	draft.Set("issue_date", dateTime(clock.Today()))
	if err := app.Save(draft); err != nil {
		return nil, err
	}
	return draft, nil
}

// DueDateFor is the due date an invoice to the customer dated issueDate
// gets when none is written: the issue date plus the customer's terms.
func DueDateFor(customer *core.Record, issueDate time.Time) time.Time {
	return civilDate(issueDate).AddDate(0, 0, customer.GetInt("payment_terms_days"))
}
