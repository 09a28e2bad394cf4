package export

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/clock"
	"facturo/ui"
)

// kind is what a column holds, and so how each format writes its cells.
type kind int

const (
	text   kind = iota // a string
	day                // a time.Time meaning a calendar day; the zero time is a blank cell
	moment             // a time.Time meaning an instant, shown in Spain's time
	cents              // a decimal.Decimal, to the cent
	number             // a decimal.Decimal shown as exact as it is: quantities, prices, rates, counts
)

// column is one column of an export.
type column struct {
	key   string  // its header, under export.col. in the translations
	kind  kind    //
	width float64 // in the spreadsheet, in characters
	sum   bool    // added up in the totals row
}

// table is one export: its columns, in order, and the name of its file and
// sheet (the translations' export.file.<name> and export.sheet.<name>).
type table struct {
	name    string
	columns []column
}

// rowSource calls yield with each row of an export, in order. A row holds
// one value per column, of the Go type the column's kind says, or nil for a
// blank cell. yield does not keep the slice, so a source may reuse it.
type rowSource func(yield func(row []any) error) error

func (t table) header(lang string) []string {
	out := make([]string, len(t.columns))
	for i, c := range t.columns {
		out[i] = ui.T(lang, "export.col."+c.key)
	}
	return out
}

func (t table) fileName(lang, ext string) string {
	return ui.T(lang, "export.file."+t.name) + "-" + clock.Today().Format(time.DateOnly) + "." + ext
}

func (t table) sheetName(lang string) string { return ui.T(lang, "export.sheet."+t.name) }

// totals adds up a table's sum columns exactly, in decimal.
type totals struct {
	t    table
	sums []decimal.Decimal // by column; zero where the column is not added up
}

func newTotals(t table) *totals {
	for _, c := range t.columns {
		if c.sum {
			return &totals{t: t, sums: make([]decimal.Decimal, len(t.columns))}
		}
	}
	return nil // a table without sums has no totals row
}

func (s *totals) add(row []any) {
	if s == nil {
		return
	}
	for i, c := range s.t.columns {
		if d, ok := row[i].(decimal.Decimal); ok && c.sum {
			s.sums[i] = s.sums[i].Add(d)
		}
	}
}

// row is the totals row: its label in the first column, the sums in
// theirs and blanks elsewhere.
func (s *totals) row(lang string) []any {
	out := make([]any, len(s.t.columns))
	out[0] = ui.T(lang, "export.totals")
	for i, c := range s.t.columns {
		if c.sum {
			out[i] = s.sums[i]
		}
	}
	return out
}

// checkRow refuses a row that does not fit the table, which is a mistake in
// this package rather than in the data; the writers check every row from
// the database so that such a mistake fails loudly instead of shifting
// columns. (The totals row has its label where a date may stand.)
func (t table) checkRow(row []any) error {
	if len(row) != len(t.columns) {
		return fmt.Errorf("export %s: a row of %d cells for %d columns", t.name, len(row), len(t.columns))
	}
	for i, v := range row {
		if v == nil {
			continue
		}
		ok := false
		switch t.columns[i].kind {
		case text:
			_, ok = v.(string)
		case day, moment:
			_, ok = v.(time.Time)
		case cents, number:
			_, ok = v.(decimal.Decimal)
		}
		if !ok {
			return fmt.Errorf("export %s: column %s holds a %T", t.name, t.columns[i].key, v)
		}
	}
	return nil
}

// inSpain is the wall-clock time of an instant in Spain (peninsular time,
// as the product's days are), for formats that store a time without a zone.
func inSpain(t time.Time) time.Time { return t.In(clock.Zone) }
