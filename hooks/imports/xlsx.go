package imports

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
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
	strings  []string // the shared strings table
	date1904 bool     // day numbers count from 1904 (old Mac workbooks)
}

// openWorkbook finds the first worksheet of an XLSX archive and loads its
// shared strings.
func openWorkbook(r io.ReaderAt, size int64) (*workbook, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a readable XLSX file: %v", err)
	}
	wb := &workbook{zip: z}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	book, ok := files["xl/workbook.xml"]
	if !ok {
		return nil, errors.New("not an XLSX workbook: xl/workbook.xml is missing")
	}
	sheetRel, err := wb.readWorkbook(book)
	if err != nil {
		return nil, err
	}
	targets, sharedStrings, err := readRelationships(files["xl/_rels/workbook.xml.rels"])
	if err != nil {
		return nil, err
	}
	if wb.sheet = files[targets[sheetRel]]; wb.sheet == nil {
		return nil, errors.New("not an XLSX workbook: its first sheet is missing")
	}
	if sharedStrings == "" {
		sharedStrings = "xl/sharedStrings.xml"
	}
	if f := files[sharedStrings]; f != nil {
		if wb.strings, err = readSharedStrings(f); err != nil {
			return nil, err
		}
	}
	return wb, nil
}

// readWorkbook returns the relationship id of the first sheet and notes the
// date system.
func (wb *workbook) readWorkbook(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", errors.New("not an XLSX workbook: it lists no sheet")
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
func readRelationships(f *zip.File) (map[string]string, string, error) {
	targets := map[string]string{}
	if f == nil {
		return targets, "", nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, "", err
	}
	defer rc.Close()
	var rels struct {
		Relationship []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		}
	}
	if err := xml.NewDecoder(rc).Decode(&rels); err != nil {
		return nil, "", fmt.Errorf("not a readable XLSX workbook: %v", err)
	}
	sharedStrings := ""
	for _, r := range rels.Relationship {
		// Targets are relative to xl/, or absolute within the archive.
		target := path.Join("xl", r.Target)
		if strings.HasPrefix(r.Target, "/") {
			target = strings.TrimPrefix(r.Target, "/")
		}
		targets[r.ID] = target
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			sharedStrings = target
		}
	}
	return targets, sharedStrings, nil
}

// readSharedStrings loads the table of text that cells refer to by index.
// A rich-text entry is the concatenation of its runs; phonetic guides are
// left out, as the spreadsheet shows them only on request.
func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var table []string
	var text strings.Builder
	inText, inPhonetic := false, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return table, nil
		}
		if err != nil {
			return nil, fmt.Errorf("not a readable XLSX workbook: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				text.Reset()
			case "t":
				inText = true
			case "rPh":
				inPhonetic = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				table = append(table, text.String())
			case "t":
				inText = false
			case "rPh":
				inPhonetic = false
			}
		case xml.CharData:
			if inText && !inPhonetic {
				text.Write(t)
			}
		}
	}
}

// readRows streams the sheet's rows to each, numbered as the spreadsheet
// numbers them.
func (wb *workbook) readRows(each rowFunc, progress func(done, total int64), problem func(row int, column, message string)) error {
	rc, err := wb.sheet.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	counter := &countingReader{r: rc}
	total := int64(wb.sheet.UncompressedSize64)
	dec := xml.NewDecoder(counter)
	var (
		cells      []cell
		rowNum     int
		col        int // 1-based column of the current cell
		cellType   string
		value      strings.Builder
		inValue    bool // inside <v> or an inline string's <t>
		inPhonetic bool
	)
	for {
		// RawToken skips the namespace bookkeeping, the bulk of the cost on
		// a large sheet; only local names matter here.
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &fileError{row: rowNum, message: fmt.Sprintf("not a readable XLSX sheet: %v", err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				rowNum++
				if r, err := strconv.Atoi(attr(t, "r")); err == nil {
					rowNum = r
				}
				cells, col = cells[:0], 0
			case "c":
				col++
				if ref := attr(t, "r"); ref != "" {
					if c := columnNumber(ref); c > 0 {
						col = c
					}
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
				c, ok := wb.cellValue(cellType, value.String())
				if !ok {
					problem(rowNum, "", fmt.Sprintf("cell %s%d cannot be read", columnLetters(col), rowNum))
				}
				for len(cells) < col-1 {
					cells = append(cells, cell{})
				}
				if col > len(cells) {
					cells = append(cells, c)
				}
			case "row":
				if err := each(rowNum, cells); err != nil {
					return err
				}
				if rowNum%512 == 0 {
					progress(counter.n, total)
				}
			case "sheetData":
				return nil
			}
		case xml.CharData:
			if inValue && !inPhonetic {
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
		if err != nil || i < 0 || i >= len(wb.strings) {
			return cell{}, false
		}
		return cell{text: wb.strings[i]}, true
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

// columnNumber reads the column of a cell reference ("AB12" → 28).
func columnNumber(ref string) int {
	n := 0
	for _, r := range ref {
		if r < 'A' || r > 'Z' {
			break
		}
		n = n*26 + int(r-'A'+1)
	}
	return n
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
