package products_test

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"facturo/hooks/products"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

func importText(t *testing.T, app core.App, name, content string, dryRun bool) *products.Summary {
	t.Helper()
	s, err := products.Import(app, strings.NewReader(content), int64(len(content)), name, dryRun)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func errorsOf(s *products.Summary) []string {
	var out []string
	for _, e := range s.Errors {
		out = append(out, fmt.Sprintf("%d %s: %s", e.Row, e.Column, e.Message))
	}
	return out
}

func count(t *testing.T, app core.App) int64 {
	t.Helper()
	n, err := app.CountRecords(products.Collection)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAProductsFileWithProblemsIsReportedByRowAndColumn: every problem of
// a file (numbers that do not read, rates the line rules refuse, a
// recargo with the wrong IVA, a missing exemption, a code twice) is listed
// at its row and column, and nothing is written.
func TestAProductsFileWithProblemsIsReportedByRowAndColumn(t *testing.T) {
	app := apptest.New(t)
	file := "code;name;unit_price;vat;vat_exemption;surcharge;withholding;active\n" +
		"A1;Hora de diseño;45,00;21;;;15;sí\n" +
		"A2;Libro;abc;4;;0,5;;\n" +
		"A3;Camiseta;12,50;10;;5.2;;\n" +
		"A4;Curso;300;0;;;;\n" +
		"A1;Otra hora;40;22;;;;quizá\n" +
		";Sin precio;;21;;;;\n"
	s := importText(t, app, "productos.csv", file, false)
	want := []string{
		"3 unit_price: not a number: write 1234.56, 1234,56 or 1.234,56",
		"4 surcharge: 5.2 % applies only with VAT 21 %",
		"5 vat_exemption: required when VAT is 0 %",
		"6 code: repeats the code of row 2",
		"6 vat: must be 21, 10, 4 or 0",
		"6 active: must be yes or no (sí, no, true, false, 1, 0)",
		"7 unit_price: required",
	}
	if got := errorsOf(s); !slices.Equal(got, want) {
		t.Errorf("the problems:\n got  %q\n want %q", got, want)
	}
	if s.Products != 6 || s.Created != 0 || count(t, app) != 0 {
		t.Errorf("%d products read, %d created, %d stored; want 6, 0, 0", s.Products, s.Created, count(t, app))
	}
}

// TestAHeaderWithUnknownOrMissingColumnsIsRefused: a misspelt column or a
// missing required one is an error on row 1, and no row is read.
func TestAHeaderWithUnknownOrMissingColumnsIsRefused(t *testing.T) {
	app := apptest.New(t)
	s := importText(t, app, "p.csv", "name,unit_prize,vat\nHora,45,21\n", false)
	want := []string{`1 unit_prize: unknown column "unit_prize": check its spelling (the README lists the columns)`, "1 unit_price: missing column: every file needs it"}
	if got := errorsOf(s); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestProductsAreImportedOnceAndUpdatedByTheirCode: a dry run says what it
// would do and writes nothing; the import creates; the same file again
// changes nothing; a changed price updates the product with that code.
func TestProductsAreImportedOnceAndUpdatedByTheirCode(t *testing.T) {
	app := apptest.New(t)
	template := string(products.TemplateCSV())
	dry := importText(t, app, "productos.csv", template, true)
	if len(dry.Errors) > 0 || dry.Created != 2 || count(t, app) != 0 {
		t.Fatalf("the dry run: %v, created %d, stored %d", dry.Errors, dry.Created, count(t, app))
	}
	first := importText(t, app, "productos.csv", template, false)
	if len(first.Errors) > 0 || first.Created != 2 || count(t, app) != 2 {
		t.Fatalf("the import: %v, created %d", first.Errors, first.Created)
	}
	again := importText(t, app, "productos.csv", template, false)
	if again.Unchanged != 2 || again.Created+again.Updated != 0 {
		t.Errorf("the same file again: %+v", again)
	}
	changed := strings.Replace(template, "45.00", "50.00", 1)
	s := importText(t, app, "productos.csv", changed, false)
	if s.Updated != 1 || s.Unchanged != 1 || count(t, app) != 2 {
		t.Errorf("a changed price: %+v", s)
	}
	r, err := app.FindFirstRecordByData(products.Collection, "code", "DIS-H")
	if err != nil || r.GetFloat("unit_price") != 50 || r.GetFloat("withholding") != 15 || r.GetString("unit") != "h" {
		t.Errorf("the updated product: %v %v", err, r)
	}
}

// TestAnXLSXProductsFileIsReadAsTheImportReadsOne: number cells are read as
// numbers (a price of 1.234 is not a thousand), and a bad cell is named by
// its row and column.
func TestAnXLSXProductsFileIsReadAsTheImportReadsOne(t *testing.T) {
	app := apptest.New(t)
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"name", "unit_price", "vat", "surcharge"},
		{"Tornillo", 1.234, 21, nil},
		{"Tuerca", 0.5, 10, 5.2},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := products.Import(app, bytes.NewReader(buf.Bytes()), int64(buf.Len()), "productos.xlsx", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := errorsOf(s); !slices.Equal(got, []string{"3 surcharge: 5.2 % applies only with VAT 21 %"}) {
		t.Fatalf("the problems: %q", got)
	}
	f.SetCellValue(sheet, "D3", nil)
	buf.Reset()
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	s, err = products.Import(app, bytes.NewReader(buf.Bytes()), int64(buf.Len()), "productos.xlsx", false)
	if err != nil || len(s.Errors) > 0 {
		t.Fatalf("the fixed file: %v %v", err, s.Errors)
	}
	r, _ := app.FindFirstRecordByData(products.Collection, "name", "Tornillo")
	if r == nil || r.GetFloat("unit_price") != 1.234 {
		t.Errorf("the price of 1.234 €: %v", r)
	}
}

// TestAFileTheImportRefusesIsRefusedHereToo: a file past the import's
// bounds (an old .xls) is one problem, with nothing written.
func TestAFileTheImportRefusesIsRefusedHereToo(t *testing.T) {
	app := apptest.New(t)
	xls := "\xD0\xCF\x11\xE0 binary"
	s := importText(t, app, "old.xls", xls, false)
	if len(s.Errors) != 1 || s.Errors[0].Row != 0 || !strings.Contains(s.Errors[0].Message, ".xls") {
		t.Errorf("an old .xls file: %v", s.Errors)
	}
}
