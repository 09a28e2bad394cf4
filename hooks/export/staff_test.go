package export_test

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/internal/taxes"
)

// fetch gets an export as CSV and as XLSX, checks that the two hold the
// same table, and returns the CSV's rows.
func fetch(t *testing.T, base, export, params, token string) [][]string {
	t.Helper()
	status, h, body := get(t, base+"/api/exports/"+export+".csv?"+params, token)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Fatalf("%s.csv?%s: %d %s", export, params, status, body)
	}
	csvRows := readCSV(t, body)
	agree(t, csvRows, readXLSX(t, base+"/api/exports/"+export+".xlsx?"+params, token), csvComma(body) == ';')
	return csvRows
}

// readXLSX fetches a workbook and returns its first sheet's raw cell values
// (numbers and date serial numbers as stored, not as displayed).
func readXLSX(t *testing.T, url, token string) [][]string {
	t.Helper()
	status, h, body := get(t, url, token)
	if status != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("%s: %d %s", url, status, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var (
	isoDate     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isoDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
)

// agree checks that a CSV and an XLSX hold the same cells: equal text,
// equal numbers, and date serial numbers that are the CSV's dates and times.
// A CSV text cell defused with a leading apostrophe matches the XLSX's text;
// a Spanish CSV's numbers have a decimal comma.
func agree(t *testing.T, csvRows, xlsxRows [][]string, decimalComma bool) {
	t.Helper()
	if len(csvRows) != len(xlsxRows) {
		t.Fatalf("the CSV has %d rows, the XLSX %d", len(csvRows), len(xlsxRows))
	}
	for i, c := range csvRows {
		x := append(xlsxRows[i], make([]string, max(0, len(c)-len(xlsxRows[i])))...) // GetRows drops trailing blanks
		if len(x) != len(c) {
			t.Fatalf("row %d: the CSV has %d cells, the XLSX %d", i+1, len(c), len(x))
		}
		for j := range c {
			if !sameCell(c[j], x[j], decimalComma) {
				t.Errorf("row %d column %d: CSV %q, XLSX %q", i+1, j+1, c[j], x[j])
			}
		}
	}
}

func sameCell(csvCell, xlsxCell string, decimalComma bool) bool {
	if csvCell == xlsxCell || strings.HasPrefix(csvCell, "'") && csvCell[1:] == xlsxCell {
		return true
	}
	serial, err := strconv.ParseFloat(xlsxCell, 64)
	if err != nil {
		return false
	}
	if isoDate.MatchString(csvCell) || isoDateTime.MatchString(csvCell) {
		when, err := excelize.ExcelDateToTime(serial, false)
		return err == nil && (when.Format(time.DateOnly) == csvCell || when.Format(time.DateTime) == csvCell)
	}
	if decimalComma {
		if strings.Contains(csvCell, ".") {
			return false // a point in a Spanish CSV's number
		}
		csvCell = strings.Replace(csvCell, ",", ".", 1)
	}
	c, err := decimal.NewFromString(csvCell)
	return err == nil && c.Equal(decimal.NewFromFloat(serial))
}

// refused checks that an export answers status to whoever holds token, in
// both formats.
func refused(t *testing.T, base, export, token string, status int) {
	t.Helper()
	for _, ext := range []string{"csv", "xlsx"} {
		if got, _, body := get(t, base+"/api/exports/"+export+"."+ext, token); got != status {
			t.Errorf("%s.%s: %d, want %d: %s", export, ext, got, status, body)
		}
	}
}

// badRequest checks that a query is a 400 whose answer names the parameter.
func badRequest(t *testing.T, base, export, params, name string) {
	t.Helper()
	status, _, body := get(t, base+"/api/exports/"+export+".csv?"+params, apptest.Tokens.Staff)
	if status != 400 || !strings.Contains(string(body), `"`+name+`"`) || !strings.Contains(strings.ToLower(string(body)), name+" must") {
		t.Errorf("%s?%s: %d %s, want a 400 naming %s", export, params, status, body, name)
	}
}

// issueInvoice creates a draft through the model, as staff do in the
// dashboard, and issues it.
func issueInvoice(t testing.TB, app core.App, customer, lines string) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("customer", customer)
	r.Set("issue_date", apptest.Date(0))
	r.Set("lines", lines)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.IssueRecord(app, r.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// mixedLines have a discount, a rounding at the half cent, an exemption,
// recargo de equivalencia and a withholding.
const mixedLines = `[
{"description":"Carteles A2","quantity":20,"unit_price":"6.40","vat":21,"discount":5},
{"description":"Etiquetas sueltas","quantity":3,"unit_price":"0.335","vat":21},
{"description":"Formación","quantity":1,"unit_price":"300","vat":0,"vat_exemption":"Exenta: art. 20.Uno.9 Ley 37/1992"},
{"description":"Pintura","quantity":"2.5","unit_price":"18","vat":21,"surcharge":5.2},
{"description":"Maquetación","quantity":6,"unit_price":"38","vat":21,"withholding":15}]`

func TestLinesExportGivesEachLineWithTheInvoicesAmount(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	inv := issueInvoice(t, app, apptest.CustomerB, mixedLines)
	number := inv.GetString("number")

	rows := fetch(t, base, "lines", "lang=en&customer="+apptest.CustomerB+"&sort=number", apptest.Tokens.Staff)
	want := []string{"Number", "Customer", "Tax ID", "Issue date", "Line", "Description", "Quantity", "Unit price",
		"Discount %", "VAT %", "VAT exemption", "Surcharge %", "Income tax withheld %", "Amount"}
	if strings.Join(rows[0], "|") != strings.Join(want, "|") {
		t.Errorf("header %v", rows[0])
	}
	// Invoice B's one line, then the new invoice's five, in ascending number order.
	if len(rows) != 1+1+5+1 {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	if r := rows[1]; r[5] != "Consultoría" || r[13] != "100.00" {
		t.Errorf("invoice B's line: %v", r)
	}
	lines, err := taxes.ParseLines([]byte(mixedLines))
	if err != nil {
		t.Fatal(err)
	}
	// By hand: 20 × 6.40 less 5 %; 3 × 0.335 = 1.005, half a cent up; 300;
	// 2.5 × 18; 6 × 38.
	amounts := []string{"121.60", "1.01", "300.00", "45.00", "228.00"}
	var sum decimal.Decimal
	for i, l := range lines {
		r := rows[2+i]
		got := strings.Join(r, "|")
		wantRow := strings.Join([]string{
			number, "Beta Distribuciones S.A.", "A28391043", inv.GetDateTime("issue_date").Time().Format(time.DateOnly), strconv.Itoa(i + 1),
			l.Description, l.Quantity.String(), l.UnitPrice.String(), l.Discount.String(), l.VAT.String(),
			l.VATExemption, l.Surcharge.String(), l.Withholding.String(), amounts[i],
		}, "|")
		if got != wantRow {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got, wantRow)
		}
		sum = sum.Add(decimal.RequireFromString(r[13]))
	}
	// The lines add up to the invoice's own taxable base.
	if !sum.Equal(decimal.NewFromFloat(inv.GetFloat("subtotal"))) {
		t.Errorf("the lines add up to %s, the invoice's base is %v", sum, inv.GetFloat("subtotal"))
	}
	if last := rows[len(rows)-1]; last[0] != "Totals" || last[13] != sum.Add(decimal.NewFromInt(100)).StringFixed(2) {
		t.Errorf("totals row %v, want %s", last, sum.Add(decimal.NewFromInt(100)).StringFixed(2))
	}
}

func TestLinesExportFiltersLikeTheList(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	inv := issueInvoice(t, app, apptest.CustomerB, mixedLines)
	for _, tc := range []struct {
		params string
		want   int // lines
	}{
		{"", 1 + 1 + 5},
		{"customer=" + apptest.CustomerA, 1},
		{"customer=" + apptest.CustomerB, 1 + 5},
		{"q=Pintura", 5}, // every line of the invoices the search selects
		{"q=" + inv.GetString("number"), 5},
		{"min=121&max=121", 2},
		{"state=paid", 0},
		{"from=2000-01-01&to=2000-12-31", 0},
	} {
		rows := fetch(t, base, "lines", tc.params, apptest.Tokens.Staff)
		if got := len(rows) - 2; got != tc.want {
			t.Errorf("%q: %d lines, want %d", tc.params, got, tc.want)
		}
	}
	rows := fetch(t, base, "lines", "", apptest.Tokens.Staff)
	if rows[0][0] != "Número" || rows[len(rows)-1][0] != "Totales" {
		t.Errorf("without lang the export is not in the firm's Spanish: %v … %v", rows[0], rows[len(rows)-1])
	}

	badRequest(t, base, "lines", "state=sideways", "state")
	badRequest(t, base, "lines", "from=27/11/2026", "from")
	badRequest(t, base, "lines", "to=tomorrow", "to")
	badRequest(t, base, "lines", "min=lots", "min")
	badRequest(t, base, "lines", "max=NaN", "max")
	badRequest(t, base, "lines", "sort=sideways", "sort")
	refused(t, base, "lines", apptest.Tokens.ContactA, 403)
	refused(t, base, "lines", "", 401)
}

func TestPaymentsExportListsEveryPayment(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	tomorrow := apptest.Day(1)
	// Recorded at 08:30 UTC on a summer day: 10:30 in Spain.
	restore := clock.Set(func() time.Time { return time.Date(2026, 7, 1, 8, 30, 0, 0, time.UTC) })
	_, err := invoicing.RecordPayment(app, apptest.IssuedB, invoicing.Payment{
		Amount: decimal.RequireFromString("50.5"), PaidOn: tomorrow,
		Method: "cheque", Reference: "CHQ 0042",
	}, invoicing.Actor{Email: apptest.StaffEmail})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	b, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)

	rows := fetch(t, base, "payments", "lang=en", apptest.Tokens.Staff)
	if strings.Join(rows[0], "|") != "Paid on|Number|Customer|Tax ID|Amount|Method|Reference|Recorded at" {
		t.Errorf("header %v", rows[0])
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want the header, 2 payments and totals: %v", len(rows), rows)
	}
	// Oldest payment first: the world's of today, then ours of tomorrow.
	if got, want := strings.Join(rows[2], "|"), apptest.Date(1)+"|"+b.GetString("number")+"|Beta Distribuciones S.A.|A28391043|50.50|Cheque|CHQ 0042|2026-07-01 10:30:00"; got != want {
		t.Errorf("our payment:\n got %s\nwant %s", got, want)
	}
	world, err := app.FindFirstRecordByData(invoicing.Payments, "invoice", apptest.IssuedA)
	if err != nil {
		t.Fatal(err)
	}
	if r := rows[1]; r[0] != world.GetDateTime("paid_on").Time().Format(time.DateOnly) || r[1] != a.GetString("number") || r[4] != "21.00" || r[5] != "Bank transfer" {
		t.Errorf("the world's payment: %v", r)
	}
	if last := rows[3]; last[0] != "Totals" || last[4] != "71.50" {
		t.Errorf("totals row %v", last)
	}

	for params, want := range map[string]int{
		"from=" + apptest.Date(1) + "&to=" + apptest.Date(1): 1,
		"to=" + apptest.Date(-1):                             0,
		"from=" + apptest.Date(1):                            1,
		"to=" + apptest.Date(0):                              1,
		"customer=" + apptest.CustomerB:                      1,
		"customer=" + apptest.CustomerA:                      1,
		"customer=nobody":                                    0,
	} {
		rows := fetch(t, base, "payments", params, apptest.Tokens.Staff)
		if got := len(rows) - 2; got != want {
			t.Errorf("%q: %d payments, want %d", params, got, want)
		}
	}
	badRequest(t, base, "payments", "from=15/03/2021", "from")
	badRequest(t, base, "payments", "to=2021-02-30", "to")
	refused(t, base, "payments", apptest.Tokens.ContactB, 403)
	refused(t, base, "payments", "", 401)
}

func TestEventsExportIsTheTimeline(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	contact, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
	appendAt := func(at time.Time, typ string, actor invoicing.Actor, data map[string]any) {
		t.Helper()
		restore := clock.Set(func() time.Time { return at })
		defer restore()
		if _, err := invoicing.AppendEvent(app, a, typ, actor, data); err != nil {
			t.Fatal(err)
		}
	}
	// 23:30 UTC on 10 January is 00:30 on the 11th in Spain.
	appendAt(time.Date(2020, 1, 10, 23, 30, 0, 0, time.UTC), invoicing.EventOpened,
		invoicing.Actor{Email: "billing@alfa.example", IP: "203.0.113.7", UserAgent: "Mozilla/5.0 (Windows NT 10.0)"},
		map[string]any{"weak": true, "automated": false})
	appendAt(time.Date(2020, 1, 12, 10, 0, 0, 0, time.UTC), invoicing.EventViewed,
		invoicing.Actor{Contact: contact, Email: contact.Email(), IP: "203.0.113.8", UserAgent: `=HYPERLINK("http://evil.example","x")`}, nil)
	appendAt(time.Date(2020, 1, 12, 11, 0, 0, 0, time.UTC), invoicing.EventReadReceipt, invoicing.Actor{Email: "billing@alfa.example"}, nil)

	rows := fetch(t, base, "events", "lang=en&from=2020-01-01&to=2020-01-31", apptest.Tokens.Staff)
	if strings.Join(rows[0], "|") != "When|Number|Customer|Event|Code|Signal|Who|IP address|User agent|Details" {
		t.Errorf("header %v", rows[0])
	}
	number := a.GetString("number")
	want := []string{
		"2020-01-11 00:30:00|" + number + "|Alfa Comercial S.L.|Email opened|opened|weak|billing@alfa.example|203.0.113.7|Mozilla/5.0 (Windows NT 10.0)|" + `{"automated":false,"weak":true}`,
		"2020-01-12 11:00:00|" + number + `|Alfa Comercial S.L.|Viewed|viewed||ana@alfa.example|203.0.113.8|'=HYPERLINK("http://evil.example","x")|`,
		"2020-01-12 12:00:00|" + number + "|Alfa Comercial S.L.|Read receipt|read_receipt|weak|billing@alfa.example|||",
	}
	if len(rows) != 1+len(want) {
		t.Fatalf("%d rows, want the header and %d events (no totals): %v", len(rows), len(want), rows)
	}
	for i, w := range want {
		if got := strings.Join(rows[1+i], "|"); got != w {
			t.Errorf("event %d:\n got %s\nwant %s", i+1, got, w)
		}
	}
	es := fetch(t, base, "events", "type=opened&from=2020-01-11&to=2020-01-11", apptest.Tokens.Staff)
	if len(es) != 2 || es[0][0] != "Fecha y hora" || es[1][3] != "Correo abierto" || es[1][5] != "débil" {
		t.Errorf("the opening in Spanish, on its day in Spain: %v", es)
	}

	all := len(fetch(t, base, "events", "", apptest.Tokens.Staff)) - 1
	for params, want := range map[string]int{
		"from=2020-01-10&to=2020-01-10":        0, // the opening was on the 11th in Spain
		"from=2020-01-12&to=2020-01-12":        2,
		"type=opened":                          1,
		"type=issued":                          2, // the world's two invoices
		"invoice=" + number + "&to=2020-01-31": 3,
		"invoice=" + apptest.IssuedA:           all - 1, // all but invoice B's issue
		"invoice=" + apptest.IssuedB:           1,
		"customer=" + apptest.CustomerB:        1,
		"invoice=A-1999-000001":                0,
	} {
		rows := fetch(t, base, "events", params, apptest.Tokens.Staff)
		if got := len(rows) - 1; got != want {
			t.Errorf("%q: %d events, want %d", params, got, want)
		}
	}
	badRequest(t, base, "events", "type=sideways", "type")
	badRequest(t, base, "events", "from=yesterday", "from")
	refused(t, base, "events", apptest.Tokens.ContactA, 403)
	refused(t, base, "events", "", 401)
}

// TestStaffWorkbooksAreReadable: a styled, frozen header, widths, and
// outsiders' text stored as text rather than as a formula.
func TestStaffWorkbooksAreReadable(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if _, err := invoicing.AppendEvent(app, a, invoicing.EventViewed, invoicing.Actor{UserAgent: "=1+1"}, nil); err != nil {
		t.Fatal(err)
	}
	for export, sheet := range map[string]string{"invoices": "Invoices", "lines": "Lines", "payments": "Payments", "events": "Events"} {
		status, h, body := get(t, base+"/api/exports/"+export+".xlsx?lang=en", apptest.Tokens.Staff)
		if status != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="`) {
			t.Fatalf("%s: %d %v", export, status, h)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if name := f.GetSheetName(0); name != sheet {
			t.Errorf("%s: sheet %q", export, name)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: the header row is not frozen: %+v %v", export, panes, err)
		}
		id, _ := f.GetCellStyle(sheet, "A1")
		style, err := f.GetStyle(id)
		if err != nil || style.Font == nil || !style.Font.Bold || len(style.Fill.Color) == 0 {
			t.Errorf("%s: the header is not styled: %+v %v", export, style, err)
		}
		if w, _ := f.GetColWidth(sheet, "C"); w < 10 || w > 40 {
			t.Errorf("%s: column C is %v wide", export, w)
		}
	}
	_, _, body := get(t, base+"/api/exports/events.xlsx?type=viewed", apptest.Tokens.Staff)
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	formula, _ := f.GetCellFormula(sheet, "I2")
	typ, _ := f.GetCellType(sheet, "I2")
	v, _ := f.GetCellValue(sheet, "I2")
	if formula != "" || v != "=1+1" || typ == excelize.CellTypeNumber {
		t.Errorf("the user agent cell is %q (formula %q, type %v), want the text =1+1", v, formula, typ)
	}
	if w, _ := f.GetColWidth(sheet, "J"); w != 60 {
		t.Errorf("the details column is %v wide", w)
	}
}

// TestAnExportThatCannotFinishFailsTheDownload: once a CSV has begun to go
// out, a failure drops the connection rather than ending a file that would
// look whole; an XLSX, sent only when complete, gets an error status.
func TestAnExportThatCannotFinishFailsTheDownload(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	// Issued invoices cannot be changed through any door of the product;
	// this stands for a database altered behind its back.
	if _, err := app.DB().NewQuery("UPDATE invoices SET lines = '[{\"description\":\"no numbers\"}]' WHERE id = {:id}").
		Bind(map[string]any{"id": apptest.IssuedA}).Execute(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base+"/api/exports/lines.csv", nil)
	req.Header.Set("Authorization", apptest.Tokens.Staff)
	// The failure comes before the first buffer is sent, so the client
	// may see it as soon as it asks or only while it reads.
	if res, err := http.DefaultClient.Do(req); err == nil {
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			t.Errorf("the CSV download ended normally: %d\n%s", res.StatusCode, body)
		}
	}
	if status, _, body := get(t, base+"/api/exports/lines.xlsx", apptest.Tokens.Staff); status != 500 {
		t.Errorf("xlsx: %d %s", status, body)
	}
}

// TestDateFiltersReachTheEndsOfTheCalendar asks every export for the widest
// dates a filter can name: they select everything, as no filter does, rather
// than nothing or an error.
func TestDateFiltersReachTheEndsOfTheCalendar(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	for _, export := range []string{"invoices", "lines", "payments", "events"} {
		status, _, all := get(t, base+"/api/exports/"+export+".csv", apptest.Tokens.Staff)
		if status != 200 || len(readCSV(t, all)) < 3 {
			t.Fatalf("%s without filters: %d %s", export, status, all)
		}
		for _, params := range []string{"to=9999-12-31", "from=0001-01-01", "from=0001-01-01&to=9999-12-31"} {
			status, _, body := get(t, base+"/api/exports/"+export+".csv?"+params, apptest.Tokens.Staff)
			if status != 200 || len(readCSV(t, body)) != len(readCSV(t, all)) {
				t.Errorf("%s?%s: %d, %d rows; without filters %d rows", export, params, status, len(readCSV(t, body)), len(readCSV(t, all)))
			}
		}
		badRequest(t, base, export, "to=10000-01-01", "to")
	}
	// The portal's contact too.
	status, _, body := get(t, base+"/api/exports/invoices.csv?to=9999-12-31&min=NaN", apptest.Tokens.ContactA)
	if status != 400 {
		t.Errorf("a contact's export with min=NaN: %d %s", status, body)
	}
	status, _, body = get(t, base+"/api/exports/invoices.csv?to=9999-12-31", apptest.Tokens.ContactA)
	if rows := readCSV(t, body); status != 200 || len(rows) != 3 { // header, IssuedA, totals
		t.Errorf("a contact's export to 9999-12-31: %d %v", status, rows)
	}
}
