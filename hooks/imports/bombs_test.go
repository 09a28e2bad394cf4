package imports_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Workbooks made by hand, part by part, to build the files an import must
// refuse: what excelize writes is always well formed.

const (
	mainNS     = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet ` + mainNS + `><sheetData>`
	sheetEnd   = `</sheetData></worksheet>`
)

// workbookParts are a workbook's parts other than its sheet and shared
// strings, in the order a zip of them is written.
var workbookParts = []struct{ name, body string }{
	{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
	{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + mainNS + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
}

// part is one part to write: its body, or its raw deflate stream with the
// sizes and checksum the archive declares.
type part struct {
	name     string
	body     []byte
	raw      []byte
	crc      uint32
	declared uint64
}

// zipOf writes the workbook's usual parts and then parts.
func zipOf(t testing.TB, parts ...part) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	var all []part
	for _, p := range workbookParts {
		all = append(all, part{name: p.name, body: []byte(p.body)})
	}
	for _, p := range append(all, parts...) {
		var w io.Writer
		var err error
		if p.raw != nil {
			w, err = zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc,
				CompressedSize64: uint64(len(p.raw)), UncompressedSize64: p.declared})
			p.body = p.raw
		} else if len(p.body) == 0 {
			w, err = zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
		} else {
			w, err = zw.Create(p.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sheetOf is a sheet of the rows' XML.
func sheetOf(rows ...string) part {
	return part{name: "xl/worksheets/sheet1.xml", body: []byte(sheetStart + strings.Join(rows, "") + sheetEnd)}
}

func sharedStringsOf(body string) part {
	return part{name: "xl/sharedStrings.xml", body: []byte(`<?xml version="1.0" encoding="UTF-8"?><sst ` + mainNS + `>` + body + `</sst>`)}
}

// inlineRow is a row of inline strings: the first row of an import.
func inlineRow(num int, texts ...string) string {
	var b strings.Builder
	b.WriteString(`<row r="` + strconv.Itoa(num) + `">`)
	for _, s := range texts {
		b.WriteString(`<c t="inlineStr"><is><t>` + s + `</t></is></c>`)
	}
	b.WriteString(`</row>`)
	return b.String()
}

var headerRow = inlineRow(1, "external_id", "customer_tax_id", "issue_date", "line_description", "quantity", "unit_price", "vat")

// cellReferenceBomb has a cell whose reference is ref on row 2: a column
// far past XFD makes a reader that trusts it fill a row of that many cells.
func cellReferenceBomb(t testing.TB, ref string) []byte {
	return zipOf(t, sheetOf(headerRow, `<row r="2"><c r="`+ref+`" t="inlineStr"><is><t>x</t></is></c></row>`))
}

// repeatedDeflate is a deflate stream of prefix, unit n times and suffix,
// made without compressing all of it: once the window holds nothing but
// whole units, a run of units compresses to the same bytes wherever it
// comes, so one run's bytes are repeated. It returns the stream, the
// checksum and the size of what it unzips to.
func repeatedDeflate(t testing.TB, prefix, unit, suffix []byte, n int) ([]byte, uint32, uint64) {
	t.Helper()
	warm := (40<<10)/len(unit) + 1 // the 32 KB window, in whole units
	perRun := (1<<20)/len(unit) + 1
	runs := (n - warm) / perRun
	if runs < 1 {
		t.Fatalf("%d units are too few to repeat", n)
	}
	rest := n - warm - runs*perRun
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, flate.BestCompression)
	write := func(p []byte) {
		if _, err := fw.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	write(prefix)
	write(bytes.Repeat(unit, warm))
	fw.Flush()
	runStart := b.Len()
	run := bytes.Repeat(unit, perRun)
	write(run)
	fw.Flush()
	runEnd := b.Len()
	write(bytes.Repeat(unit, rest))
	write(suffix)
	fw.Close()
	compressed := b.Bytes()
	runBytes := compressed[runStart:runEnd]
	stream := make([]byte, 0, len(compressed)+(runs-1)*len(runBytes))
	stream = append(stream, compressed[:runEnd]...)
	for range runs - 1 {
		stream = append(stream, runBytes...)
	}
	stream = append(stream, compressed[runEnd:]...)

	crc := crc32.ChecksumIEEE(prefix)
	crc = crc32.Update(crc, crc32.IEEETable, bytes.Repeat(unit, warm))
	for range runs {
		crc = crc32.Update(crc, crc32.IEEETable, run)
	}
	crc = crc32.Update(crc, crc32.IEEETable, bytes.Repeat(unit, rest))
	crc = crc32.Update(crc, crc32.IEEETable, suffix)
	size := uint64(len(prefix)+len(suffix)) + uint64(n)*uint64(len(unit))
	return stream, crc, size
}

// repeatedPart is a part that unzips to prefix, unit n times and suffix;
// declared is the size its archive claims for it (0: the true one).
func repeatedPart(t testing.TB, name, prefix, unit, suffix string, n int, declared uint64) part {
	raw, crc, actual := repeatedDeflate(t, []byte(prefix), []byte(unit), []byte(suffix), n)
	if declared == 0 {
		declared = actual
	}
	return part{name: name, raw: raw, crc: crc, declared: declared}
}

// sheetBomb is a workbook whose sheet unzips to about size bytes of blank
// rows; declared is the size its archive claims for it (0: the true one).
// A short unit compresses best: deflate codes a repeat at a distance of six
// in three bits.
func sheetBomb(t testing.TB, size, declared uint64) []byte {
	const unit = `<row/>`
	return zipOf(t, repeatedPart(t, "xl/worksheets/sheet1.xml", sheetStart+headerRow, unit, sheetEnd, int(size/uint64(len(unit))), declared))
}

// sharedStringsCountBomb has n tiny shared strings.
func sharedStringsCountBomb(t testing.TB, n int) []byte {
	return zipOf(t, sheetOf(headerRow), sharedStringsOf(strings.Repeat(`<si><t>a</t></si>`, n)))
}

// sharedStringBomb has one shared string of n characters.
func sharedStringBomb(t testing.TB, n int) []byte {
	return zipOf(t, sheetOf(headerRow), sharedStringsOf(`<si><t>`+strings.Repeat("a", n)+`</t></si>`))
}

// repeatedFile is a file of size bytes that are head and then filler
// repeated, read without holding it: a CSV of gigabytes costs nothing.
type repeatedFile struct {
	head   string
	filler string
	size   int64
}

func (f repeatedFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off+int64(n) < f.size {
		at := off + int64(n)
		if at < int64(len(f.head)) {
			p[n] = f.head[at]
		} else {
			p[n] = f.filler[(at-int64(len(f.head)))%int64(len(f.filler))]
		}
		n++
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestWriteBombs writes the files of the benchmarks' refusals when
// IMPORT_BOMB_DIR names a folder (see BENCHMARKS.md).
func TestWriteBombs(t *testing.T) {
	dir := os.Getenv("IMPORT_BOMB_DIR")
	if dir == "" {
		t.Skip("IMPORT_BOMB_DIR is not set")
	}
	for name, content := range map[string][]byte{
		"ref-zzzzzzz.xlsx":     cellReferenceBomb(t, "ZZZZZZZ2"),
		"ref-7kb.xlsx":         cellReferenceBomb(t, strings.Repeat("Z", 7<<10)+"2"),
		"sheet-2gb.xlsx":       sheetBomb(t, 2<<30, 0),
		"sheet-2gb-lying.xlsx": sheetBomb(t, 2<<30, 4<<20),
		"sst-3m.xlsx":          sharedStringsCountBomb(t, 3_000_000),
		"sst-60mb.xlsx":        sharedStringBomb(t, 60<<20),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, f := range map[string]repeatedFile{
		"line-100mb.csv": {head: csvHeader, filler: "a", size: 100 << 20},
		"field-2gb.csv":  {head: csvHeader + `X,B87654323,2026-01-10,"`, filler: "a\n", size: 2 << 30},
	} {
		out, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, io.NewSectionReader(f, 0, f.size)); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

const csvHeader = "external_id,customer_tax_id,issue_date,line_description,quantity,unit_price,vat\n"
