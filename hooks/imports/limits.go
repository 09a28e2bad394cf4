package imports

import (
	"strconv"
	"unicode/utf8"

	"facturo/ui"
)

// The bounds on what an import reads. A file passing one of them is refused
// as a whole, with the message below, before the reader allocates anything
// in proportion to what the file claims: an XLSX is a zip archive, and a
// few kilobytes of it can claim gigabytes of sheet, a cell in column
// 10^9000 or a billion shared strings. The README's "Limits" lists them.
const (
	// MaxUploadBytes bounds an uploaded import file: some 500,000 CSV
	// lines. A larger import is split into several files, each all or
	// nothing.
	MaxUploadBytes = 50 << 20

	// maxUnzippedBytes bounds what the reader unzips from an XLSX file, all
	// its parts together: ten times the upload limit, more than a workbook
	// of that size holds (sheets compress about ten to one), counted on the
	// bytes actually unzipped.
	maxUnzippedBytes = 10 * MaxUploadBytes
	// maxSheetBytes bounds the sheet, which is streamed: the whole budget.
	maxSheetBytes = maxUnzippedBytes
	// maxSharedStringsBytes bounds the shared strings part, which is kept
	// in memory while the sheet is read: a million distinct descriptions
	// of fifty characters take a third of it.
	maxSharedStringsBytes = 64 << 20
	// maxSmallPartBytes bounds the workbook's part and its relationships,
	// which list sheets and names: a few kilobytes in practice.
	maxSmallPartBytes = 1 << 20
	// maxZipEntries bounds the archive's directory, read before any part:
	// a workbook has tens of parts (sheets, styles, images).
	maxZipEntries = 10_000

	// maxSharedStrings bounds the shared strings table, which is read
	// before the upload is answered: half a million distinct texts, more
	// than a file within the upload limit has in practice (a 50 MB file of
	// invoice lines has some 500,000 rows, most of whose texts repeat), and
	// read in well under a second.
	maxSharedStrings = 1 << 19
	// maxCellChars is the most text a cell (or a shared string) holds,
	// Excel's own limit.
	maxCellChars = 32_767
	// maxRowBytes bounds the text of one row, all its cells together (and
	// a CSV record with its quotes and separators).
	maxRowBytes = 1 << 20
	// maxTokenBytes bounds what the XML decoder reads for one token (a
	// tag, or the text between two tags), which it holds whole: no cell's
	// text needs more.
	maxTokenBytes = 1 << 20
	// maxXMLDepth bounds the nesting of a part's elements; the decoder
	// keeps a stack of them (a workbook nests five or six deep).
	maxXMLDepth = 64

	// maxColumn and maxRow are a sheet's last column (XFD) and row, as in
	// Excel; an import file, CSV or XLSX, has at most maxRow rows.
	maxColumn = 16_384
	maxRow    = 1_048_576
	// maxSheetCells bounds the cells an XLSX sheet hands out, counted up to
	// each row's last value: a reference to column XFD costs its XML a few
	// bytes and the reader 16,384 cells, so a small sheet could otherwise
	// keep the server busy for minutes. An import's rows have about 25.
	maxSheetCells = 64 << 20

	// maxErrors bounds the problems an import lists: a file with more is
	// best fixed from the first ones, and a list of millions would take
	// the memory the other bounds save.
	maxErrors = 1_000
	// maxQuoted bounds the text of a cell that a message quotes.
	maxQuoted = 60
)

// The messages of a refused file, one place for all of them.

func errPartTooLarge(part string, limit int64) *ui.Error {
	return ui.Errorf("import.err.part_too_large", ui.Args{"part": part, "limit": megabytes(limit)})
}

func errPartLies(part string, declared uint64) *ui.Error {
	return ui.Errorf("import.err.part_lies", ui.Args{"part": part, "size": sizeText(declared)})
}

func errWorkbookTooLarge() *ui.Error {
	return ui.Errorf("import.err.workbook_too_large", ui.Args{"limit": megabytes(maxUnzippedBytes)})
}

func errTooManyEntries() *ui.Error {
	return ui.Errorf("import.err.too_many_entries", ui.Args{"n": maxZipEntries})
}

func errTokenTooLarge(part string) *ui.Error {
	return ui.Errorf("import.err.token_too_large", ui.Args{"part": part, "limit": megabytes(maxTokenBytes)})
}

func errTooDeep(part string) *ui.Error {
	return ui.Errorf("import.err.too_deep", ui.Args{"part": part, "n": maxXMLDepth})
}

func errTooManySharedStrings() *ui.Error {
	return ui.Errorf("import.err.too_many_shared_strings", ui.Args{"n": maxSharedStrings})
}

func errSharedStringTooLong(index int) *ui.Error {
	return ui.Errorf("import.err.shared_string_too_long", ui.Args{"index": index, "n": maxCellChars})
}

func errCellTooLong(where string) *ui.Error {
	return ui.Errorf("import.err.cell_too_long", ui.Args{"cell": where, "n": maxCellChars})
}

func errTooManyCells() *ui.Error {
	return ui.Errorf("import.err.too_many_cells", ui.Args{"n": maxColumn})
}

func errTooManySheetCells() *ui.Error {
	return ui.Errorf("import.err.too_many_sheet_cells", ui.Args{"n": maxSheetCells})
}

func errRowTooLong() *ui.Error {
	return ui.Errorf("import.err.row_too_long", ui.Args{"limit": megabytes(maxRowBytes)})
}

func errCellReference(ref string) *ui.Error {
	return ui.Errorf("import.err.cell_reference", ui.Args{"ref": strconv.Quote(shorten(ref)), "rows": maxRow})
}

func errRowNumber(r string) *ui.Error {
	return ui.Errorf("import.err.row_number", ui.Args{"row": strconv.Quote(shorten(r)), "rows": maxRow})
}

func errRowOrder(row, previous int) *ui.Error {
	return ui.Errorf("import.err.row_order", ui.Args{"row": row, "previous": previous})
}

func errTooManyRows() *ui.Error {
	return ui.Errorf("import.err.too_many_rows", ui.Args{"n": maxRow})
}

func errTooManyErrors() *ui.Error {
	return ui.Errorf("import.err.too_many_errors", ui.Args{"n": maxErrors})
}

// shorten cuts a cell's text that a message quotes.
func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return s
	}
	r := []rune(s[:min(len(s), 4*maxQuoted)])
	return string(r[:maxQuoted]) + "…"
}

func megabytes(n int64) string { return strconv.FormatInt(n>>20, 10) + " MB" }

// sizeText writes a size in the unit that suits it.
func sizeText(n uint64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatUint(n>>20, 10) + " MB"
	case n >= 1<<10:
		return strconv.FormatUint(n>>10, 10) + " KB"
	}
	return strconv.FormatUint(n, 10) + " bytes"
}
