package export

import (
	"encoding/csv"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// writeCSV writes a CSV for spreadsheets and scripts alike: UTF-8 with a
// byte order mark (so Excel reads the accents), ISO dates, amounts with a
// point and two decimals, a header in the reader's language and a totals
// row.
func writeCSV(e *core.RequestEvent, lang string, rows func(func(invoicing.Row) error) error) error {
	attachment(e, "text/csv; charset=utf-8", fileName(lang, "csv"))
	if _, err := e.Response.Write([]byte("\ufeff")); err != nil {
		return err
	}
	w := csv.NewWriter(e.Response)
	if err := w.Write(header(lang)); err != nil {
		return err
	}
	var s sums
	money := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	sum := func(d decimal.Decimal) string { return d.StringFixed(2) }
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	err := rows(func(r invoicing.Row) error {
		s.add(r)
		return w.Write([]string{
			r.Number, r.CustomerName, r.CustomerTaxID, date(r.IssueDate), date(r.DueDate), r.Currency,
			money(r.Subtotal), money(r.TaxTotal), money(r.SurchargeTotal), money(r.WithholdingTotal),
			money(r.Total), money(r.PaidTotal), sum(outstanding(r)),
			ui.T(lang, "view.payment."+r.Payment), ui.T(lang, "response."+r.Response), ui.T(lang, "delivery."+r.Delivery),
		})
	})
	if err != nil {
		return err
	}
	if err := w.Write([]string{
		ui.T(lang, "export.totals"), "", "", "", "", "",
		sum(s.base), sum(s.vat), sum(s.surcharge), sum(s.withholding),
		sum(s.total), sum(s.paid), sum(s.total.Sub(s.paid)), "", "", "",
	}); err != nil {
		return err
	}
	w.Flush()
	return w.Error()
}
