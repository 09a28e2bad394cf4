package imports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"facturo/ui"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is the kind of an import file.
type Format string

// The formats the import reads.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// zipMagic starts every XLSX file (a zip archive); oleMagic starts the old
// binary .xls format, which the import does not read.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0}
)

// DetectFormat tells the file's format from its first bytes, which win, and
// its name: a zip archive is XLSX whatever it is called.
func DetectFormat(name string, head []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(head, zipMagic):
		return XLSX, nil
	case bytes.HasPrefix(head, oleMagic):
		return "", ui.Errorf("import.err.xls", nil)
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx":
		return "", ui.Errorf("import.err.not_zip", nil)
	case ".csv", ".txt", "":
		return CSV, nil
	default:
		return "", ui.Errorf("import.err.extension", ui.Args{"ext": ext})
	}
}

// rowFunc receives each non-empty row of the file with its row number
// (the header is row 1).
type rowFunc func(num int, cells []cell) error

// fileError is a problem with the file as a whole or with one of its rows
// that stops the reading. When limit is set the file passed one of the
// bounds on what an import reads (see limits.go), and it is refused.
type fileError struct {
	row     int
	problem error // a *ui.Error, or a reader's own error inside one
	limit   bool
	atRow   bool // found inside a row: the reader of rows sets row
}

// refuse stops the reading of a file that passes one of the limits.
func refuse(row int, problem *ui.Error) *fileError {
	return &fileError{row: row, problem: problem, limit: true}
}

func (e *fileError) Error() string { return e.problem.Error() }

func (e *fileError) Unwrap() error { return e.problem }

// csvBuffer is the CSV reader's buffer, which it fills ahead of the record
// it reads.
const csvBuffer = 1 << 16

// recordGuard stops a CSV file at a record longer than a row may be: the
// CSV reader holds a record whole, however long (a line of gigabytes with
// no end, a quoted field that never closes), so the bytes are counted as
// they are read, from the end of the last record.
type recordGuard struct {
	r    io.Reader
	n    int64 // bytes read, for the progress
	left int64 // bytes the current record (and the buffer ahead) may still take
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if int64(len(p)) > g.left+1 {
		p = p[:g.left+1]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.left -= int64(n); g.left < 0 {
		return n, refuse(0, errRowTooLong())
	}
	return n, err
}

// nextRecord gives the next record the whole of its budget.
func (g *recordGuard) nextRecord() { g.left = maxRowBytes + csvBuffer }

// readCSV reads UTF-8 CSV, with or without a byte-order mark, separated by
// "," or ";" (Spanish Excel writes ";"): whichever the header row has more
// of, outside quotes. Rows are numbered by record, as a spreadsheet numbers
// them, even when a quoted cell spans lines. Records, cells and rows are
// bounded as an XLSX sheet's are.
func readCSV(r io.Reader, size int64, each rowFunc, progress func(done, total int64), problem func(row int, column string, problem error)) error {
	guard := &recordGuard{r: r}
	guard.nextRecord()
	br := bufio.NewReaderSize(guard, csvBuffer)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	head, _ := br.Peek(csvBuffer)
	reader := csv.NewReader(br)
	reader.Comma = sniffDelimiter(head)
	reader.FieldsPerRecord = -1 // a short row is a row whose last cells are empty
	reader.ReuseRecord = true
	var cells []cell
	num := 0
	for {
		record, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		guard.nextRecord()
		num++
		var fe *fileError
		if errors.As(err, &fe) {
			fe.row = num
			return fe
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			problem(num, "", ui.Errorf("import.err.csv", ui.Args{"problem": parseErr.Err.Error()}))
			continue
		}
		if err != nil {
			return err
		}
		if num > maxRow {
			return refuse(num, errTooManyRows())
		}
		if len(record) > maxColumn {
			return refuse(num, errTooManyCells())
		}
		cells = cells[:0]
		for i, text := range record {
			if len(text) > maxCellChars && utf8.RuneCountInString(text) > maxCellChars {
				return refuse(num, errCellTooLong(columnLetters(i+1)+strconv.Itoa(num)))
			}
			cells = append(cells, cell{text: text})
		}
		if !utf8Row(num, record, problem) {
			continue
		}
		if err := each(num, cells); err != nil {
			return err
		}
		if num%512 == 0 {
			progress(guard.n-int64(br.Buffered()), size)
		}
	}
}

// utf8Row reports cells that are not UTF-8 (Excel's "CSV" without "UTF-8"
// writes Windows-1252) and says whether the row is usable.
func utf8Row(num int, record []string, problem func(row int, column string, problem error)) bool {
	for _, text := range record {
		if !utf8.ValidString(text) {
			problem(num, "", ui.Errorf("import.err.utf8", nil))
			return false
		}
	}
	return true
}

// sniffDelimiter picks "," or ";" by counting them in the first line,
// outside quoted cells.
func sniffDelimiter(head []byte) rune {
	commas, semicolons, quoted := 0, 0, false
	for _, b := range head {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n':
			return pick(commas, semicolons)
		case b == ',':
			commas++
		case b == ';':
			semicolons++
		}
	}
	return pick(commas, semicolons)
}

func pick(commas, semicolons int) rune {
	if semicolons > commas {
		return ';'
	}
	return ','
}

// blankRow reports whether every cell is empty: spreadsheets leave such
// rows (";;;;") at the end of exports.
func blankRow(cells []cell) bool {
	for _, c := range cells {
		if strings.TrimSpace(c.text) != "" {
			return false
		}
	}
	return true
}
