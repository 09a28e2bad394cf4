package export

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
)

// linesTable has one row per line of each issued invoice; its amounts add
// up to the invoices' taxable bases.
var linesTable = table{name: "lines", columns: []column{
	{key: "number", kind: text, width: 18},
	{key: "customer", kind: text, width: 34},
	{key: "tax_id", kind: text, width: 14},
	{key: "issue_date", kind: day, width: 13},
	{key: "line_no", kind: number, width: 7},
	{key: "description", kind: text, width: 44},
	{key: "quantity", kind: number, width: 10},
	{key: "unit_price", kind: number, width: 12},
	{key: "discount_rate", kind: number, width: 11},
	{key: "vat_rate", kind: number, width: 8},
	{key: "vat_exemption", kind: text, width: 30},
	{key: "surcharge_rate", kind: number, width: 11},
	{key: "withholding_rate", kind: number, width: 11},
	{key: "amount", kind: cents, width: 14, sum: true},
}}

// lineRows selects invoices with the invoice list's filters (staff may name
// a customer) and gives each of their lines.
func lineRows(e *core.RequestEvent, lang string) (rowSource, error) {
	f, err := filterFromQuery(e, lang)
	if err != nil {
		return nil, err
	}
	f.Customer = e.Request.URL.Query().Get("customer")
	return func(yield func([]any) error) error {
		return invoicing.EachLine(e.App, f, func(r invoicing.LineRow) error {
			// A voided invoice's lines were never a supply: they add up to
			// no base.
			if r.Invoice.Status == invoicing.StatusVoided {
				return nil
			}
			l := r.Line
			return yield([]any{
				r.Invoice.Number, r.Invoice.CustomerName, r.Invoice.CustomerTaxID, r.Invoice.IssueDate,
				decimal.NewFromInt(int64(r.No)), l.Description, l.Quantity, l.UnitPrice, l.Discount, l.VAT,
				l.VATExemption, l.Surcharge, l.Withholding,
				// The invoice's own rule, so that the lines add up to its base.
				l.Amount(),
			})
		})
	}, nil
}
