package imports

import (
	"encoding/csv"
	"facturo/internal/money"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// templateRows are the template's two example invoices to a customer the
// import creates: one with two lines, one of them at 10 %, and one with
// IRPF withheld. They are valid, so that importing the template succeeds.
var templateRows = []map[string]string{
	templateLine("EJEMPLO-0001", "2026-01-15", "2026-02-14", "Pedido 4512", "Diseño de catálogo", "1", "1250.00", "", "21", ""),
	templateLine("EJEMPLO-0001", "2026-01-15", "2026-02-14", "Pedido 4512", "Catering de la presentación", "40", "12.50", "5", "10", ""),
	templateLine("EJEMPLO-0002", "2026-01-31", "", "", "Dirección de arte, enero (honorarios)", "10", "60.00", "", "21", "15"),
}

func templateLine(externalID, issueDate, dueDate, notes, description, quantity, unitPrice, discount, vat, withholding string) map[string]string {
	return map[string]string{
		"external_id": externalID, "customer_tax_id": "B95234563", "customer_name": "Ejemplo Comercial S.L.",
		"customer_email": "facturas@ejemplo-comercial.example", "customer_address": "Gran Vía 1",
		"customer_city": "Madrid", "customer_postal_code": "28013", "customer_province": "Madrid",
		"customer_country": "ES", "customer_language": "es", "payment_terms_days": "30",
		"series": "", "issue_date": issueDate, "due_date": dueDate, "currency": money.Currency, "notes": notes,
		"line_description": description, "quantity": quantity, "unit_price": unitPrice, "discount": discount,
		"vat": vat, "withholding": withholding,
	}
}

// WriteTemplateCSV writes the template as CSV: the header and the example
// invoices, separated by "," with "." decimals.
func WriteTemplateCSV(w io.Writer) error {
	out := csv.NewWriter(w)
	header := make([]string, len(columns))
	for i, c := range columns {
		header[i] = c.name
	}
	if err := out.Write(header); err != nil {
		return err
	}
	for _, row := range templateRows {
		record := make([]string, len(columns))
		for i, c := range columns {
			record[i] = row[c.name]
		}
		if err := out.Write(record); err != nil {
			return err
		}
	}
	out.Flush()
	return out.Error()
}

// WriteTemplateXLSX writes the template as a workbook whose cells have
// their types: numbers as numbers, dates as dates, the rest as text.
func WriteTemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Facturas"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateFormat := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c.name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, row := range templateRows {
		cells := make([]any, len(columns))
		for i, c := range columns {
			cells[i] = typedCell(c, row[c.name], dateStyle)
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// typedCell is a template value as the spreadsheet cell its column wants.
func typedCell(c column, text string, dateStyle int) any {
	if text == "" {
		return nil
	}
	switch c.kind {
	case numberKind, integerKind:
		if n, err := strconv.ParseFloat(text, 64); err == nil {
			return n
		}
	case dateKind:
		if d, err := time.Parse(time.DateOnly, text); err == nil {
			return excelize.Cell{StyleID: dateStyle, Value: d}
		}
	}
	return text
}
