package export

import (
	"facturo/internal/money"
	"facturo/internal/numtext"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// invoicesTable is the invoice list: one row per issued invoice.
var invoicesTable = table{name: "invoices", columns: []column{
	{key: "number", kind: text, width: 18},
	{key: "customer", kind: text, width: 34},
	{key: "tax_id", kind: text, width: 14},
	{key: "issue_date", kind: day, width: 13},
	{key: "due_date", kind: day, width: 13},
	{key: "currency", kind: text, width: 9},
	{key: "base", kind: cents, width: 14, sum: true},
	{key: "vat", kind: cents, width: 13, sum: true},
	{key: "surcharge", kind: cents, width: 13, sum: true},
	{key: "withholding", kind: cents, width: 13, sum: true},
	{key: "total", kind: cents, width: 14, sum: true},
	{key: "paid", kind: cents, width: 14, sum: true},
	{key: "outstanding", kind: cents, width: 14, sum: true},
	{key: "payment", kind: text, width: 16},
	{key: "response", kind: text, width: 18},
	{key: "delivery", kind: text, width: 14},
}}

func invoiceRows(app core.App, lang string, f invoicing.Filter) rowSource {
	return func(yield func([]any) error) error {
		return invoicing.EachInvoice(app, f, func(r invoicing.Row) error {
			// The stored amounts are two-decimal values; as decimals they
			// add up exactly in the totals row, where floats would drift.
			total, paid := money.FromStored(r.Total), money.FromStored(r.PaidTotal)
			base, vat, surcharge, withholding := money.FromStored(r.Subtotal), money.FromStored(r.TaxTotal),
				money.FromStored(r.SurchargeTotal), money.FromStored(r.WithholdingTotal)
			// A voided invoice is listed as such and counts for nothing, in
			// its row as in the totals.
			if r.Status == invoicing.StatusVoided {
				total, paid, base, vat, surcharge, withholding = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
			}
			payment := ui.T(lang, "view.payment."+r.PaymentState())
			return yield([]any{
				r.Number, r.CustomerName, r.CustomerTaxID, r.IssueDate, r.DueDate, r.Currency,
				base, vat, surcharge, withholding, total, paid, total.Sub(paid),
				payment, ui.T(lang, "response."+r.Response), ui.T(lang, "delivery."+r.Delivery),
			})
		})
	}
}

// filterFromQuery reads the list filters from the query string, refusing
// what does not parse with a 400 naming the parameter. The amounts are
// read as a person writes them in lang (package numtext), the language the
// list they come from was shown in. The customer is left to the caller,
// which knows who may see what.
func filterFromQuery(e *core.RequestEvent, lang string) (invoicing.Filter, error) {
	q := e.Request.URL.Query()
	f := invoicing.Filter{Search: q.Get("q"), State: q.Get("state"), Sort: q.Get("sort")}
	switch {
	case f.State == "draft": // the workspace's list of drafts; a contact's request is refused by the caller
		f.State, f.Drafts = "", true
	case f.State != "" && !slices.Contains(invoicing.ListStates, f.State):
		return f, badParam("state", "state must be one of "+strings.Join(invoicing.ListStates, ", ")+".")
	}
	if f.Sort != "" && !invoicing.KnownSort(f.Sort) {
		return f, badParam("sort", "sort must be issue_date, total, number or due_date, with - before it for the largest first.")
	}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		return f, err
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		dst  **float64
	}{{"min", &f.Min}, {"max", &f.Max}} {
		if v := q.Get(p.name); v != "" {
			n, err := numtext.TypedDecimal(lang, v)
			if err != nil {
				return f, badParam(p.name, p.name+" must be an amount such as 1200.50 or 1.200,50.")
			}
			*p.dst = new(n.InexactFloat64())
		}
	}
	return f, nil
}
