package export

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// writeXLSX writes a workbook with real date and number cells (so that
// sums and filters work in the spreadsheet), a styled header row that stays
// in view when scrolling, set column widths and a bold totals row, through
// excelize's streaming writer so that a large export does not sit whole in
// memory as cells. Text longer than a cell holds (32,767 characters) is cut
// there by excelize.
func writeXLSX(e *core.RequestEvent, lang string, t table, rows rowSource) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.sheetName(lang)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f, lang)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// Widths and panes must come before the first row.
	for i, c := range t.columns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}

	n := 0
	cells := make([]any, len(t.columns))
	write := func(row []any, totals bool) error {
		for i, v := range row {
			cells[i] = st.cell(t.columns[i].kind, v, totals)
		}
		n++
		ref, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(ref, cells)
	}
	head := make([]any, len(t.columns))
	for i, h := range t.header(lang) {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	n++
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: st.header}); err != nil {
		return err
	}
	sums := newTotals(t)
	if err := rows(func(row []any) error {
		if err := t.checkRow(row); err != nil {
			return err
		}
		sums.add(row)
		return write(row, false)
	}); err != nil {
		return err
	}
	if sums != nil {
		if err := write(sums.row(lang), true); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// Nothing has gone out yet, so an error above is still a proper answer.
	attachment(e, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", t.fileName(lang, "xlsx"))
	if err := f.Write(e.Response); err != nil {
		abortStarted(e, t, err)
	}
	return nil
}

// styles are a workbook's cell styles, by what the cells hold.
type styles struct {
	header, bold       int
	day, moment, cents int
	boldMoney          int
}

func newStyles(f *excelize.File, lang string) (styles, error) {
	dayFormat, momentFormat := "dd/mm/yyyy", "dd/mm/yyyy hh:mm:ss"
	if lang == "en" {
		dayFormat, momentFormat = "dd mmm yyyy", "dd mmm yyyy hh:mm:ss"
	}
	moneyFormat := "#,##0.00"
	bold := &excelize.Font{Bold: true}
	var s styles
	for _, def := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{
			Font:      bold,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		}},
		{&s.bold, excelize.Style{Font: bold}},
		{&s.day, excelize.Style{CustomNumFmt: &dayFormat}},
		{&s.moment, excelize.Style{CustomNumFmt: &momentFormat}},
		{&s.cents, excelize.Style{CustomNumFmt: &moneyFormat}},
		{&s.boldMoney, excelize.Style{CustomNumFmt: &moneyFormat, Font: bold}},
	} {
		id, err := f.NewStyle(&def.style)
		if err != nil {
			return s, err
		}
		*def.dst = id
	}
	return s, nil
}

// cell is a value as excelize writes it: dates as date serial numbers,
// amounts and other numbers as numbers (a float is what a spreadsheet cell
// holds; the exact sums are done in decimal before this), text as text.
func (s styles) cell(k kind, v any, totals bool) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if totals {
			return excelize.Cell{StyleID: s.bold, Value: v}
		}
		return v
	case time.Time:
		switch {
		case v.IsZero():
			return nil
		case k == moment:
			// excelize counts from the instant, not the wall clock: give it
			// Spain's wall clock as if it were UTC.
			w := inSpain(v)
			return excelize.Cell{StyleID: s.moment, Value: time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)}
		default:
			return excelize.Cell{StyleID: s.day, Value: v}
		}
	case decimal.Decimal:
		// Quantities, prices and rates keep the General format, which
		// shows 21, 5.2 and 0.0125 as they are; a fixed number of decimals
		// would pad or cut them.
		style := 0
		switch {
		case k == cents && totals:
			style = s.boldMoney
		case k == cents:
			style = s.cents
		case totals:
			style = s.bold
		}
		return excelize.Cell{StyleID: style, Value: v.InexactFloat64()}
	}
	return nil // checkRow has refused every other type
}
