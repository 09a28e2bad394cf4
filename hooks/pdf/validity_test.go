package pdf

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"facturo/internal/toolcheck"
)

// Poppler's tools read every kind of invoice without a warning, and the
// document carries its metadata on A4 pages.
func TestPopplerReadsInvoicesCleanly(t *testing.T) {
	for name, inv := range map[string]Invoice{
		"professional": professionalInvoice(),
		"long":         longEnglishInvoice(),
		"logo":         longCustomerInvoice(),
		"rectifying":   rectifyingInvoice(),
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := Render(inv)
			if err != nil {
				t.Fatal(err)
			}
			file := writePDF(t, doc)
			for _, args := range [][]string{
				{"pdfinfo", file},
				{"pdffonts", file},
				{"pdftotext", file, "-"},
				{"pdftoppm", "-r", "20", "-png", file, filepath.Join(t.TempDir(), "page")},
			} {
				var stderr bytes.Buffer
				cmd := exec.Command(requireTool(t, args[0]), args[1:]...)
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil || stderr.Len() > 0 {
					t.Errorf("%s: %v: %s", args[0], err, stderr.String())
				}
			}
			info := spaces.ReplaceAllString(runTool(t, "pdfinfo", file), " ")
			for _, want := range []string{
				"Title: " + (&renderer{inv: &inv}).title() + " " + inv.Number + "\n",
				"Author: Taller Gràfic Puçol, S.L.", "Creator: facturo", "Page size: 595.28 x 841.89 pts (A4)",
			} {
				if !strings.Contains(info, want) {
					t.Errorf("pdfinfo lacks %q:\n%s", want, info)
				}
			}
		})
	}
}

// qpdf checks the structure more strictly than poppler.
func TestQPDFFindsNoErrorInAnInvoice(t *testing.T) {
	qpdf := toolcheck.Require(t, "qpdf", "qpdf")
	doc, err := Render(longCustomerInvoice())
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(qpdf, "--check", writePDF(t, doc)).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}
