package imports_test

import (
	"os"
	"path/filepath"
	"testing"

	"facturo/hooks/imports"
	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestImport10kInvoices imports 10,000 invoices of 5 lines each, creating
// their 200 customers, in one transaction.
func TestImport10kInvoices(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 50,000 lines")
	}
	lines := generate(10_000, 5)
	content := csvOf(lines, false)
	// The benchmarks' figures for the command are taken on these files.
	if dir := os.Getenv("IMPORT_SAMPLE_DIR"); dir != "" {
		for name, b := range map[string][]byte{"10k.csv": content, "10k-es.csv": csvOf(lines, true), "10k.xlsx": xlsxOf(t, lines)} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	app := apptest.New(t)
	before := countAll(t, app)
	s := run(t, app, "big.csv", content, imports.Options{})
	if len(s.Errors) > 0 {
		t.Fatalf("errors: %v", s.Errors[:min(5, len(s.Errors))])
	}
	if s.Invoices != 10_000 || s.Lines != 50_000 || s.Created != 10_000 || s.CustomersCreated != 200 {
		t.Fatalf("summary %+v", s)
	}
	after := countAll(t, app)
	if after[invoicing.Invoices]-before[invoicing.Invoices] != 10_000 || after[invoicing.Customers]-before[invoicing.Customers] != 200 {
		t.Fatalf("stored %v, before %v", after, before)
	}
	// The last invoice is whole and totalled by the draft rules.
	last, err := app.FindFirstRecordByData(invoicing.Invoices, "external_id", "GEN-009999")
	if err != nil {
		t.Fatal(err)
	}
	if last.GetFloat("total") <= 0 || last.GetString("series") != "G" {
		t.Fatalf("last invoice: total %v, series %q", last.GetFloat("total"), last.GetString("series"))
	}
}

func BenchmarkImport10kCSV(b *testing.B) {
	benchmarkImport(b, "big.csv", csvOf(generate(10_000, 5), false))
}

func BenchmarkImport10kXLSX(b *testing.B) {
	benchmarkImport(b, "big.xlsx", xlsxOf(b, generate(10_000, 5)))
}

// benchmarkImport imports content into a fresh test app per iteration.
func benchmarkImport(b *testing.B, name string, content []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(content)))
	b.ResetTimer() // the file was generated before
	for range b.N {
		b.StopTimer()
		app := apptest.New(b)
		b.StartTimer()
		s := run(b, app, name, content, imports.Options{})
		if len(s.Errors) > 0 || s.Created != 10_000 {
			b.Fatalf("created %d, errors %v", s.Created, s.Errors[:min(5, len(s.Errors))])
		}
	}
}
