package imports_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"facturo/hooks/imports"
)

// genColumns are the columns of generated files.
var genColumns = []string{
	"external_id", "customer_tax_id", "customer_name", "customer_email", "customer_city", "series",
	"issue_date", "due_date", "notes", "line_description", "quantity", "unit_price", "discount",
	"vat", "vat_exemption", "surcharge", "withholding",
}

// genLine is one generated row, its numbers in plain form ("1234.5").
type genLine map[string]string

// generate makes n invoices of linesPer lines each, to 200 customers that
// the import creates (valid DNIs), with every tax rate and some withholding.
func generate(n, linesPer int) []genLine {
	const letters = "TRWAGMYFPDXBNJZSQVHLCKE"
	vats := []string{"21", "10", "4", "21", "0"}
	var out []genLine
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		k := 10_000_000 + i%200
		issue := start.AddDate(0, 0, i%28)
		for j := range linesPer {
			vat := vats[(i+j)%len(vats)]
			l := genLine{
				"external_id": fmt.Sprintf("GEN-%06d", i), "customer_tax_id": fmt.Sprintf("%08d%c", k, letters[k%23]),
				"customer_name": fmt.Sprintf("Cliente %d S.L.", k), "customer_email": fmt.Sprintf("c%d@example.com", k),
				"customer_city": "Valencia", "series": "G", "issue_date": issue.Format(time.DateOnly),
				"due_date": issue.AddDate(0, 0, 30).Format(time.DateOnly), "notes": fmt.Sprintf("Pedido %d", i),
				"line_description": fmt.Sprintf("Artículo %d, lote %d", j, i), "quantity": fmt.Sprint(j + 1),
				"unit_price": cents(100 + (i*7919+j*104729)%250_000), "vat": vat,
			}
			if j == 4 {
				l["quantity"] = "1.5"
			}
			if j == 2 {
				l["discount"] = "7.5"
			}
			if vat == "0" {
				l["vat_exemption"] = "E1"
			}
			if vat == "10" && i%3 == 0 {
				l["surcharge"] = "1.4"
			}
			if j == 1 && i%4 == 0 {
				l["withholding"] = "15"
			}
			out = append(out, l)
		}
	}
	return out
}

func cents(c int) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// csvOf writes lines as CSV; spanish writes numbers as 1.234,56 and
// separates cells by ";", as Spanish Excel does, after a byte-order mark.
func csvOf(lines []genLine, spanish bool) []byte {
	sep := ","
	var b bytes.Buffer
	if spanish {
		sep = ";"
		b.WriteString("\ufeff")
	}
	b.WriteString(strings.Join(genColumns, sep) + "\r\n")
	for _, l := range lines {
		for i, c := range genColumns {
			if i > 0 {
				b.WriteString(sep)
			}
			v := l[c]
			if spanish && isNumberColumn(c) {
				v = spanishNumber(v)
			}
			if strings.ContainsAny(v, sep+"\"\n") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			b.WriteString(v)
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

func isNumberColumn(c string) bool {
	switch c {
	case "quantity", "unit_price", "discount", "vat", "surcharge", "withholding":
		return true
	}
	return false
}

// spanishNumber writes "1234.5" as "1.234,5".
func spanishNumber(v string) string {
	if v == "" {
		return v
	}
	intPart, frac, hasFrac := strings.Cut(v, ".")
	var grouped []string
	for len(intPart) > 3 {
		grouped = append([]string{intPart[len(intPart)-3:]}, grouped...)
		intPart = intPart[:len(intPart)-3]
	}
	out := strings.Join(append([]string{intPart}, grouped...), ".")
	if hasFrac {
		out += "," + frac
	}
	return out
}

// xlsxOf writes lines as a workbook with typed cells: numbers and dates
// as a spreadsheet stores them.
func xlsxOf(t testing.TB, lines []genLine) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	dateFormat := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		t.Fatal(err)
	}
	head := make([]any, len(genColumns))
	for i, c := range genColumns {
		head[i] = c
	}
	if err := sw.SetRow("A1", head); err != nil {
		t.Fatal(err)
	}
	for r, l := range lines {
		row := make([]any, len(genColumns))
		for i, c := range genColumns {
			v := l[c]
			switch {
			case v == "":
			case isNumberColumn(c):
				var n float64
				fmt.Sscan(v, &n)
				row[i] = n
			case strings.HasSuffix(c, "_date"):
				d, _ := time.Parse(time.DateOnly, v)
				row[i] = excelize.Cell{StyleID: dateStyle, Value: d}
			default:
				row[i] = v
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// run imports content named name into app.
func run(t testing.TB, app core.App, name string, content []byte, opts imports.Options) *imports.Summary {
	t.Helper()
	s, err := imports.Import(app, bytes.NewReader(content), int64(len(content)), name, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
