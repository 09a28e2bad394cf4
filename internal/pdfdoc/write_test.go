package pdfdoc

import (
	"bytes"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"facturo/internal/toolcheck"
)

// sampleDocument draws every kind of content on two pages.
func sampleDocument(t *testing.T, title string) []byte {
	t.Helper()
	_, regular, bold := testFonts(t)
	logo := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		logo.Set(x, 10, color.NRGBA{28, 78, 128, 200})
	}
	img, err := NewImage(encodePNG(t, logo))
	if err != nil {
		t.Fatal(err)
	}
	d := New(Info{Title: title, Author: "Taller Gràfic Puçol", Creator: "facturo", Lang: "es",
		Date: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	p := d.AddPage()
	p.DrawImage(img, 16, 16, 40, 20)
	p.SetFont(bold, 20)
	p.SetTextColor(Color{28, 78, 128})
	p.Text(16, 50, "FACTURA Straße «déjà» € Ω Ж")
	p.SetFont(regular, 8.5)
	p.SetTextColor(Color{33, 37, 41})
	p.Text(16, 60, "Total: 1.234,56 € — (GH{,) \\ ‘x’ “y” … ñ")
	p.SetFillColor(Color{243, 246, 249})
	p.FillRect(16, 70, 100, 20)
	p.SetLineColor(Color{218, 223, 228})
	p.SetLineWidth(0.2)
	p.Line(16, 95, 194, 95)
	p.SetFillColor(Color{})
	p.FillCells(150, 100, 1, []Cell{{0, 0, 7, 1}, {0, 1, 1, 5}, {6, 1, 1, 5}, {0, 6, 7, 1}, {2, 2, 3, 3}})
	p = d.AddPage()
	p.SetFont(regular, 10)
	p.Text(16, 20, "Página 2")
	p.DrawImage(img, 16, 30, 40, 20)
	return d.Bytes()
}

var (
	objHeader = regexp.MustCompile(`(?m)^(\d+) 0 obj\n`)
	reference = regexp.MustCompile(`(\d+) 0 R\b`)
	streamLen = regexp.MustCompile(`<< /Length (\d+)[^\n]*>>\nstream\n`)
)

// The cross-reference table gives the offset of every object, the trailer
// the right size, every reference points at an object, and every stream's
// length is where its data ends.
func TestCrossReferenceAndStreams(t *testing.T) {
	doc := sampleDocument(t, "Factura 2026-A-0042")
	if !bytes.HasPrefix(doc, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(doc, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or end marker")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	table := string(doc[xref:])
	head := regexp.MustCompile(`^xref\n0 (\d+)\n`).FindStringSubmatch(table)
	if head == nil {
		t.Fatalf("no xref table at %d", xref)
	}
	size, _ := strconv.Atoi(head[1])
	if !strings.Contains(table, "/Size "+head[1]+" ") {
		t.Error("the trailer's /Size differs from the table's")
	}
	entries := table[len(head[0]):]
	if !strings.HasPrefix(entries, "0000000000 65535 f \n") {
		t.Error("object 0 is not the free head")
	}
	for obj := 1; obj < size; obj++ {
		e := entries[20*obj : 20*obj+20]
		off, err := strconv.Atoi(e[:10])
		if err != nil || e[10:] != " 00000 n \n" {
			t.Fatalf("entry %d is %q", obj, e)
		}
		if want := strconv.Itoa(obj) + " 0 obj\n"; !bytes.HasPrefix(doc[off:], []byte(want)) {
			t.Errorf("entry %d points at %q", obj, doc[off:min(off+12, len(doc))])
		}
	}
	if n := len(objHeader.FindAll(doc, -1)); n != size-1 {
		t.Errorf("%d objects written, the table has %d", n, size-1)
	}
	for _, ref := range reference.FindAllSubmatch(doc[:xref], -1) {
		if n, _ := strconv.Atoi(string(ref[1])); n <= 0 || n >= size {
			t.Errorf("reference to missing object %d", n)
		}
	}
	for _, loc := range streamLen.FindAllSubmatchIndex(doc, -1) {
		n, _ := strconv.Atoi(string(doc[loc[2]:loc[3]]))
		if end := loc[1] + n; !bytes.HasPrefix(doc[end:], []byte("\nendstream\n")) {
			t.Errorf("stream at %d: /Length %d does not end at endstream", loc[0], n)
		}
	}
}

func TestSameDrawingSameBytes(t *testing.T) {
	a, b := sampleDocument(t, "A"), sampleDocument(t, "A")
	if !bytes.Equal(a, b) {
		t.Fatal("the same drawing gave different bytes")
	}
	id := regexp.MustCompile(`/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]`)
	c := sampleDocument(t, "B")
	if !id.Match(a) || bytes.Equal(id.Find(a), id.Find(c)) {
		t.Error("documents with different content share an ID, or have none")
	}
}

// Poppler reads the document without a word on stderr, finds both fonts
// embedded, and extracts the text exactly.
func TestPopplerReadsTheDocument(t *testing.T) {
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, sampleDocument(t, "Factura «A»"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(toolcheck.Require(t, name, "poppler-utils"), args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: %v: %s", name, err, stderr.String())
		}
		return stdout.String()
	}
	info := run("pdfinfo", file)
	for _, want := range []string{"Title:           Factura «A»", "Author:          Taller Gràfic Puçol", "Pages:           2", "(A4)"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	fonts := run("pdffonts", file)
	if strings.Count(fonts, "CID TrueType      Identity-H       yes yes yes") != 2 {
		t.Errorf("pdffonts:\n%s", fonts)
	}
	text := run("pdftotext", "-enc", "UTF-8", file, "-")
	for _, want := range []string{"FACTURA Straße «déjà» € Ω Ж", "Total: 1.234,56 € — (GH{,) \\ ‘x’ “y” … ñ", "Página 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	run("pdftoppm", "-r", "30", "-png", file, filepath.Join(t.TempDir(), "page"))
}

// qpdf checks the file's structure more strictly than poppler.
func TestQPDFFindsNoError(t *testing.T) {
	qpdf := toolcheck.Require(t, "qpdf", "qpdf")
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, sampleDocument(t, "Factura"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(qpdf, "--check", file).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}
