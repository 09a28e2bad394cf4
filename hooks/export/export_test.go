package export_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

func get(t testing.TB, url, token string) (int, http.Header, []byte) {
	t.Helper()
	r := apptest.Call(t, "GET", url, token, "")
	return r.Status, r.Header, r.Body
}

// readCSV reads an export's CSV with the separator its language uses: ";"
// in Spanish, "," in English (the header row says which).
func readCSV(t testing.TB, body []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.Comma = csvComma(body)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, body)
	}
	return rows
}

// csvComma is the separator of a CSV export: ";" when its header row has
// one (no header names a ";"), "," otherwise.
func csvComma(body []byte) rune {
	header, _, _ := bytes.Cut(body, []byte("\n"))
	if bytes.ContainsRune(header, ';') {
		return ';'
	}
	return ','
}

func numbers(rows [][]string) []string {
	var out []string
	for _, r := range rows[1 : len(rows)-1] {
		out = append(out, r[0])
	}
	return out
}

// TestExportsAreScopedToWhoAsks: a contact gets its own customer's issued
// invoices whatever the query says; staff get every customer's.
func TestExportsAreScopedToWhoAsks(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	b, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)

	status, h, body := get(t, base+"/api/exports/invoices.csv?customer="+apptest.CustomerB, apptest.Tokens.ContactA)
	if status != 200 || !strings.Contains(h.Get("Content-Disposition"), "facturas-") {
		t.Fatalf("contact export: %d %q", status, h.Get("Content-Disposition"))
	}
	rows := readCSV(t, body)
	if got := numbers(rows); len(got) != 1 || got[0] != a.GetString("number") {
		t.Errorf("contact A exported %v, want only %s", got, a.GetString("number"))
	}
	if rows[0][0] != "Número" || rows[0][3] != "Fecha de emisión" {
		t.Errorf("the header is not in the contact's language: %v", rows[0])
	}
	last := rows[len(rows)-1]
	if last[0] != "Totales" || last[10] != "121,00" || last[11] != "21,00" || last[12] != "100,00" {
		t.Errorf("totals row %v", last)
	}

	_, _, body = get(t, base+"/api/exports/invoices.csv?lang=en", apptest.Tokens.Staff)
	rows = readCSV(t, body)
	if got := numbers(rows); len(got) != 2 || rows[0][0] != "Number" {
		t.Errorf("staff exported %v with header %v, want both issued invoices", got, rows[0])
	}
	if last := rows[len(rows)-1]; last[10] != "242.00" {
		t.Errorf("staff totals row %v", last)
	}
	if bytes.Contains(body, []byte(apptest.DraftA)) || strings.Contains(string(body), b.GetString("number")) == false {
		t.Errorf("the staff export has a draft or lacks invoice B")
	}

	if status, _, _ := get(t, base+"/api/exports/invoices.xlsx", ""); status != 401 {
		t.Errorf("a guest got %d", status)
	}
	for _, q := range []string{"state=sideways", "from=27/11/2026", "min=lots", "sort=sideways"} {
		if status, _, body := get(t, base+"/api/exports/invoices.csv?"+q, apptest.Tokens.Staff); status != 400 {
			t.Errorf("%s: %d %s", q, status, body)
		}
	}
}

func TestExportFiltersLikeTheList(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"state=paid", 0},
		{"state=unpaid", 2},
		{"q=Consultor", 2},
		{"q=" + a.GetString("number"), 1},
		{"q=nothing-like-this", 0},
		{"min=121&max=121", 2},
		{"min=122", 0},
		{"state=rejected", 0},
	} {
		_, _, body := get(t, base+"/api/exports/invoices.csv?"+tc.query, apptest.Tokens.Staff)
		if got := len(numbers(readCSV(t, body))); got != tc.want {
			t.Errorf("%s: %d invoices, want %d", tc.query, got, tc.want)
		}
	}
}

// TestXLSXHasRealDatesAndNumbers opens the workbook with excelize.
func TestXLSXHasRealDatesAndNumbers(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	status, h, body := get(t, base+"/api/exports/invoices.xlsx?lang=en", apptest.Tokens.Staff)
	if status != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %d %q", status, h.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	if sheet != "Invoices" {
		t.Errorf("sheet %q", sheet)
	}
	if v, _ := f.GetCellValue(sheet, "A1"); v != "Number" {
		t.Errorf("A1 %q", v)
	}
	for cell, want := range map[string]excelize.CellType{"D2": excelize.CellTypeNumber, "K2": excelize.CellTypeNumber, "K4": excelize.CellTypeNumber} {
		typ, err := f.GetCellType(sheet, cell)
		if err != nil || (typ != want && typ != excelize.CellTypeUnset) {
			t.Errorf("%s is of type %v, want a number", cell, typ)
		}
	}
	raw, _ := f.GetCellValue(sheet, "D2", excelize.Options{RawCellValue: true})
	if strings.Contains(raw, "-") || raw == "" {
		t.Errorf("the issue date is stored as %q, not as a date serial number", raw)
	}
	if v, _ := f.GetCellValue(sheet, "K4", excelize.Options{RawCellValue: true}); v != "242" {
		t.Errorf("the totals row's total is %q, want 242", v)
	}
	if v, _ := f.GetCellValue(sheet, "A4"); v != "Totals" {
		t.Errorf("A4 %q", v)
	}
}
