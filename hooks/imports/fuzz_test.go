package imports_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"facturo/hooks/imports"
)

// excelizeWorkbook is a small real workbook: shared strings, rich text,
// numbers, a date, a formula's cached value, as a spreadsheet writes them.
func excelizeWorkbook(f *testing.F) []byte {
	x := excelize.NewFile()
	defer x.Close()
	rows := [][]any{
		{"external_id", "customer_tax_id", "issue_date", "line_description", "quantity", "unit_price", "vat"},
		{"F-1", "B87654323", time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), "Diseño & <impresión>", 2, 1234.5, 21},
		{"F-1", "B87654323", "2026-01-10", "1.234,56", -1, "0,5", 10},
	}
	for i, row := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", ref, &row); err != nil {
			f.Fatal(err)
		}
	}
	x.SetCellRichText("Sheet1", "D4", []excelize.RichTextRun{{Text: "Negrita", Font: &excelize.Font{Bold: true}}, {Text: " y normal"}})
	x.SetCellFormula("Sheet1", "E4", "E2*2")
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

// FuzzXLSX: whatever the bytes, the reader does not panic nor allocate
// wildly, and either stops with a reason or hands out rows that make sense:
// numbered upwards within the sheet, each within a sheet's columns, a
// cell's text and a row's.
func FuzzXLSX(f *testing.F) {
	var template bytes.Buffer
	if err := imports.WriteTemplateXLSX(&template); err != nil {
		f.Fatal(err)
	}
	f.Add(template.Bytes())
	f.Add(excelizeWorkbook(f))
	f.Add(cellReferenceBomb(f, "ZZZZZZZ2"))
	f.Add(cellReferenceBomb(f, "XFD2"))
	f.Add(zipOf(f, sheetOf(headerRow, inlineRow(3, "x"), inlineRow(2, "y"))))
	f.Add(sheetBomb(f, 2<<20, 0))
	f.Add(sheetBomb(f, 2<<20, 1<<10))
	f.Add(sharedStringsCountBomb(f, 2000))
	f.Add(sharedStringBomb(f, imports.MaxCellChars+1))
	f.Add(zipOf(f, sheetOf(headerRow, `<row r="2"><c t="s"><v>7</v></c><c t="s"><v>-1</v></c></row>`), sharedStringsOf(`<si><t>a</t></si>`)))
	f.Add(zipOf(f, sheetOf(headerRow, strings.Repeat("<a>", 100))))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		rows, _, _, _ := imports.ReadRows(bytes.NewReader(data), int64(len(data)), "fuzz.xlsx")
		runtime.ReadMemStats(&after)
		// What an input may make the reader unzip is bounded, and so what it
		// allocates, garbage included; an allocation for what the input
		// claims (a row of a billion cells) passes this, or the memory.
		if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 1<<30 {
			t.Fatalf("%d bytes of input allocated %d MB", len(data), allocated>>20)
		}
		previous := 0
		for _, r := range rows {
			if r.Num <= previous || r.Num > imports.MaxRow {
				t.Fatalf("row %d after row %d", r.Num, previous)
			}
			previous = r.Num
			if len(r.Cells) > imports.MaxColumn {
				t.Fatalf("row %d has %d cells", r.Num, len(r.Cells))
			}
			text := 0
			for _, c := range r.Cells {
				if utf8.RuneCountInString(c) > imports.MaxCellChars {
					t.Fatalf("row %d has a cell of %d characters", r.Num, utf8.RuneCountInString(c))
				}
				text += len(c)
			}
			if text > imports.MaxRowBytes {
				t.Fatalf("row %d holds %d bytes", r.Num, text)
			}
		}
	})
}
