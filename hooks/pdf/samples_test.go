package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteSamples writes sample PDFs, and PNG pages when pdftoppm is
// installed, to the folder named by PDF_SAMPLES_DIR, for looking at the
// layout. It does nothing unless that variable is set.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("PDF_SAMPLES_DIR")
	if dir == "" {
		t.Skip("set PDF_SAMPLES_DIR to write sample invoices")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	noQR := shortInvoice(10)
	noQR.QR, noQR.VeriFactu = "", false
	tallRow := shortInvoice(2)
	tallRow.Lines[1].Description = strings.Repeat(longDescription+"\n", 8)
	samples := map[string]Invoice{
		"short-es":      shortInvoice(10),
		"long-en":       longEnglishInvoice(),
		"rectifying":    rectifyingInvoice(),
		"professional":  professionalInvoice(),
		"long-customer": longCustomerInvoice(),
		"no-qr":         noQR,
		"tall-row":      tallRow,
	}
	for name, inv := range samples {
		out, err := Render(inv)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		file := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("pdftoppm"); err == nil {
			cmd := exec.Command("pdftoppm", "-r", "80", "-png", file, filepath.Join(dir, name))
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm %s: %v: %s", name, err, msg)
			}
		}
	}
}
