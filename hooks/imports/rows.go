package imports

import (
	"errors"
	"facturo/ui"
	"io"
)

// Cell is one value of a file read by EachRow: its text, and whether it
// is an XLSX number cell (whose text is then the stored number as a plain
// decimal, never read by the rules for numbers people type).
type Cell struct {
	Text   string
	Number bool
}

// Decimal reads the cell as a number column does: an XLSX number as it is
// stored, text by numtext.Read. The result is a plain decimal.
func (c Cell) Decimal() (string, error) {
	return numberValue(cell{text: c.Text, number: c.Number})
}

// EachRow reads a CSV or XLSX file (its first bytes, then its name, tell
// which) with the import's readers and under the same bounds, for other
// imports than the invoices' (the products'): each non-blank row is given
// to each with its number (the header is row 1). What stops the file or a
// row is returned as the import reports it, {row, column, message}, with
// the row 0 for the file as a whole; after 1,000 of them the reading stops
// with a last one saying so. The error is each's, or the storage's.
func EachRow(file io.ReaderAt, size int64, name, lang string, each func(row int, cells []Cell) error) ([]RowError, error) {
	var problems []RowError
	tooMany := errors.New("too many problems")
	problem := func(row int, column string, problem error) {
		if len(problems) < maxErrors {
			problems = append(problems, RowError{Row: row, Column: column, Message: ui.Message(lang, problem)})
		}
	}
	var out []Cell
	rows := func(num int, cells []cell) error {
		if blankRow(cells) {
			return nil
		}
		if len(problems) >= maxErrors {
			return tooMany
		}
		out = out[:0]
		for _, c := range cells {
			out = append(out, Cell{Text: c.text, Number: c.number})
		}
		return each(num, out)
	}
	src := openSource(file, size, name)
	if src.err != nil {
		// The file cannot be opened as what it claims: its whole problem.
		var fe *fileError
		if errors.As(src.err, &fe) {
			return append(problems, RowError{Row: fe.row, Message: ui.Message(lang, fe.problem)}), nil
		}
		return append(problems, RowError{Message: ui.Message(lang, src.err)}), nil
	}
	noProgress := func(done, total int64) {}
	var err error
	if src.format == XLSX {
		err = src.wb.readRows(rows, noProgress, problem)
	} else {
		err = readCSV(io.NewSectionReader(file, 0, size), size, rows, noProgress, problem)
	}
	var fe *fileError
	switch {
	case errors.Is(err, tooMany):
		problems = append(problems, RowError{Message: errTooManyErrors().In(lang)})
	case errors.As(err, &fe):
		problems = append(problems, RowError{Row: fe.row, Message: ui.Message(lang, fe.problem)})
	case err != nil:
		return problems, err
	}
	return problems, nil
}
