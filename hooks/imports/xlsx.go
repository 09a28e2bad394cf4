package imports

import (
	"archive/zip"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"facturo/ui"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The XLSX reader streams the first worksheet with the standard library
// rather than through excelize, because the import must know each cell's
// type: a number cell holds its value in a fixed, locale-free form (and
// dates as day numbers), while a text cell is read by the CSV rules.
// excelize's row iterator hands out strings only, and its typed access
// loads the whole sheet into memory.

// workbook is what the reader needs to find the first sheet and read its
// cells.
type workbook struct {
	zip      *zip.Reader
	sheet    *zip.File
	strings  sharedStrings
	date1904 bool  // day numbers count from 1904 (old Mac workbooks)
	unzipped int64 // bytes unzipped so far, every part together
}

// openWorkbook finds the first worksheet of an XLSX archive and loads its
// shared strings. An archive that passes one of the limits is refused
// before its parts are read (see limits.go).
func openWorkbook(r io.ReaderAt, size int64) (*workbook, error) {
	if n, ok := zipEntries(r, size); ok && n > maxZipEntries {
		return nil, refuse(0, errTooManyEntries())
	}
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, ui.Errorf("import.err.xlsx_unreadable", ui.Args{"problem": err.Error()})
	}
	wb := &workbook{zip: z}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	book, ok := files["xl/workbook.xml"]
	if !ok {
		return nil, ui.Errorf("import.err.xlsx_no_workbook", nil)
	}
	sheetRel, err := wb.readWorkbook(book)
	if err != nil {
		return nil, err
	}
	targets, stringsPath, err := wb.readRelationships(files["xl/_rels/workbook.xml.rels"])
	if err != nil {
		return nil, err
	}
	if wb.sheet = files[targets[sheetRel]]; wb.sheet == nil {
		return nil, ui.Errorf("import.err.xlsx_no_sheet", nil)
	}
	// The sheet's declared size is checked before the shared strings are
	// read, so that a file claiming too much is refused at once, and again
	// after, against what they left of the workbook's limit: opening the
	// file tells whether the sheet may be read.
	if err := wb.checkDeclared(wb.sheet, "sheet", maxSheetBytes); err != nil {
		return nil, err
	}
	if stringsPath == "" {
		stringsPath = "xl/sharedStrings.xml"
	}
	if f := files[stringsPath]; f != nil {
		if wb.strings, err = wb.readSharedStrings(f); err != nil {
			return nil, err
		}
	}
	if err := wb.checkDeclared(wb.sheet, "sheet", maxSheetBytes); err != nil {
		return nil, err
	}
	return wb, nil
}

// part is one part of the archive being read within the limits: its own,
// the workbook's in all, and the decoder's for one token. The bytes are
// counted as they are unzipped: a part's declared size is checked first,
// but it is only a claim.
type part struct {
	wb    *workbook
	rc    io.ReadCloser
	name  string // for messages: "sheet", "shared strings"
	limit int64
	size  uint64 // as the archive declares it
	n     int64  // bytes of the part read so far
	token int64  // bytes the current token may still take
}

// checkDeclared refuses a part whose declared size passes its limit or
// what is left of the workbook's.
func (wb *workbook) checkDeclared(f *zip.File, name string, limit int64) error {
	if f.UncompressedSize64 > uint64(limit) {
		return refuse(0, errPartTooLarge(name, limit))
	}
	if f.UncompressedSize64 > uint64(maxUnzippedBytes-wb.unzipped) {
		return refuse(0, errWorkbookTooLarge())
	}
	return nil
}

// open opens one part of the archive for reading within limit.
func (wb *workbook) open(f *zip.File, name string, limit int64) (*part, error) {
	if err := wb.checkDeclared(f, name, limit); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, ui.Errorf("import.err.xlsx_unreadable", ui.Args{"problem": err.Error()})
	}
	return &part{wb: wb, rc: rc, name: name, limit: limit, size: f.UncompressedSize64, token: maxTokenBytes}, nil
}

func (p *part) Read(b []byte) (int, error) {
	// One byte past the tightest budget is enough to tell it is passed:
	// the reading stops there, not a buffer later.
	room := min(p.limit-p.n, maxUnzippedBytes-p.wb.unzipped, p.token)
	if int64(len(b)) > room+1 {
		b = b[:room+1]
	}
	n, err := p.rc.Read(b)
	p.n += int64(n)
	p.wb.unzipped += int64(n)
	p.token -= int64(n)
	switch {
	case p.n > p.limit:
		return n, refuse(0, errPartTooLarge(p.name, p.limit))
	case p.wb.unzipped > maxUnzippedBytes:
		return n, refuse(0, errWorkbookTooLarge())
	case p.token < 0:
		return n, &fileError{problem: errTokenTooLarge(p.name), limit: true, atRow: true}
	case errors.Is(err, zip.ErrFormat):
		// The zip reader stops a part at its declared size and says so thus.
		return n, refuse(0, errPartLies(p.name, p.size))
	}
	return n, err
}

func (p *part) Close() error { return p.rc.Close() }

// nextToken gives the decoder's next token the whole of its budget; the
// decoder reads a few kilobytes ahead, which the budget allows for.
func (p *part) nextToken() { p.token = maxTokenBytes }

// decoder reads a part's XML one token at a time within the limits; with
// raw, tokens are not checked for matching tags nor their namespaces
// resolved (the decoder then keeps no stack), which is most of the cost of
// reading a large sheet.
type decoder struct {
	*xml.Decoder
	part  *part
	raw   bool
	depth int
}

func newDecoder(p *part, raw bool) *decoder {
	return &decoder{Decoder: xml.NewDecoder(p), part: p, raw: raw}
}

func (d *decoder) next() (xml.Token, error) {
	d.part.nextToken()
	var tok xml.Token
	var err error
	if d.raw {
		tok, err = d.RawToken()
	} else {
		tok, err = d.Token()
	}
	switch tok.(type) {
	case xml.StartElement:
		if d.depth++; d.depth > maxXMLDepth {
			return nil, refuse(0, errTooDeep(d.part.name))
		}
	case xml.EndElement:
		d.depth--
	}
	return tok, err
}

// readWorkbook returns the relationship id of the first sheet and notes the
// date system.
func (wb *workbook) readWorkbook(f *zip.File) (string, error) {
	p, err := wb.open(f, "workbook part", maxSmallPartBytes)
	if err != nil {
		return "", err
	}
	defer p.Close()
	dec := newDecoder(p, false)
	for {
		tok, err := dec.next()
		var fe *fileError
		if errors.As(err, &fe) {
			return "", err
		}
		if err != nil {
			return "", ui.Errorf("import.err.xlsx_lists_no_sheet", nil)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "workbookPr":
			v := attr(start, "date1904")
			wb.date1904 = v == "1" || v == "true"
		case "sheet":
			for _, a := range start.Attr {
				if a.Name.Local == "id" && strings.Contains(a.Name.Space, "relationships") {
					return a.Value, nil
				}
			}
		}
	}
}

// readRelationships maps the workbook's relationship ids to archive paths,
// and finds the shared strings part.
func (wb *workbook) readRelationships(f *zip.File) (map[string]string, string, error) {
	targets := map[string]string{}
	if f == nil {
		return targets, "", nil
	}
	p, err := wb.open(f, "workbook relationships", maxSmallPartBytes)
	if err != nil {
		return nil, "", err
	}
	defer p.Close()
	dec := newDecoder(p, false)
	sharedStrings := ""
	for {
		tok, err := dec.next()
		if errors.Is(err, io.EOF) {
			return targets, sharedStrings, nil
		}
		var fe *fileError
		if errors.As(err, &fe) {
			return nil, "", err
		}
		if err != nil {
			return nil, "", ui.Errorf("import.err.xlsx_workbook_unreadable", ui.Args{"problem": err.Error()})
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "Relationship" {
			continue
		}
		// Targets are relative to xl/, or absolute within the archive.
		rel := attr(start, "Target")
		target := path.Join("xl", rel)
		if strings.HasPrefix(rel, "/") {
			target = strings.TrimPrefix(rel, "/")
		}
		targets[attr(start, "Id")] = target
		if strings.HasSuffix(attr(start, "Type"), "/sharedStrings") {
			sharedStrings = target
		}
	}
}

// sharedStrings is the table of text that cells refer to by index, kept as
// one string and where each entry ends: a million entries take 4 MB of
// ends rather than a million strings.
type sharedStrings struct {
	text string
	ends []uint32 // the text is bounded by maxSharedStringsBytes
}

func (t sharedStrings) len() int { return len(t.ends) }

func (t sharedStrings) get(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// readSharedStrings loads the table of text that cells refer to by index.
// A rich-text entry is the concatenation of its runs; phonetic guides are
// left out, as the spreadsheet shows them only on request. The table is
// bounded in entries, and each entry like a cell.
func (wb *workbook) readSharedStrings(f *zip.File) (sharedStrings, error) {
	var table sharedStrings
	p, err := wb.open(f, "shared strings", maxSharedStringsBytes)
	if err != nil {
		return table, err
	}
	defer p.Close()
	dec := newDecoder(p, true)
	var text strings.Builder
	start := 0 // where the current entry's text starts
	inText, inPhonetic := false, false
	for {
		tok, err := dec.next()
		if errors.Is(err, io.EOF) {
			table.text = text.String()
			return table, nil
		}
		var fe *fileError
		if errors.As(err, &fe) {
			return table, err
		}
		if err != nil {
			return table, ui.Errorf("import.err.xlsx_workbook_unreadable", ui.Args{"problem": err.Error()})
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				if len(table.ends) == maxSharedStrings {
					return table, refuse(0, errTooManySharedStrings())
				}
				start = text.Len()
			case "t":
				inText = true
			case "rPh":
				inPhonetic = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if utf8.RuneCountInString(text.String()[start:]) > maxCellChars {
					return table, refuse(0, errSharedStringTooLong(len(table.ends)))
				}
				table.ends = append(table.ends, uint32(text.Len()))
			case "t":
				inText = false
			case "rPh":
				inPhonetic = false
			}
		case xml.CharData:
			if inText && !inPhonetic {
				if text.Len()-start+len(t) > utf8.UTFMax*maxCellChars {
					return table, refuse(0, errSharedStringTooLong(len(table.ends)))
				}
				text.Write(t)
			}
		}
	}
}

// readRows streams the sheet's rows to each, numbered as the spreadsheet
// numbers them. Cell references, rows and cells are checked against the
// sheet's bounds before anything is allocated for them.
func (wb *workbook) readRows(each rowFunc, progress func(done, total int64), problem func(row int, column string, problem error)) error {
	p, err := wb.open(wb.sheet, "sheet", maxSheetBytes)
	if err != nil {
		return err
	}
	defer p.Close()
	total := int64(wb.sheet.UncompressedSize64)
	dec := newDecoder(p, true)
	var (
		cells      []cell
		rowNum     int
		rowBytes   int // text of the current row's cells
		handed     int // cells handed out, the blanks before a row's values included
		col        int // 1-based column of the current cell
		cellType   string
		value      strings.Builder
		inValue    bool // inside <v> or an inline string's <t>
		inPhonetic bool
	)
	for {
		tok, err := dec.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var fe *fileError
		if errors.As(err, &fe) {
			if fe.atRow {
				fe.row = rowNum
			}
			return fe
		}
		if err != nil {
			return &fileError{row: rowNum, problem: ui.Errorf("import.err.xlsx_sheet_unreadable", ui.Args{"problem": err.Error()})}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				next := rowNum + 1
				if r := attr(t, "r"); r != "" {
					n, ok := rowNumber(r)
					if !ok {
						return refuse(rowNum, errRowNumber(r))
					}
					if n <= rowNum {
						return refuse(n, errRowOrder(n, rowNum))
					}
					next = n
				}
				if next > maxRow {
					return refuse(rowNum, errTooManyRows())
				}
				rowNum, rowBytes = next, 0
				cells, col = cells[:0], 0
			case "c":
				col++
				if ref := attr(t, "r"); ref != "" {
					c, ok := cellColumn(ref)
					if !ok {
						return refuse(rowNum, errCellReference(ref))
					}
					col = c
				}
				if col > maxColumn {
					return refuse(rowNum, errTooManyCells())
				}
				cellType = attr(t, "t")
				value.Reset()
			case "v", "t":
				inValue = true
			case "rPh":
				inPhonetic = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inValue = false
			case "rPh":
				inPhonetic = false
			case "c":
				where := columnLetters(col) + strconv.Itoa(rowNum)
				if utf8.RuneCountInString(value.String()) > maxCellChars {
					return refuse(rowNum, errCellTooLong(where))
				}
				c, ok := wb.cellValue(cellType, value.String())
				if !ok {
					problem(rowNum, "", ui.Errorf("import.err.cell_unreadable", ui.Args{"cell": where}))
				}
				// Empty cells (formatted ones, say) are left out: a row is
				// handed out up to its last value, whose column its
				// reference gives, so the cells before it are counted.
				if c.text == "" || col <= len(cells) {
					break
				}
				if rowBytes += len(c.text); rowBytes > maxRowBytes {
					return refuse(rowNum, errRowTooLong())
				}
				if handed += col - len(cells); handed > maxSheetCells {
					return refuse(rowNum, errTooManySheetCells())
				}
				for len(cells) < col-1 {
					cells = append(cells, cell{})
				}
				cells = append(cells, c)
			case "row":
				if err := each(rowNum, cells); err != nil {
					return err
				}
				if rowNum%512 == 0 {
					progress(p.n, total)
				}
			case "sheetData":
				return nil
			}
		case xml.CharData:
			if inValue && !inPhonetic {
				if value.Len()+len(t) > utf8.UTFMax*maxCellChars {
					return refuse(rowNum, errCellTooLong(columnLetters(col)+strconv.Itoa(rowNum)))
				}
				value.Write(t)
			}
		}
	}
}

// cellValue turns a cell's stored value into the import's cell.
func (wb *workbook) cellValue(cellType, raw string) (cell, bool) {
	switch cellType {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || i < 0 || i >= wb.strings.len() {
			return cell{}, false
		}
		return cell{text: wb.strings.get(i)}, true
	case "inlineStr", "str", "d":
		return cell{text: raw}, true
	case "b":
		if raw == "1" {
			return cell{text: "TRUE"}, true
		}
		return cell{text: "FALSE"}, true
	case "e":
		return cell{text: raw}, true // "#DIV/0!" and the like: no column accepts them
	default: // "n" or none: a number
		if strings.TrimSpace(raw) == "" {
			return cell{}, true
		}
		plain, ok := plainDecimal(raw)
		return cell{text: plain, number: true}, ok
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// cellColumn reads the column of a cell reference ("AB12" → 28) without
// trusting it: at most three letters (XFD is the last column) and a row of
// at most seven digits, within the sheet.
func cellColumn(ref string) (int, bool) {
	letters := 0
	for letters < len(ref) && ref[letters] >= 'A' && ref[letters] <= 'Z' {
		letters++
	}
	if letters == 0 || letters > 3 {
		return 0, false
	}
	if _, ok := rowNumber(ref[letters:]); !ok {
		return 0, false
	}
	n := 0
	for _, r := range ref[:letters] {
		n = n*26 + int(r-'A'+1)
	}
	return n, n <= maxColumn
}

// rowNumber reads a row number, from 1 to the sheet's last row, without
// converting more digits than a row has.
func rowNumber(s string) (int, bool) {
	if s == "" || len(s) > len(strconv.Itoa(maxRow)) {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n >= 1 && n <= maxRow
}

// columnLetters writes a column number as the spreadsheet does (28 → "AB").
func columnLetters(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// zipEntries reads how many entries the archive's directory lists, from its
// end record (or the Zip64 one), without reading the directory: the zip
// reader allocates for every entry as it opens the archive. ok is false
// when the end record is not found; the zip reader then says what is wrong.
func zipEntries(r io.ReaderAt, size int64) (uint64, bool) {
	const endLen, locatorLen, end64Len = 22, 20, 56
	tail := make([]byte, min(size, endLen+0xFFFF)) // the end record and its comment
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil {
		return 0, false
	}
	at := -1
	for i := len(tail) - endLen; i >= 0; i-- {
		if string(tail[i:i+4]) == "PK\x05\x06" {
			at = i
			break
		}
	}
	if at < 0 {
		return 0, false
	}
	entries := uint64(binary.LittleEndian.Uint16(tail[at+10:]))
	if entries != 0xFFFF || at < locatorLen {
		return entries, true
	}
	locator := tail[at-locatorLen : at]
	if string(locator[:4]) != "PK\x06\x07" {
		return entries, true
	}
	offset := binary.LittleEndian.Uint64(locator[8:])
	end64 := make([]byte, end64Len)
	if offset > uint64(size) {
		return 0, false
	}
	if _, err := r.ReadAt(end64, int64(offset)); err != nil || string(end64[:4]) != "PK\x06\x06" {
		return 0, false
	}
	return binary.LittleEndian.Uint64(end64[32:]), true
}
