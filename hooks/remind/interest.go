package remind

import (
	"errors"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
)

// lateInterest is the late-payment interest an invoice has accrued by the
// day at, and the fixed compensation for collection costs owed on it. When
// the rates table lacks a half-year the invoice was late in, known is false
// and note says which: the reminder is still sent, without figures, and
// staff are told to add the rate.
func lateInterest(app core.App, invoices *core.Collection, row openInvoice, at time.Time) (amount, compensation decimal.Decimal, known bool, note string, err error) {
	inv := core.NewRecord(invoices)
	inv.Id = row.ID
	inv.Load(map[string]any{
		"number": row.Number, "customer": row.Customer, "status": invoicing.StatusIssued,
		"total": row.Total, "paid_total": row.PaidTotal, "due_date": row.DueDate,
	})
	accrued, compensation, err := interest.ForInvoice(app, inv, at)
	var missing *interest.MissingRateError
	if errors.As(err, &missing) {
		return decimal.Zero, decimal.Zero, false, err.Error(), nil
	}
	if err != nil {
		return decimal.Zero, decimal.Zero, false, "", err
	}
	return accrued.Amount, compensation, true, "", nil
}

// statement is a customer's statement of account as of the day at, as a
// PDF in the language given; nil when there is none to attach.
func statement(app core.App, customerID string, at time.Time, lang string) ([]byte, error) {
	return nil, nil
}
