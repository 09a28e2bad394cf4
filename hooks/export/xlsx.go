package export

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"facturo/hooks/invoicing"
	"facturo/ui"
)

// writeXLSX writes a workbook with real date and number cells (so that
// sums and filters work in the spreadsheet), a bold header and totals row,
// through excelize's streaming writer so that a large export does not sit
// whole in memory as cells.
func writeXLSX(e *core.RequestEvent, lang string, rows func(func(invoicing.Row) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := ui.T(lang, "export.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	dateFormat := "dd/mm/yyyy"
	if lang == "en" {
		dateFormat = "dd mmm yyyy"
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return err
	}
	moneyFormat := "#,##0.00"
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFormat})
	if err != nil {
		return err
	}
	boldMoney, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFormat, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 18); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 34); err != nil {
		return err
	}
	if err := sw.SetColWidth(3, len(columns), 15); err != nil {
		return err
	}
	head := make([]any, len(columns))
	for i, h := range header(lang) {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return err
	}
	n := 1
	var s sums
	money := func(v float64) excelize.Cell { return excelize.Cell{StyleID: moneyStyle, Value: v} }
	err = rows(func(r invoicing.Row) error {
		n++
		s.add(r)
		due := any(nil)
		if !r.DueDate.IsZero() {
			due = excelize.Cell{StyleID: dateStyle, Value: r.DueDate}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, []any{
			r.Number, r.CustomerName, r.CustomerTaxID, excelize.Cell{StyleID: dateStyle, Value: r.IssueDate}, due, r.Currency,
			money(r.Subtotal), money(r.TaxTotal), money(r.SurchargeTotal), money(r.WithholdingTotal),
			money(r.Total), money(r.PaidTotal), money(outstanding(r).InexactFloat64()),
			ui.T(lang, "view.payment."+r.Payment), ui.T(lang, "response."+r.Response), ui.T(lang, "delivery."+r.Delivery),
		})
	})
	if err != nil {
		return err
	}
	totals := func(d decimal.Decimal) excelize.Cell {
		return excelize.Cell{StyleID: boldMoney, Value: d.InexactFloat64()}
	}
	cell, _ := excelize.CoordinatesToCellName(1, n+1)
	if err := sw.SetRow(cell, []any{
		excelize.Cell{StyleID: bold, Value: ui.T(lang, "export.totals")}, nil, nil, nil, nil, nil,
		totals(s.base), totals(s.vat), totals(s.surcharge), totals(s.withholding), totals(s.total), totals(s.paid), totals(s.total.Sub(s.paid)),
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	attachment(e, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName(lang, "xlsx"))
	return f.Write(e.Response)
}
