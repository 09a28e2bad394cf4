package imports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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
		return "", errors.New("this is an old Excel .xls file: save it as .xlsx or .csv (UTF-8)")
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx":
		return "", errors.New("the .xlsx file is not a zip archive: is it damaged, or another format renamed?")
	case ".csv", ".txt", "":
		return CSV, nil
	default:
		return "", fmt.Errorf("%s files are not read: give a .csv or .xlsx file", ext)
	}
}

// rowFunc receives each non-empty row of the file with its row number
// (the header is row 1).
type rowFunc func(num int, cells []cell) error

// fileError is a problem with the file as a whole or with one of its rows
// that stops the reading.
type fileError struct {
	row     int
	message string
}

func (e *fileError) Error() string { return e.message }

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readCSV reads UTF-8 CSV, with or without a byte-order mark, separated by
// "," or ";" (Spanish Excel writes ";"): whichever the header row has more
// of, outside quotes. Rows are numbered by record, as a spreadsheet numbers
// them, even when a quoted cell spans lines.
func readCSV(r io.Reader, size int64, each rowFunc, progress func(done, total int64), problem func(row int, column, message string)) error {
	counter := &countingReader{r: r}
	br := bufio.NewReaderSize(counter, 1<<16)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	head, _ := br.Peek(1 << 16)
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
		num++
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			problem(num, "", "not valid CSV: "+parseErr.Err.Error())
			continue
		}
		if err != nil {
			return err
		}
		cells = cells[:0]
		for _, text := range record {
			cells = append(cells, cell{text: text})
		}
		if !utf8Row(num, record, problem) {
			continue
		}
		if err := each(num, cells); err != nil {
			return err
		}
		if num%512 == 0 {
			progress(counter.n-int64(br.Buffered()), size)
		}
	}
}

// utf8Row reports cells that are not UTF-8 (Excel's "CSV" without "UTF-8"
// writes Windows-1252) and says whether the row is usable.
func utf8Row(num int, record []string, problem func(row int, column, message string)) bool {
	for _, text := range record {
		if !utf8.ValidString(text) {
			problem(num, "", "not UTF-8 text: save the file as \"CSV UTF-8\"")
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
