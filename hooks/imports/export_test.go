package imports

import (
	"errors"
	"io"
)

// SetMaxUpload lowers the upload limit for a test and returns a function
// that puts it back.
func SetMaxUpload(n int64) (restore func()) {
	previous := maxUploadBytes
	maxUploadBytes = n
	return func() { maxUploadBytes = previous }
}

// The limits, for tests that go up to them.
const (
	MaxCellChars     = maxCellChars
	MaxSharedStrings = maxSharedStrings
	MaxRowBytes      = maxRowBytes
	MaxTokenBytes    = maxTokenBytes
	MaxErrors        = maxErrors
	MaxZipEntries    = maxZipEntries
	MaxColumn        = maxColumn
	MaxRow           = maxRow
)

// ReadRow is a row as the reader hands it to the import.
type ReadRow struct {
	Num   int
	Cells []string
}

// ReadRows reads a file as an import does, without a store: its rows, the
// problems reported on the way, and why the reading stopped early, if it
// did, with whether a limit refused the file.
func ReadRows(file io.ReaderAt, size int64, name string) (rows []ReadRow, problems []RowError, stopped error, refused bool) {
	problems, stopped, refused = readFile(file, size, name, func(num int, cells []cell) error {
		row := ReadRow{Num: num}
		for _, c := range cells {
			row.Cells = append(row.Cells, c.text)
		}
		rows = append(rows, row)
		return nil
	})
	return rows, problems, stopped, refused
}

// CountRows reads a file as ReadRows does, keeping only how many rows and
// cells it handed out.
func CountRows(file io.ReaderAt, size int64, name string) (rows, cells int, stopped error) {
	_, stopped, _ = readFile(file, size, name, func(num int, cs []cell) error {
		rows++
		cells += len(cs)
		return nil
	})
	return rows, cells, stopped
}

func readFile(file io.ReaderAt, size int64, name string, each rowFunc) (problems []RowError, stopped error, refused bool) {
	src := openSource(file, size, name)
	problem := func(row int, column string, problem error) {
		problems = append(problems, RowError{Row: row, Column: column, Message: problem.Error()})
	}
	progress := func(int64, int64) {}
	err := src.err
	if err == nil {
		switch src.format {
		case XLSX:
			err = src.wb.readRows(each, progress, problem)
		default:
			err = readCSV(io.NewSectionReader(file, 0, size), size, each, progress, problem)
		}
	}
	var fe *fileError
	return problems, err, errors.As(err, &fe) && fe.limit
}
