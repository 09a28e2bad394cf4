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
	"facturo/internal/taxes"
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

// RecordPayment records a payment against an issued invoice, updates its
// paid_total and payment state, and logs payment (and, once settled, paid)
// events. A draft, or more than is still owed, is refused.
func RecordPayment(app core.App, invoiceID string, p Payment, actor Actor) (*core.Record, error) {
	p.Amount = taxes.RoundCents(p.Amount)
	if !p.Amount.IsPositive() {
		return nil, apis.NewBadRequestError("A payment amount must be more than zero.",
			validation.Errors{"amount": validation.NewError("validation_min", "must be more than zero")})
	}
	if p.Method == "" {
		p.Method = "transfer"
	}
	if !slices.Contains(PaymentMethods, p.Method) {
		return nil, apis.NewBadRequestError("The payment method must be one of "+strings.Join(PaymentMethods, ", ")+".",
			validation.Errors{"method": validation.NewError("validation_invalid", "unknown method")})
	}
	if p.PaidOn.IsZero() {
		p.PaidOn = clock.Today()
	}

	var payment *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		inv, err := findInvoice(tx, invoiceID)
		if err != nil {
			return err
		}
		if inv.GetString("status") == StatusDraft {
			return apis.NewBadRequestError("A draft cannot be paid; issue it first.", nil)
		}
		total, paid := decimalField(inv, "total"), decimalField(inv, "paid_total")
		owed := total.Sub(paid)
		if !owed.IsPositive() {
			return apis.NewBadRequestError("Invoice "+inv.GetString("number")+" has nothing left to pay.", nil)
		}
		if p.Amount.GreaterThan(owed) {
			return apis.NewBadRequestError("The payment of "+p.Amount.StringFixed(2)+" is more than the "+owed.StringFixed(2)+
				" still owed on invoice "+inv.GetString("number")+".",
				validation.Errors{"amount": validation.NewError("validation_max", "is more than is owed")})
		}

		col, err := tx.FindCachedCollectionByNameOrId(Payments)
		if err != nil {
			return err
		}
		payment = core.NewRecord(col)
		payment.Set("invoice", inv.Id)
		payment.Set("amount", p.Amount.InexactFloat64())
		payment.Set("paid_on", dateTime(civilDate(p.PaidOn)))
		payment.Set("method", p.Method)
		payment.Set("reference", strings.TrimSpace(p.Reference))
		payment.SetRaw("created", dateTime(clock.Now().UTC()))
		if err := saveAsSystem(tx, payment); err != nil {
			return err
		}
		if err := countRows(tx, "payment_count", inv.Id, 1); err != nil {
			return err
		}

		paid = paid.Add(p.Amount)
		state := "partial"
		if paid.Equal(total) {
			state = "paid"
		}
		inv.Set("paid_total", paid.InexactFloat64())
		inv.Set("payment", state)
		if err := saveAsSystem(tx, inv); err != nil {
			return err
		}
		data := map[string]any{
			"payment": payment.Id, "amount": p.Amount.InexactFloat64(), "paid_on": payment.GetString("paid_on"),
			"method": p.Method, "reference": payment.GetString("reference"), "paid_total": paid.InexactFloat64(),
		}
		if _, err := AppendEvent(tx, inv, EventPayment, actor, data); err != nil {
			return err
		}
		if state == "paid" {
			_, err = AppendEvent(tx, inv, EventPaid, actor, map[string]any{"paid_total": paid.InexactFloat64()})
		}
		return err
	})
	return payment, err
}
