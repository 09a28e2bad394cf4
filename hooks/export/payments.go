package export

import (
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// paymentsTable has one row per payment received.
var paymentsTable = table{name: "payments", columns: []column{
	{key: "paid_on", kind: day, width: 13},
	{key: "number", kind: text, width: 18},
	{key: "customer", kind: text, width: 34},
	{key: "tax_id", kind: text, width: 14},
	{key: "amount", kind: cents, width: 14, sum: true},
	{key: "method", kind: text, width: 20},
	{key: "reference", kind: text, width: 24},
	{key: "recorded_at", kind: moment, width: 20},
}}

// paymentRows reads the filters from (paid on or after), to (paid on or
// before) and customer.
func paymentRows(e *core.RequestEvent, lang string) (rowSource, error) {
	q := e.Request.URL.Query()
	f := invoicing.PaymentFilter{Customer: q.Get("customer")}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		return nil, err
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		return nil, err
	}
	return func(yield func([]any) error) error {
		return invoicing.EachPayment(e.App, f, func(p invoicing.PaymentRow) error {
			return yield([]any{
				p.PaidOn, p.InvoiceNumber, p.CustomerName, p.CustomerTaxID, p.Amount,
				ui.T(lang, "export.method."+p.Method), p.Reference, p.RecordedAt,
			})
		})
	}, nil
}
