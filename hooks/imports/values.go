package imports

import (
	"facturo/internal/numtext"
	"facturo/ui"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/ozzo-validation/v4/is"
)

// cell is one value of the file. CSV gives only text; an XLSX number cell
// (which also holds dates) is stored by the spreadsheet in a fixed,
// locale-free form, so it is read as a number, never by the text rules.
type cell struct {
	text   string
	number bool // an XLSX number cell; text is its value as a plain decimal ("1234.5")
}

// numberValue reads a number column's cell.
func numberValue(c cell) (string, error) {
	if c.number {
		return c.text, nil
	}
	return numtext.Read(c.text)
}

// integerValue reads an integer column's cell.
func integerValue(c cell) (int, error) {
	text := strings.TrimSpace(c.text)
	if c.number {
		// A spreadsheet stores 30 as 30; "30.5" is not a whole number.
		text = strings.TrimSuffix(text, ".0")
	}
	n, err := strconv.Atoi(text)
	if err != nil || strings.ContainsAny(text, "+") {
		return 0, ui.Errorf("import.err.integer", nil)
	}
	return n, nil
}

// dateValue reads a date column's cell: text as YYYY-MM-DD, or a spreadsheet
// date (a day number).
func dateValue(c cell, date1904 bool) (time.Time, error) {
	if c.number {
		return spreadsheetDate(c.text, date1904)
	}
	text := strings.TrimSpace(c.text)
	// An ISO date-time cell (XLSX type "d") has the date first.
	if len(text) > 10 && text[10] == 'T' {
		text = text[:10]
	}
	d, err := time.Parse(time.DateOnly, text)
	if err != nil {
		return time.Time{}, ui.Errorf("import.err.date", nil)
	}
	return d, nil
}

// spreadsheetDate turns a spreadsheet's day number into its date. Days count
// from 1899-12-30 (which absorbs Lotus 1-2-3's phantom 29 February 1900), or
// from 1904-01-01 in workbooks that say so.
func spreadsheetDate(serial string, date1904 bool) (time.Time, error) {
	f, err := strconv.ParseFloat(serial, 64)
	if err != nil || f < 1 || f > 2958465 { // 9999-12-31
		return time.Time{}, ui.Errorf("import.err.date", nil)
	}
	if f != math.Trunc(f) {
		return time.Time{}, ui.Errorf("import.err.date_time", nil)
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return epoch.AddDate(0, 0, int(f)), nil
}

// plainDecimal writes a spreadsheet's stored number ("1.5E-3", "0.30000000000000004")
// as a plain decimal with at most 15 significant digits, which is what the
// spreadsheet itself shows and keeps.
func plainDecimal(raw string) (string, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", false
	}
	rounded, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return strconv.FormatFloat(rounded, 'f', -1, 64), true
}

// checkEmail accepts a bare address that both the mail standard and the
// customers collection accept.
func checkEmail(s string) error {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s || is.EmailFormat.Validate(s) != nil {
		return ui.Errorf("import.err.email", nil)
	}
	return nil
}
