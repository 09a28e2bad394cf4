package export_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestCSVOpensInTheReadersSpreadsheet: a Spanish reader's CSV is what
// Spanish Excel splits and reads as numbers (";" between cells, a decimal
// comma), an English reader's what English Excel does ("," and a point);
// in both, a cell holding the separator is quoted, so it stays one cell.
func TestCSVOpensInTheReadersSpreadsheet(t *testing.T) {
	app := apptest.New(t)
	customer, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	if err != nil {
		t.Fatal(err)
	}
	customer.Set("name", "Alfa; Comercial, S.L.") // both separators in a cell
	if err := app.Save(customer); err != nil {
		t.Fatal(err)
	}
	lines := `[{"description":"Obra","quantity":"2.5","unit_price":"1000","vat":21}]` // 2.500,00 + 525,00
	issueInvoice(t, app, apptest.CustomerA, lines)
	base := apptest.Serve(t, app)
	for _, tc := range []struct {
		lang, query           string
		comma                 rune
		total, quantity, paid string
		header                string
	}{
		{"es", "", ';', "3025,00", "2,5", "21,00", "Número"},
		{"es", "lang=es", ';', "3025,00", "2,5", "21,00", "Número"},
		{"en", "lang=en", ',', "3025.00", "2.5", "21.00", "Number"},
	} {
		for _, export := range []string{"invoices", "lines", "payments"} {
			_, _, body := get(t, base+"/api/exports/"+export+".csv?customer="+apptest.CustomerA+"&"+tc.query, apptest.Tokens.Staff)
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
			r.Comma = tc.comma
			rows, err := r.ReadAll()
			if err != nil || len(rows) < 3 || len(rows[0]) < 5 {
				t.Errorf("%s %s: does not read as %q-separated: %v\n%s", tc.lang, export, tc.comma, err, body)
				continue
			}
			cells := strings.Join(flatten(rows), "|")
			// (The payments name the customer as it was when its invoice
			// was issued, before the new name.)
			if export != "payments" && !strings.Contains(cells, "|Alfa; Comercial, S.L.|") {
				t.Errorf("%s %s: the customer's name is not one cell: %v", tc.lang, export, rows[1])
			}
			want := map[string]string{"invoices": tc.total, "lines": tc.quantity, "payments": tc.paid}[export]
			if !strings.Contains("|"+cells+"|", "|"+want+"|") {
				t.Errorf("%s %s: no cell %q in %v", tc.lang, export, want, rows)
			}
			if export == "invoices" && rows[0][0] != tc.header {
				t.Errorf("%s: the header %v", tc.lang, rows[0])
			}
		}
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
