package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"facturo/internal/toolcheck"
)

// requireTool returns the path of a poppler-utils command (see toolcheck).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	return toolcheck.Require(t, name, "poppler-utils")
}

// writePDF stores doc in the test's temporary folder and returns its path.
func writePDF(t *testing.T, doc []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// runTool runs a poppler command on args and returns its standard output.
func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(requireTool(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// pageTexts renders inv and returns the text of each page, as laid out by
// pdftotext -layout.
func pageTexts(t *testing.T, inv Invoice) []string {
	t.Helper()
	requireTool(t, "pdftotext")
	doc, err := Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := runTool(t, "pdftotext", "-layout", "-enc", "UTF-8", writePDF(t, doc), "-")
	pages := strings.Split(text, "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}
