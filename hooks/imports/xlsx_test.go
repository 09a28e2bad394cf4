package imports_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
)

// sheet writes rows with excelize's ordinary (non-streaming) writer, which
// keeps text in the shared strings table, as Excel does.
func sheet(t *testing.T, rows [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", ref, &row); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var xlsxHeader = []any{"external_id", "customer_tax_id", "issue_date", "line_description", "quantity", "unit_price", "vat"}

// TestXLSXCellTypes: a number cell is read as the number it holds (1.234
// is one and a quarter-ish, not ambiguous); a text cell by the text rules
// (so "1.234,56" is Spanish for 1234.56, and a text "1.234" is ambiguous);
// rich text is read whole.
func TestXLSXCellTypes(t *testing.T) {
	app := apptest.New(t)
	file := sheet(t, [][]any{
		xlsxHeader,
		{"X-1", "B87654323", "2026-01-10", "placeholder", 1.234, "1.234,56", 21},
	}, func(f *excelize.File) {
		if err := f.SetCellRichText("Sheet1", "D2", []excelize.RichTextRun{
			{Text: "Negrita", Font: &excelize.Font{Bold: true}}, {Text: " y normal"},
		}); err != nil {
			t.Fatal(err)
		}
	})
	s := run(t, app, "x.xlsx", file, imports.Options{})
	if len(s.Errors) != 0 || s.Created != 1 {
		t.Fatalf("summary %+v", s)
	}
	lines := byExternalID(t, app, "X-1").GetString("lines")
	for _, want := range []string{`"description":"Negrita y normal"`, `"quantity":1.234`, `"unit_price":1234.56`} {
		if !strings.Contains(lines, want) {
			t.Errorf("lines %s lack %s", lines, want)
		}
	}

	ambiguous := sheet(t, [][]any{xlsxHeader, {"X-2", "B87654323", "2026-01-10", "x", 1, "1.234", 21}}, nil)
	s = run(t, app, "x.xlsx", ambiguous, imports.Options{})
	if len(s.Errors) != 1 || s.Errors[0].Row != 2 || s.Errors[0].Column != "unit_price" {
		t.Fatalf("a text 1.234 gave %+v", s.Errors)
	}
}

func TestUnreadableFilesAreReported(t *testing.T) {
	app := apptest.New(t)
	for name, content := range map[string][]byte{
		"broken.xlsx": append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 64)...),
		"old.xls":     append([]byte{0xD0, 0xCF, 0x11, 0xE0}, bytes.Repeat([]byte{0}, 64)...),
		"empty.csv":   nil,
		"latin1.csv":  []byte("external_id,customer_tax_id,issue_date,line_description,quantity,unit_price,vat\nA,B87654323,2026-01-10,Dise\xf1o,1,100,21\n"),
	} {
		s := run(t, app, name, content, imports.Options{})
		if len(s.Errors) == 0 || s.Created != 0 {
			t.Errorf("%s: %+v", name, s)
		}
	}
}
