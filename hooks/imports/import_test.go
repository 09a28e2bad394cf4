package imports_test

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/imports"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
)

// badHeader has every column the bad-rows file needs.
const badHeader = "external_id,customer_tax_id,customer_name,customer_email,currency,issue_date,due_date,line_description,quantity,unit_price,discount,vat,vat_exemption,surcharge,withholding\n"

// badRows has one kind of problem per row (but row 2, 14 and 16, which are
// fine), to the existing customer Alfa (B87654323) unless the row is about
// the customer.
var badRows = []struct {
	row    string
	column string // the column the error names; "-" when the row has none
}{
	{"G1,B87654323,,,,2026-01-10,,Bien,1,100,,21,,,", "-"},
	{"E1,B87654324,Nuevo S.L.,,,2026-01-10,,x,1,100,,21,,,", "customer_tax_id"}, // bad CIF checksum
	{"E2,B87654323,,,,2026-01-10,,x,1,100,,16,,,", "vat"},                       // unknown VAT rate
	{"E3,B87654323,,,,2026-01-10,,x,1,100,,21,,,12", "withholding"},             // unknown IRPF rate
	{"E4,B87654323,,,,2026-02-30,,x,1,100,,21,,,", "issue_date"},                // no such day
	{"E5,B87654323,,,,2026-01-10,,x,abc,100,,21,,,", "quantity"},                // not a number
	{"E6,B87654323,,,,2026-01-10,,x,1,1.234,,21,,,", "unit_price"},              // ambiguous
	{"E7,B87654323,,,,2026-01-10,,,1,100,,21,,,", "line_description"},           // missing
	{",B87654323,,,,2026-01-10,,x,1,100,,21,,,", "external_id"},                 // missing
	{"E8,B95234563,,,,2026-01-10,,x,1,100,,21,,,", "customer_tax_id"},           // unknown, no name to create it
	{"E9,12345678Z,Persona,no-es-un-email,,2026-01-10,,x,1,100,,21,,,", "customer_email"},
	{"E10,B87654323,,,,2026-03-10,2026-03-01,x,1,100,,21,,,", "due_date"},                 // before the issue date
	{"E11,B87654323,,,,2026-01-10,,x,1,100,,21,,,", "-"},                                  // fine alone…
	{"E11,B87654323,,,,2026-01-11,,y,1,100,,21,,,", "issue_date"},                         // …but disagrees with the row above
	{"E12,B87654323,,,,2026-01-10,,Repetida,1,100,,21,,,", "-"},                           // fine alone…
	{"G1,B87654323,,,,2026-01-10,,Otra,2,50,,21,,,", "-"},                                 // G1 again, another line: fine
	{"E12,B87654323,,,,2026-01-10,,Repetida,1,100,,21,,,", "external_id"},                 // …but repeated in a separate block
	{"E13,B87654323,,,,2026-01-10,,x,1,100,,21,,1.4,", "surcharge"},                       // 1.4 goes with VAT 10
	{"E14,B87654323,,,,2026-01-10,,x,1,100,150,21,,,", "discount"},                        // over 100 %
	{"E15,B87654323,,,,2026-01-10,,x,1,100,,0,,,", "vat_exemption"},                       // 0 % needs a reason
	{"E16,B87654323,,,USD,2026-01-10,,x,1,100,,21,,,", "currency"},                        // not EUR
	{"E17,B87654323,,,,2026-01-10,,x,1,100,,21,,,,sobra", ""},                             // more cells than columns
	{"E18,B87654323,,,,2026-01-10,,x,0,100,,21,,,", "quantity"},                           // zero
	{"E19,B87654323,,,,2026-01-10,,x,1,,,21,,,", "unit_price"},                            // missing
	{"E20,B87654323,,,,2026-01-10,,x,1,100,,veintiuno,,,", "vat"},                         // not a number
	{"E21,X1234567L,Extranjero,,,2026-01-10,,x,1,100,,21,,,", "-"},                        // a valid NIE: fine
	{"E22,FR41303265045,Cliente Francés,,,2026-01-10,,x,1,100,,21,,,", "customer_tax_id"}, // a French VAT id with a wrong key
}

func badFile() string {
	var b strings.Builder
	b.WriteString(badHeader)
	for _, r := range badRows {
		b.WriteString(r.row + "\n")
	}
	return b.String()
}

// TestEveryBadRowIsReportedAndNothingWritten imports a file with one
// problem per row and expects each reported at its row and column, and
// nothing stored, not even the good invoice or the new customers.
func TestEveryBadRowIsReportedAndNothingWritten(t *testing.T) {
	app := apptest.New(t)
	before := countAll(t, app)
	for _, dryRun := range []bool{true, false} {
		s := run(t, app, "bad.csv", []byte(badFile()), imports.Options{DryRun: dryRun})
		want := map[string]bool{}
		for i, r := range badRows {
			if r.column != "-" {
				want[fmt.Sprintf("%d/%s", i+2, r.column)] = true
			}
		}
		got := map[string]bool{}
		for _, e := range s.Errors {
			if e.Message == "" {
				t.Errorf("row %d, %s: no message", e.Row, e.Column)
			}
			got[fmt.Sprintf("%d/%s", e.Row, e.Column)] = true
		}
		for k := range want {
			if !got[k] {
				t.Errorf("dry run %v: no error at row/column %s; got %v", dryRun, k, s.Errors)
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("dry run %v: unexpected error at %s: %v", dryRun, k, s.Errors)
			}
		}
		// The row without an external_id and the row with too many cells
		// belong to no invoice.
		if s.Invoices != len(badRows)-5 || s.Lines != len(badRows) {
			t.Errorf("invoices %d, lines %d", s.Invoices, s.Lines)
		}
		if !dryRun && (s.Created != 0 || s.CustomersCreated != 0) {
			t.Errorf("a failed import says it created %d invoices and %d customers", s.Created, s.CustomersCreated)
		}
	}
	if after := countAll(t, app); !maps.Equal(before, after) {
		t.Fatalf("records written: before %v, after %v", before, after)
	}
}

func TestErrorMessagesSayWhatIsWrong(t *testing.T) {
	app := apptest.New(t)
	s := run(t, app, "bad.csv", []byte(badFile()), imports.Options{})
	messages := map[string]string{}
	for _, e := range s.Errors {
		messages[fmt.Sprintf("%d/%s", e.Row, e.Column)] = e.Message
	}
	for key, words := range map[string]string{
		"4/vat":              "21, 10, 4 or 0",
		"5/withholding":      "15, 7, 19 or 1",
		"8/unit_price":       "ambiguous",
		"11/customer_tax_id": "customer_name is empty",
		"13/due_date":        "before the issue date",
		"15/issue_date":      "row 14",
		"18/external_id":     "row 16",
		"23/":                "header names 15 columns",
		"3/customer_tax_id":  "B87654324",
		"12/customer_email":  "not an email",
		"21/vat_exemption":   "reason for the exemption",
		"19/surcharge":       "only with 10% VAT",
		"22/currency":        "EUR",
	} {
		if !strings.Contains(messages[key], words) {
			t.Errorf("%s: message %q does not say %q", key, messages[key], words)
		}
	}
}

func TestUnknownOrMissingColumnsAreReportedOnRowOne(t *testing.T) {
	app := apptest.New(t)
	s := run(t, app, "typo.csv", []byte("External_ID , customer_tax_id,issue_date,line_description,quantiy,unit_price,vat\nA,B87654323,2026-01-10,x,1,100,21\n"), imports.Options{})
	if len(s.Errors) != 2 ||
		s.Errors[0].Row != 1 || s.Errors[0].Column != "quantiy" || !strings.Contains(s.Errors[0].Message, "unknown column") ||
		s.Errors[1] != (imports.RowError{Row: 1, Column: "quantity", Message: "missing column: every file needs it"}) {
		t.Fatalf("errors %+v", s.Errors)
	}
}

func TestValuesUnderABlankHeaderAreReported(t *testing.T) {
	app := apptest.New(t)
	s := run(t, app, "blank.csv", []byte("external_id,customer_tax_id,issue_date,,line_description,quantity,unit_price,vat\n"+
		"A,B87654323,2026-01-10,,x,1,100,21\n"+
		"A,B87654323,2026-01-10,olvidado,y,1,100,21\n"), imports.Options{})
	if len(s.Errors) != 1 || s.Errors[0].Row != 3 || !strings.Contains(s.Errors[0].Message, "column 4") || s.Created != 0 {
		t.Fatalf("summary %+v", s)
	}
}

func TestDryRunWritesNothingAndSaysWhatItWouldDo(t *testing.T) {
	app := apptest.New(t)
	file := csvOf(generate(20, 3), false)
	before := countAll(t, app)
	s := run(t, app, "f.csv", file, imports.Options{DryRun: true})
	if len(s.Errors) != 0 || !s.DryRun || s.Created != 20 || s.CustomersCreated != 20 || s.Lines != 60 {
		t.Fatalf("summary %+v", s)
	}
	if after := countAll(t, app); !maps.Equal(before, after) {
		t.Fatalf("a dry run wrote: before %v, after %v", before, after)
	}
}

const reimportHeader = "external_id,customer_tax_id,customer_name,customer_email,series,issue_date,line_description,quantity,unit_price,vat\n"

func TestReimportIsIdempotent(t *testing.T) {
	app := apptest.New(t)
	file := reimportHeader +
		"R-1,B87654323,,,T,2026-01-10,Uno,1,100,21\n" +
		"R-2,12345678Z,Persona Física,pf@example.com,T,2026-01-10,Dos,2,50,21\n" +
		"R-2,12345678Z,Persona Física,pf@example.com,T,2026-01-10,Dos bis,1,10,10\n" +
		"R-3,es 12345678-z,,,T,2026-01-11,Tres,3,10,4\n" // the same customer as R-2, written otherwise
	s := run(t, app, "a.csv", []byte(file), imports.Options{})
	if len(s.Errors) != 0 || s.Created != 3 || s.CustomersCreated != 1 {
		t.Fatalf("first import: %+v", s)
	}
	first := countAll(t, app)
	stamps := updatedStamps(t, app)

	s = run(t, app, "a.csv", []byte(file), imports.Options{})
	if len(s.Errors) != 0 || s.Created != 0 || s.Updated != 0 || s.Unchanged != 3 || s.CustomersCreated != 0 {
		t.Fatalf("second import: %+v", s)
	}
	if again := countAll(t, app); !maps.Equal(first, again) {
		t.Fatalf("re-import changed counts: %v → %v", first, again)
	}
	if again := updatedStamps(t, app); !maps.Equal(stamps, again) {
		t.Fatalf("re-import saved records: %v → %v", stamps, again)
	}

	// A changed price updates that draft, and its totals follow.
	changed := strings.Replace(file, "Dos,2,50,21", "Dos,2,60,21", 1)
	s = run(t, app, "a.csv", []byte(changed), imports.Options{})
	if len(s.Errors) != 0 || s.Updated != 1 || s.Unchanged != 2 || s.Created != 0 {
		t.Fatalf("changed import: %+v", s)
	}
	r2 := byExternalID(t, app, "R-2")
	if got := r2.GetFloat("total"); got != 156.2 { // 120 × 1.21 + 10 × 1.10
		t.Fatalf("R-2 total %v after the change, want 156.2", got)
	}

	// An issued invoice is never touched, whatever the file says now.
	r1 := byExternalID(t, app, "R-1")
	if _, err := invoicing.Issue(app, r1.Id, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	issued := byExternalID(t, app, "R-1")
	changed = strings.Replace(changed, "Uno,1,100,21", "Uno cambiado,5,100,21", 1)
	s = run(t, app, "a.csv", []byte(changed), imports.Options{})
	if len(s.Errors) != 0 || s.SkippedIssued != 1 || s.Unchanged != 2 {
		t.Fatalf("import over an issued invoice: %+v", s)
	}
	after := byExternalID(t, app, "R-1")
	if after.GetString("lines") != issued.GetString("lines") || after.GetString("updated") != issued.GetString("updated") {
		t.Fatalf("the issued invoice changed: %s → %s", issued.GetString("lines"), after.GetString("lines"))
	}
}

// updatedStamps are the update times of every customer and invoice.
func updatedStamps(t *testing.T, app core.App) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, c := range []string{invoicing.Customers, invoicing.Invoices} {
		records, err := app.FindAllRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range records {
			out[r.Id] = r.GetString("updated")
		}
	}
	return out
}

func byExternalID(t *testing.T, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByData(invoicing.Invoices, "external_id", id)
	if err != nil {
		t.Fatalf("invoice %s: %v", id, err)
	}
	return r
}

func TestImportIssuesInFileOrderAndQueuesEmails(t *testing.T) {
	app := apptest.New(t)
	file := reimportHeader +
		"S-2,B87654323,,,T,2026-12-01,Primera,1,100,21\n" +
		"S-1,A28391043,,,T,2026-12-02,Segunda,1,200,21\n" +
		"S-3,12345678Z,Persona Física,pf@example.com,T,2026-12-03,Tercera,1,300,21\n"
	messagesBefore := countAll(t, app)[mail.Messages]
	s := run(t, app, "s.csv", []byte(file), imports.Options{Issue: true, Send: true, Actor: invoicing.Actor{Email: apptest.StaffEmail}})
	if len(s.Errors) != 0 || s.Created != 3 || s.Issued != 3 || s.Queued != 3 {
		t.Fatalf("summary %+v", s)
	}
	for i, id := range []string{"S-2", "S-1", "S-3"} {
		inv := byExternalID(t, app, id)
		if want := fmt.Sprintf("T-2026-%06d", i+1); inv.GetString("number") != want || inv.GetString("delivery") != "queued" {
			t.Errorf("%s: number %q delivery %q, want %s queued", id, inv.GetString("number"), inv.GetString("delivery"), want)
		}
		msgs, err := app.FindAllRecords(mail.Messages, dbx.HashExp{"invoice": inv.Id, "kind": "invoice"})
		if err != nil || len(msgs) != 1 {
			t.Errorf("%s: %d messages (%v)", id, len(msgs), err)
		}
	}
	if n := countAll(t, app)[mail.Messages] - messagesBefore; n != 3 {
		t.Fatalf("%d messages queued", n)
	}

	// Importing the same file again issues and sends nothing more.
	s = run(t, app, "s.csv", []byte(file), imports.Options{Issue: true, Send: true})
	if len(s.Errors) != 0 || s.SkippedIssued != 3 || s.Issued != 0 || s.Queued != 0 {
		t.Fatalf("second import: %+v", s)
	}
}

func TestIssuingStopsAtTheFirstFailureAndKeepsTheImport(t *testing.T) {
	app := apptest.New(t)
	// The second invoice is dated before the first in the same series, so
	// it cannot be numbered after it. Dates from the world's today, which
	// none may pass.
	file := reimportHeader +
		"F-1,B87654323,,,T," + apptest.Date(-1) + ",Primera,1,100,21\n" +
		"F-2,B87654323,,,T," + apptest.Date(-5) + ",Segunda,1,100,21\n" +
		"F-3,B87654323,,,T," + apptest.Date(0) + ",Tercera,1,100,21\n"
	s := run(t, app, "f.csv", []byte(file), imports.Options{Issue: true})
	if s.Created != 3 || s.Issued != 1 || len(s.Errors) != 1 || s.Errors[0].Row != 3 || s.Errors[0].Column != "external_id" ||
		!strings.Contains(s.Errors[0].Message, "not issued") {
		t.Fatalf("summary %+v", s)
	}
	for id, status := range map[string]string{"F-1": "issued", "F-2": "draft", "F-3": "draft"} {
		if got := byExternalID(t, app, id).GetString("status"); got != status {
			t.Errorf("%s is %s, want %s", id, got, status)
		}
	}
}

func TestSendWithoutIssueIsRefused(t *testing.T) {
	app := apptest.New(t)
	_, err := imports.Import(app, strings.NewReader(""), 0, "x.csv", imports.Options{Send: true}, nil)
	if err != imports.ErrSendWithoutIssue {
		t.Fatalf("error %v", err)
	}
}

// TestFormatsGiveTheSameResult imports the same invoices from CSV with
// ",", from Spanish CSV (";", 1.234,56, a byte-order mark) and from XLSX
// with typed cells, each into a fresh app, and expects the same drafts.
func TestFormatsGiveTheSameResult(t *testing.T) {
	lines := generate(40, 5)
	files := map[string][]byte{
		"comma.csv":     csvOf(lines, false),
		"semicolon.csv": csvOf(lines, true),
		"typed.xlsx":    xlsxOf(t, lines),
		// An XLSX named .csv is still read as XLSX.
		"misnamed.csv": xlsxOf(t, lines),
	}
	if !regexp.MustCompile(`;[1-9][0-9]{0,2}\.[0-9]{3},[0-9]+;`).Match(files["semicolon.csv"]) {
		t.Fatal("the Spanish file has no grouped thousands; the test would not test them")
	}
	var reference map[string]string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		app := apptest.New(t)
		s := run(t, app, name, files[name], imports.Options{})
		if len(s.Errors) != 0 || s.Created != 40 || s.Lines != 200 || s.CustomersCreated != 40 {
			t.Fatalf("%s: %+v", name, s)
		}
		got := storedDrafts(t, app)
		if reference == nil {
			reference = got
			continue
		}
		for id, want := range reference {
			if got[id] != want {
				t.Errorf("%s: %s is\n%s\nbut\n%s", name, id, got[id], want)
			}
		}
	}
}

// storedDrafts describes every imported draft by what an import sets and
// the totals the store computed.
func storedDrafts(t *testing.T, app core.App) map[string]string {
	t.Helper()
	records, err := app.FindAllRecords(invoicing.Invoices, dbx.NewExp("external_id != ''"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range records {
		customer, err := app.FindRecordById(invoicing.Customers, r.GetString("customer"))
		if err != nil {
			t.Fatal(err)
		}
		out[r.GetString("external_id")] = fmt.Sprintf("%s %s %s %s due %s %s %s total %.2f %s",
			customer.GetString("tax_id"), customer.GetString("name"), r.GetString("series"), r.GetString("issue_date"),
			r.GetString("due_date"), r.GetString("notes"), r.GetString("lines"), r.GetFloat("total"), r.GetString("taxes"))
	}
	return out
}

// TestStoreRefusalsAreReportedByColumn: what the store's own field rules
// refuse (lengths, patterns, choices) is reported at the row and column
// that filled the field, by a dry run as by a real one.
func TestStoreRefusalsAreReportedByColumn(t *testing.T) {
	app := apptest.New(t)
	before := countAll(t, app)
	file := "external_id,customer_tax_id,customer_name,customer_language,series,issue_date,line_description,quantity,unit_price,vat\n" +
		"OK-1,B87654323,,,A,2026-01-10,x,1,100,21\n" +
		"OK-2,B87654323,,,A-1,2026-01-10,x,1,100,21\n" +
		strings.Repeat("L", 101) + ",B87654323,,,A,2026-01-10,x,1,100,21\n" +
		"OK-3,12345678Z," + strings.Repeat("N", 201) + ",,A,2026-01-10,x,1,100,21\n" +
		"OK-4,X1234567L,Nombre,fr,A,2026-01-10,x,1,100,21\n"
	for _, dryRun := range []bool{true, false} {
		s := run(t, app, "f.csv", []byte(file), imports.Options{DryRun: dryRun})
		got := map[string]bool{}
		for _, e := range s.Errors {
			got[fmt.Sprintf("%d/%s", e.Row, e.Column)] = true
		}
		want := map[string]bool{"3/series": true, "4/external_id": true, "5/customer_name": true, "6/customer_language": true}
		if !maps.Equal(got, want) {
			t.Errorf("dry run %v: errors %+v", dryRun, s.Errors)
		}
	}
	if after := countAll(t, app); !maps.Equal(before, after) {
		t.Fatalf("records written: %v → %v", before, after)
	}
}

// TestErrorMessagesInTheReadersLanguage checks the same file's problems in
// Spanish: every message is the Spanish one, none is left in English.
func TestErrorMessagesInTheReadersLanguage(t *testing.T) {
	app := apptest.New(t)
	english := run(t, app, "bad.csv", []byte(badFile()), imports.Options{})
	spanish := run(t, app, "bad.csv", []byte(badFile()), imports.Options{Lang: "es"})
	if len(spanish.Errors) != len(english.Errors) || len(spanish.Errors) == 0 {
		t.Fatalf("%d problems in Spanish, %d in English", len(spanish.Errors), len(english.Errors))
	}
	messages := map[string]string{}
	for i, e := range spanish.Errors {
		messages[fmt.Sprintf("%d/%s", e.Row, e.Column)] = e.Message
		if e.Message == english.Errors[i].Message {
			t.Errorf("row %d, %s: still in English: %q", e.Row, e.Column, e.Message)
		}
	}
	for key, words := range map[string]string{
		"4/vat":              "El IVA debe ser 21, 10, 4 o 0",
		"8/unit_price":       "ambiguo",
		"11/customer_tax_id": "customer_name está vacío",
		"13/due_date":        "anterior a la fecha de emisión",
		"15/issue_date":      "fila 14",
		"23/":                "la cabecera nombra 15 columnas",
		"12/customer_email":  "no es una dirección de correo",
		"19/surcharge":       "solo va con IVA del 10 %",
		"22/currency":        "única moneda",
	} {
		if !strings.Contains(messages[key], words) {
			t.Errorf("%s: message %q does not say %q", key, messages[key], words)
		}
	}
}
