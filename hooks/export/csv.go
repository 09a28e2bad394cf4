package export

import (
	"cmp"
	"encoding/csv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/ui"
)

// writeCSV writes a CSV that opens in the reader's spreadsheet: UTF-8 with
// a byte order mark (so Excel reads the accents), ISO dates, times in Spain
// as 2006-01-02 15:04:05, a header in the reader's language and, where the
// table adds up, a totals row. A Spanish reader's Excel splits a CSV on ";"
// and reads 1234,56 as a number, so in Spanish the cells are separated by
// ";" and numbers have a decimal comma; in English, "," and a point.
// Numbers are never grouped by thousands, and amounts have two decimals.
// Rows go out as they come from the database.
func writeCSV(e *core.RequestEvent, lang string, t table, rows rowSource) error {
	attachment(e, "text/csv; charset=utf-8", t.fileName(lang, "csv"))
	w := csv.NewWriter(e.Response)
	style := csvStyleOf(lang)
	w.Comma = style.comma
	record := make([]string, len(t.columns))
	write := func(row []any) error {
		for i, v := range row {
			record[i] = style.cell(t.columns[i].kind, v)
		}
		return w.Write(record)
	}
	err := func() error {
		if _, err := e.Response.Write([]byte("\ufeff")); err != nil {
			return err
		}
		if err := w.Write(t.header(lang)); err != nil {
			return err
		}
		sums := newTotals(t)
		err := rows(func(row []any) error {
			if err := t.checkRow(row); err != nil {
				return err
			}
			sums.add(row)
			return write(row)
		})
		if err == nil && sums != nil {
			err = write(sums.row(lang))
		}
		w.Flush()
		return cmp.Or(err, w.Error())
	}()
	if err != nil {
		abortStarted(e, t, err)
	}
	return nil
}

// csvStyle is how a CSV separates its cells and writes a number's
// decimals, which Excel takes from the reader's regional settings.
type csvStyle struct {
	comma   rune
	decimal string
}

// csvStyleOf is the CSV style of lang: ";" and a decimal comma where lang
// writes 1.234,56 (Spanish), "," and a point otherwise.
func csvStyleOf(lang string) csvStyle {
	if ui.DecimalComma(lang) {
		return csvStyle{comma: ';', decimal: ","}
	}
	return csvStyle{comma: ',', decimal: "."}
}

func (s csvStyle) cell(k kind, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return defuseFormula(v)
	case time.Time:
		switch {
		case v.IsZero():
			return ""
		case k == moment:
			return inSpain(v).Format(time.DateTime)
		default:
			return v.Format(time.DateOnly)
		}
	case decimal.Decimal:
		n := v.String()
		if k == cents {
			n = v.StringFixed(2)
		}
		return strings.Replace(n, ".", s.decimal, 1)
	}
	return "" // checkRow has refused every other type
}

// defuseFormula keeps a spreadsheet from running text as a formula: the
// exports carry text that outsiders wrote (a user agent, an auto-reply, a
// line's description), and Excel and LibreOffice evaluate a CSV cell that
// starts with = + - @ (or a tab or carriage return before one). A leading
// apostrophe makes such a cell plain text, as OWASP advises. Numbers are
// written by csvStyle.cell's other cases and keep their sign.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
