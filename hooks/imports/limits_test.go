package imports_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/imports"
	"facturo/internal/apptest"
)

// A refusal must be quick and small whatever the file claims. The bounds
// leave room for a busy machine; BENCHMARKS.md has the command's figures.
const (
	refusalTime = 5 * time.Second
	refusalHeap = 64 << 20
)

// costOf runs f and returns how long it took and the most heap it held
// above what was in use before, sampled every few milliseconds.
func costOf(f func()) (time.Duration, uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var (
		mu   sync.Mutex
		peak = before.HeapAlloc
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapAlloc)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	start := time.Now()
	f()
	elapsed := time.Since(start)
	sample()
	close(done)
	wg.Wait()
	return elapsed, peak - before.HeapAlloc
}

// refusedFile imports file and checks that it is refused, at row, with a
// message that says want, quickly and in little memory, and that nothing
// is written.
func refusedFile(t *testing.T, app core.App, name string, file io.ReaderAt, size int64, row int, want string) imports.RowError {
	t.Helper()
	before := countAll(t, app)
	var s *imports.Summary
	var err error
	elapsed, heap := costOf(func() { s, err = imports.Import(app, file, size, name, imports.Options{}, nil) })
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) != 1 || s.Errors[0].Row != row || !strings.Contains(s.Errors[0].Message, want) {
		t.Fatalf("%s: %d errors %+v…, want one at row %d saying %q", name, len(s.Errors), s.Errors[:min(3, len(s.Errors))], row, want)
	}
	if elapsed > refusalTime || heap > refusalHeap {
		t.Errorf("%s: refused in %v holding %d MB", name, elapsed, heap>>20)
	}
	t.Logf("%s (%d KB): refused in %v holding %d MB: %s", name, size>>10, elapsed.Round(time.Millisecond), heap>>20, s.Errors[0].Message)
	if after := countAll(t, app); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("%s wrote: %v, before %v", name, after, before)
	}
	return s.Errors[0]
}

func refused(t *testing.T, app core.App, name string, content []byte, row int, want string) imports.RowError {
	t.Helper()
	return refusedFile(t, app, name, bytes.NewReader(content), int64(len(content)), row, want)
}

// TestCellReferencesOutsideTheSheetAreRefused: a reference past column XFD
// or row 1,048,576, or no reference at all, is refused before the reader
// fills a row up to the column it names.
func TestCellReferencesOutsideTheSheetAreRefused(t *testing.T) {
	app := apptest.New(t)
	for _, ref := range []string{"ZZZZZZZ2", strings.Repeat("Z", 7<<10) + "2", "XFE2", "A1048577", "A99999999999999999999", "A0", "AB", "2", "a2", "A-2", "AAAA2"} {
		e := refused(t, app, "ref.xlsx", cellReferenceBomb(t, ref), 2, "is not a cell of a sheet")
		if len(e.Message) > 300 {
			t.Errorf("the message quotes the whole reference: %d bytes", len(e.Message))
		}
	}
	refused(t, app, "rows.xlsx", zipOf(t, sheetOf(headerRow, `<row r="1048577"><c><v>1</v></c></row>`)), 1, "is not a row of a sheet")
	refused(t, app, "rows.xlsx", zipOf(t, sheetOf(headerRow, inlineRow(3, "x"), inlineRow(2, "y"))), 2, "out of order")
	refused(t, app, "cells.xlsx", zipOf(t, sheetOf(headerRow, `<row r="2">`+strings.Repeat(`<c/>`, imports.MaxColumn+1)+`</row>`)), 2, "more than 16,384 cells")

	// A value in the last column costs its row 16,384 cells: a sheet of
	// such rows is refused once it has handed out 64 Mi cells, not after
	// its million rows.
	// (The import stops at its thousand problems before: the reader is
	// read on its own.)
	far := zipOf(t, repeatedPart(t, "xl/worksheets/sheet1.xml", sheetStart+headerRow, `<row><c r="XFD1"><v>1</v></c></row>`, sheetEnd, 1_000_000, 0))
	var rows, cells int
	var stopped error
	elapsed, heap := costOf(func() { rows, cells, stopped = imports.CountRows(bytes.NewReader(far), int64(len(far)), "far.xlsx") })
	if stopped == nil || !strings.Contains(stopped.Error(), "the sheet has more than 67,108,864 cells") || rows != 4096 || cells > 64<<20 {
		t.Fatalf("a million rows reaching XFD: %v after %d rows", stopped, rows)
	}
	if elapsed > refusalTime || heap > refusalHeap {
		t.Errorf("a million rows reaching XFD refused in %v holding %d MB", elapsed, heap>>20)
	}
	// Empty cells are not handed out: formatting a whole row costs nothing.
	formatted := zipOf(t, sheetOf(headerRow, `<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="XFD2" s="1"/></row>`))
	if rows, _, stopped, _ := imports.ReadRows(bytes.NewReader(formatted), int64(len(formatted)), "f.xlsx"); stopped != nil || len(rows[1].Cells) != 1 {
		t.Fatalf("a formatted empty cell: %v", stopped)
	}

	// The last column and row are a sheet's own.
	edge := zipOf(t, sheetOf(headerRow, `<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>`))
	last, _, stopped, _ := imports.ReadRows(bytes.NewReader(edge), int64(len(edge)), "edge.xlsx")
	if stopped != nil || len(last) != 2 || last[1].Num != imports.MaxRow || len(last[1].Cells) != imports.MaxColumn || last[1].Cells[imports.MaxColumn-1] != "x" {
		t.Fatalf("the last cell of a sheet: %v, %d rows", stopped, len(last))
	}
}

// TestSheetsThatUnzipTooFarAreRefused: a 2 MB workbook whose sheet unzips
// to 2 GB is refused on what it declares, before anything is unzipped; one
// that declares less than it holds is stopped where its declaration ends.
func TestSheetsThatUnzipTooFarAreRefused(t *testing.T) {
	app := apptest.New(t)
	bomb := sheetBomb(t, 2<<30, 0)
	if len(bomb) > 4<<20 {
		t.Fatalf("the bomb is %d KB", len(bomb)>>10)
	}
	refused(t, app, "bomb.xlsx", bomb, 0, "the XLSX file's sheet unzips to more than 500 MB")
	refused(t, app, "lying.xlsx", sheetBomb(t, 64<<20, 4<<20), 0, "sheet unzips to more than the 4 MB it declares")

	// Parts too large to keep are refused on what they declare as well.
	sst := repeatedPart(t, "xl/sharedStrings.xml", `<sst `+mainNS+`>`, `<si><t>a</t></si>`, `</sst>`, (65<<20)/17, 0)
	refused(t, app, "sst.xlsx", zipOf(t, sheetOf(headerRow), sst), 0, "shared strings unzips to more than 64 MB")
	many := []part{sheetOf(headerRow)}
	for i := range imports.MaxZipEntries {
		many = append(many, part{name: fmt.Sprintf("xl/media/%d.bin", i)})
	}
	refused(t, app, "parts.xlsx", zipOf(t, many...), 0, "more than 10,000 parts")
}

// TestSharedStringBombsAreRefused: millions of tiny shared strings, or one
// enormous, are refused as they are read.
func TestSharedStringBombsAreRefused(t *testing.T) {
	app := apptest.New(t)
	refused(t, app, "count.xlsx", sharedStringsCountBomb(t, 3_000_000), 0, "more than 524,288 shared strings")
	refused(t, app, "huge.xlsx", sharedStringBomb(t, 60<<20), 0, "shared string 0 of the XLSX file is longer than 32,767 characters")
	refused(t, app, "long.xlsx", sharedStringBomb(t, imports.MaxCellChars+1), 0, "shared string 0 of the XLSX file is longer than 32,767 characters")
	// Rich text is counted whole, across its runs.
	runs := strings.Repeat(`<r><t>`+strings.Repeat("b", 1000)+`</t></r>`, 33)
	refused(t, app, "runs.xlsx", zipOf(t, sheetOf(headerRow), sharedStringsOf(`<si>`+runs+`</si>`)), 0, "longer than 32,767 characters")

	// Up to the limits, a table is read.
	full := zipOf(t, sheetOf(headerRow, `<row r="2"><c t="s"><v>0</v></c></row>`),
		sharedStringsOf(`<si><t>`+strings.Repeat("ñ", imports.MaxCellChars)+`</t></si>`))
	rows, _, stopped, _ := imports.ReadRows(bytes.NewReader(full), int64(len(full)), "full.xlsx")
	if stopped != nil || len(rows) != 2 || len([]rune(rows[1].Cells[0])) != imports.MaxCellChars {
		t.Fatalf("a shared string of the most a cell holds: %v", stopped)
	}
}

// TestLongCellsAndRowsAreRefused: a cell holds at most what a
// spreadsheet's does, and a row at most 1 MB of text.
func TestLongCellsAndRowsAreRefused(t *testing.T) {
	app := apptest.New(t)
	long := strings.Repeat("x", imports.MaxCellChars+1)
	refused(t, app, "cell.xlsx", zipOf(t, sheetOf(headerRow, inlineRow(2, "FAC-1", long))), 2, "cell B2 holds more than 32,767 characters")
	cells := make([]string, 40)
	for i := range cells {
		cells[i] = strings.Repeat("y", 30_000)
	}
	refused(t, app, "row.xlsx", zipOf(t, sheetOf(headerRow, inlineRow(2, cells...))), 2, "the row holds more than 1 MB of text")
	refused(t, app, "huge.xlsx", zipOf(t, sheetOf(headerRow, inlineRow(2, "FAC-1", strings.Repeat("x", 50<<20)))), 2, "cell B2 holds more than 32,767 characters")
	refused(t, app, "tag.xlsx", zipOf(t, sheetOf(headerRow, `<row r="2"><c r="A2" s="`+strings.Repeat("1", 2<<20)+`"/></row>`)), 2,
		"the XLSX file's sheet has a tag or a text of more than 1 MB in one piece")
	refused(t, app, "cell.csv", []byte(csvHeader+"FAC-1,"+long+"\n"), 2, "cell B2 holds more than 32,767 characters")
	refused(t, app, "cells.csv", []byte(csvHeader+strings.Repeat(",", imports.MaxColumn)+"\n"), 2, "more than 16,384 cells")
}

// TestEndlessCSVLinesAndFieldsAreRefused: a line of 100 MB with no end, or
// a quoted field of 2 GB, is refused once it passes a row's 1 MB, without
// the rest being read.
func TestEndlessCSVLinesAndFieldsAreRefused(t *testing.T) {
	app := apptest.New(t)
	line := repeatedFile{head: csvHeader, filler: "a", size: 100 << 20}
	refusedFile(t, app, "line.csv", line, line.size, 2, "the row holds more than 1 MB of text")
	field := repeatedFile{head: csvHeader + `X,B87654323,2026-01-10,"`, filler: "a\n", size: 2 << 30}
	refusedFile(t, app, "field.csv", field, field.size, 2, "the row holds more than 1 MB of text")
	header := repeatedFile{head: "", filler: "external_id,", size: 50 << 20}
	refusedFile(t, app, "header.csv", header, header.size, 1, "the row holds more than 1 MB of text")
}

// TestProblemsAreListedUpToALimit: a file with thousands of bad rows lists
// the first thousand problems and says there are more.
func TestProblemsAreListedUpToALimit(t *testing.T) {
	app := apptest.New(t)
	var b strings.Builder
	b.WriteString(csvHeader)
	for i := range 5000 {
		fmt.Fprintf(&b, ",B87654323,2026-01-10,row %d,1,10,21\n", i)
	}
	s := run(t, app, "bad.csv", []byte(b.String()), imports.Options{})
	last := s.Errors[len(s.Errors)-1]
	if len(s.Errors) != imports.MaxErrors+1 || !strings.Contains(last.Message, "more than 1,000 problems") {
		t.Fatalf("%d errors, the last %+v", len(s.Errors), last)
	}
	if s.Errors[0].Row != 2 || s.Errors[0].Column != "external_id" {
		t.Errorf("the first: %+v", s.Errors[0])
	}
}

// TestLongValuesAreQuotedShort: a message quotes at most the start of a
// long value.
func TestLongValuesAreQuotedShort(t *testing.T) {
	app := apptest.New(t)
	long := strings.Repeat("Z", 20_000)
	s := run(t, app, "long.csv", []byte("external_id,"+long+"\n"), imports.Options{})
	for _, e := range s.Errors {
		if len(e.Message) > 400 || len(e.Column) > 400 {
			t.Errorf("a message of %d bytes, column of %d", len(e.Message), len(e.Column))
		}
	}
}
