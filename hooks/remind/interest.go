package remind

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/shopspring/decimal"

	"facturo/hooks/accountstatement"
	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
)

// lateInterest is the late-payment interest an invoice has accrued by the
// day at, and the fixed compensation for collection costs owed on it (Ley
// 3/2004, art. 8: owed on each invoice paid late, whatever the rates). When
// the rates table lacks a half-year the invoice was late in, known is false
// and note says which: the reminder is still sent, without an interest
// figure but with the compensation, and staff are told to add the rate.
func lateInterest(app core.App, invoices *core.Collection, rates []interest.Rate, row openInvoice, at time.Time) (amount, compensation decimal.Decimal, known bool, note string, err error) {
	inv := core.NewRecord(invoices)
	inv.Id = row.ID
	inv.Load(map[string]any{
		"number": row.Number, "customer": row.Customer, "status": invoicing.StatusIssued,
		"total": row.Total, "paid_total": row.PaidTotal, "due_date": row.DueDate,
	})
	accrued, compensation, missing, err := interest.AsFarAsKnown(app, inv, at, rates)
	if err != nil {
		return decimal.Zero, decimal.Zero, false, "", err
	}
	if missing != nil {
		return decimal.Zero, compensation, false, missing.Error(), nil
	}
	return accrued.Amount, compensation, true, "", nil
}

// statementFile is a customer's statement of account as of the day at, in
// the language given, as a file to attach. Where the rates table lacks a
// half-year, the statement works the interest out as far as it goes and
// says so.
func statementFile(app core.App, customer *core.Record, at time.Time, lang string) (*filesystem.File, error) {
	pdf, err := accountstatement.StatementPDF(app, customer.Id, at, lang)
	if err != nil {
		return nil, err
	}
	f, err := filesystem.NewFileFromBytes(pdf, "statement.pdf")
	if err != nil {
		return nil, err
	}
	// The stored name keeps the statement's own name (PocketBase would
	// snake-case it); the outbox drops the random part when it attaches it.
	name := accountstatement.FileName(customer.GetString("name"), at)
	f.Name = strings.TrimSuffix(name, ".pdf") + "_" + security.RandomStringWithAlphabet(10, "abcdefghijklmnopqrstuvwxyz0123456789") + ".pdf"
	return f, nil
}
