package invoicing

import (
	"slices"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/clock"
	"facturo/internal/money"
	"facturo/internal/web"
	"facturo/ui"
)

// PaymentMethods are the ways a payment may arrive.
var PaymentMethods = []string{"transfer", "direct_debit", "card", "cash", "cheque", "other"}

// Payment is money received against an invoice.
type Payment struct {
	Amount    decimal.Decimal
	PaidOn    time.Time // zero: today
	Method    string    // empty: transfer
	Reference string
}

// normalize fills a payment's defaults (today, by transfer) and checks
// what it says by itself. RecordPayment and RecordPayments both call it, and
// check against the invoice with checkAgainst.
func (p *Payment) normalize() error {
	if !p.Amount.IsPositive() {
		return web.Refuse(apis.NewBadRequestError("A payment amount must be more than zero.",
			validation.Errors{"amount": validation.NewError("validation_min", "must be more than zero")}), "invoicing.err.payment_zero", nil)
	}
	if !p.Amount.Equal(money.Cents(p.Amount)) {
		return web.Refuse(apis.NewBadRequestError("A payment amount has at most two decimals.",
			validation.Errors{"amount": validation.NewError("validation_decimals", "has more than two decimals")}), "invoicing.err.payment_decimals", nil)
	}
	if !money.InRange(p.Amount) {
		return web.Refuse(apis.NewBadRequestError("A payment amount is at most 999999999999.99.",
			validation.Errors{"amount": validation.NewError("validation_max", money.ErrTooLarge.Error())}), "invoicing.err.payment_max", nil)
	}
	if p.Method == "" {
		p.Method = "transfer"
	}
	if !slices.Contains(PaymentMethods, p.Method) {
		return web.Refuse(apis.NewBadRequestError("The payment method must be one of "+strings.Join(PaymentMethods, ", ")+".",
			validation.Errors{"method": validation.NewError("validation_invalid", "unknown method")}), "invoicing.err.payment_method", nil)
	}
	if p.PaidOn.IsZero() {
		p.PaidOn = clock.Today()
	}
	p.Reference = strings.TrimSpace(p.Reference)
	if len(p.Reference) > 200 {
		return web.Refuse(apis.NewBadRequestError("A payment reference has at most 200 characters.",
			validation.Errors{"reference": validation.NewError("validation_length_too_long", "has more than 200 characters")}), "invoicing.err.payment_reference", nil)
	}
	if err := CheckText("reference", p.Reference, false); err != nil {
		return err
	}
	return nil
}

// payable is what a payment is checked against: the invoice it pays.
type payable struct {
	number, status string
	issueDate      time.Time
	owed           decimal.Decimal
}

// checkAgainst checks a payment against the invoice it pays: an issued
// invoice with at least as much still owed, paid no earlier than it was
// issued.
func (p Payment) checkAgainst(inv payable) error {
	if inv.status == StatusDraft {
		return web.Refuse(apis.NewBadRequestError("A draft cannot be paid; issue it first.", nil), "invoicing.err.pay_draft", nil)
	}
	if inv.status == StatusVoided {
		return web.Refuse(apis.NewBadRequestError("Invoice "+inv.number+" is voided: nothing is owed on it.", nil), "invoicing.err.pay_voided", ui.Args{"number": inv.number})
	}
	if !inv.owed.IsPositive() {
		return web.Refuse(apis.NewBadRequestError("Invoice "+inv.number+" has nothing left to pay.", nil), "invoicing.err.pay_nothing_owed", ui.Args{"number": inv.number})
	}
	if p.Amount.GreaterThan(inv.owed) {
		return web.Refuse(apis.NewBadRequestError("The payment of "+p.Amount.StringFixed(2)+" is more than the "+inv.owed.StringFixed(2)+
			" still owed on invoice "+inv.number+".",
			validation.Errors{"amount": validation.NewError("validation_max", "is more than is owed")}), "invoicing.err.pay_too_much", ui.Args{"amount": ui.Money{Amount: p.Amount, Currency: money.Currency}, "owed": ui.Money{Amount: inv.owed, Currency: money.Currency}, "number": inv.number})
	}
	if civilDate(p.PaidOn).Before(civilDate(inv.issueDate)) {
		return web.Refuse(apis.NewBadRequestError("Invoice "+inv.number+" was issued on "+inv.issueDate.Format(time.DateOnly)+
			"; it cannot have been paid before, on "+p.PaidOn.Format(time.DateOnly)+".",
			validation.Errors{"paid_on": validation.NewError("validation_before_issue", "is before the invoice's issue date")}), "invoicing.err.pay_before_issue", ui.Args{"number": inv.number, "issued": inv.issueDate.Format(time.DateOnly), "paid": p.PaidOn.Format(time.DateOnly)})
	}
	return nil
}

// RecordPayment records a payment against an issued invoice: RecordPayments
// with one payment. It returns the payment's record.
func RecordPayment(app core.App, invoiceID string, p Payment, actor Actor) (*core.Record, error) {
	ids, err := RecordPayments(app, []PaymentFor{{InvoiceID: invoiceID, Payment: p}}, actor)
	if err != nil {
		return nil, err
	}
	return app.FindRecordById(Payments, ids[0])
}

// paymentState is an invoice's payment state once paid of total is paid.
func paymentState(paid, total decimal.Decimal) string {
	switch {
	case paid.IsZero():
		return "unpaid"
	case paid.Equal(total):
		return "paid"
	}
	return "partial"
}
