package interest

import (
	"errors"
	"facturo/internal/money"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
)

// ForInvoice is the interest an issued invoice has accrued by asOf, and the
// fixed compensation owed for it (Compensation when it was paid, or is
// still unpaid, after its due date; zero otherwise). The interest runs on
// what was still unpaid each day, the payments recorded against the invoice
// lowering it from the day after each was paid, so a paid invoice keeps the
// interest it accrued until its last payment, still claimable. A credit
// (total not above zero), a rectified or a voided invoice accrues nothing.
func ForInvoice(app core.App, inv *core.Record, asOf time.Time) (Interest, decimal.Decimal, error) {
	rates, err := LoadRates(app)
	if err != nil {
		return Interest{Amount: decimal.Zero}, decimal.Zero, err
	}
	return ForInvoiceWithRates(app, inv, asOf, rates)
}

// ForInvoiceWithRates is ForInvoice with the rates already loaded, for
// callers that compute many invoices at once.
func ForInvoiceWithRates(app core.App, inv *core.Record, asOf time.Time, rates []Rate) (Interest, decimal.Decimal, error) {
	none := Interest{Amount: decimal.Zero}
	switch inv.GetString("status") {
	case invoicing.StatusDraft:
		return none, decimal.Zero, errors.New("invoice " + inv.Id + " is a draft: only an issued invoice is owed")
	case invoicing.StatusRectified, invoicing.StatusVoided:
		return none, decimal.Zero, nil
	}
	total := money.FromStored(inv.GetFloat("total"))
	if !total.IsPositive() {
		return none, decimal.Zero, nil
	}
	due := inv.GetDateTime("due_date").Time()
	if due.IsZero() {
		return none, decimal.Zero, errors.New("invoice " + inv.GetString("number") + " has no due date")
	}
	// Nothing paid yet: the whole total was owed all along, and there are
	// no payments to read (a reminder run asks this of thousands at once).
	steps := []Step{{From: civil(due), Owed: total}}
	if inv.GetFloat("paid_total") > 0 {
		var err error
		if steps, err = owedSteps(app, inv.Id, total, civil(due)); err != nil {
			return none, decimal.Zero, err
		}
	}
	accrued, err := AccruedOnSteps(due, asOf, steps, rates)
	if err != nil {
		return none, decimal.Zero, fmt.Errorf("invoice %s: %w", inv.GetString("number"), err)
	}
	if accrued.Days == 0 {
		return accrued, decimal.Zero, nil
	}
	return accrued, Compensation, nil
}

// AsFarAsKnown is ForInvoiceWithRates, except that when a half-year's rate
// is missing from the table it stops there: the interest is what accrued up
// to the day before that half-year, and missing names it (nil when nothing
// was missing). Statements and reminders show what is known, and say what
// is not, rather than fail for a rate the BOE has published and staff have
// not entered yet.
func AsFarAsKnown(app core.App, inv *core.Record, asOf time.Time, rates []Rate) (accrued Interest, compensation decimal.Decimal, missing *MissingRateError, err error) {
	accrued, compensation, err = ForInvoiceWithRates(app, inv, asOf, rates)
	if !errors.As(err, &missing) {
		return accrued, compensation, nil, err
	}
	accrued, compensation, err = ForInvoiceWithRates(app, inv, missing.HalfYear.AddDate(0, 0, -1), rates)
	if err != nil {
		return accrued, compensation, missing, err
	}
	if civil(asOf).After(civil(inv.GetDateTime("due_date").Time())) {
		compensation = Compensation // late by asOf, even if not yet by the last known day
	}
	return accrued, compensation, missing, nil
}

// owedSteps is what was owed on the invoice from its due date on: the total
// less what was paid by then, then less each later payment from the day
// after it.
func owedSteps(app core.App, invoiceID string, total decimal.Decimal, due time.Time) ([]Step, error) {
	var payments []struct {
		Amount float64 `db:"amount"`
		PaidOn string  `db:"paid_on"`
	}
	err := app.DB().Select("amount", "paid_on").From(invoicing.Payments).
		Where(dbx.HashExp{"invoice": invoiceID}).OrderBy("paid_on ASC").All(&payments)
	if err != nil {
		return nil, err
	}
	owed := total
	steps := []Step{{From: due, Owed: owed}}
	for _, p := range payments {
		paidOn, err := types.ParseDateTime(p.PaidOn)
		if err != nil || paidOn.IsZero() {
			return nil, errors.New("a payment of invoice " + invoiceID + " has an unreadable paid_on: " + p.PaidOn)
		}
		owed = owed.Sub(money.FromStored(p.Amount))
		from := civil(paidOn.Time()).AddDate(0, 0, 1)
		if !from.After(due) {
			steps[0].Owed = owed
			continue
		}
		if last := &steps[len(steps)-1]; last.From.Equal(from) {
			last.Owed = owed
		} else {
			steps = append(steps, Step{From: from, Owed: owed})
		}
	}
	return steps, nil
}
