package imports

import (
	"crypto/sha256"
	"errors"
	"facturo/ui"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/taxes"
)

// importer holds one import from the first row read to the last invoice
// issued.
type importer struct {
	opts     Options
	progress Progress
	errs     []RowError
	// failed marks the cells already reported, so that a later check does not
	// pile a derived message onto the same cell.
	failed map[cellRef]bool

	header    []*column      // the column of each position; nil for a blank header cell
	headerBad bool           // rows are not read when the header is wrong
	named     []int          // the positions of the header's columns, in order
	position  map[string]int // each column's position, by name
	date1904  bool

	groups     []*group // in the order of their first row
	byExternal map[string]*group
	lastGroup  *group
	lines      int

	newCustomers map[string]*customerPlan // by taxIDKey
	counts       struct{ customers, created, updated, unchanged, skipped int }

	tooManyErrors bool  // problems past maxErrors were left out
	refused       error // why the file was refused by a limit
	lineHash      hash.Hash
}

type cellRef struct {
	row    int
	column string
}

// group is one invoice: the rows that share an external_id.
type group struct {
	externalID string
	firstRow   int
	values     map[string]value // invoice and customer columns, as the first row has them
	lines      []lineRow
	blocks     int                  // separate runs of rows in the file
	seen       map[lineKey]lineSeen // line contents → where they were first seen
	bad        bool                 // has an error: it is not written

	issueDate, operationDate, dueDate time.Time
	linesJSON                         string
	taxID                             string        // taxIDKey of the customer's tax id
	customerID                        string        // an existing customer's
	plan                              *customerPlan // a customer to create
	existing                          *core.Record  // the invoice stored under the external_id
	recordID                          string        // the draft written, to issue
}

// value is an invoice or customer column's canonical text and the row it came from.
type value struct {
	text string
	row  int
}

// lineRow is one row's line, as the keys of the taxes package's line JSON.
type lineRow struct {
	row    int
	fields map[string]any
}

type lineSeen struct {
	row, block int
}

// lineKey stands for a line's contents: a hash, so that a row's text is
// not kept twice.
type lineKey [sha256.Size]byte

func newImporter(opts Options, progress Progress) *importer {
	return &importer{
		opts: opts, progress: progress,
		failed:       map[cellRef]bool{},
		lineHash:     sha256.New(),
		byExternal:   map[string]*group{},
		newCustomers: map[string]*customerPlan{},
	}
}

// fail records a problem with a cell (column "" for the whole row). Past
// maxErrors problems, the rest are only counted as more.
func (im *importer) fail(row int, column string, problem error) {
	ref := cellRef{row, column}
	if column != "" && im.failed[ref] {
		return
	}
	if len(im.errs) >= maxErrors {
		im.tooManyErrors = true
		return
	}
	im.failed[ref] = true
	im.errs = append(im.errs, RowError{Row: row, Column: column, Message: ui.Message(im.opts.Lang, problem)})
}

// source is an import file opened for reading: its format and, for an
// XLSX file, its workbook with everything but the sheet read. Opening is
// quick and bounded, so the upload route opens the file before it answers,
// and refuses at once a file that passes a limit.
type source struct {
	file   io.ReaderAt
	size   int64
	name   string
	format Format
	wb     *workbook
	err    error // why the file cannot be read; a *fileError with limit set when it is refused
}

// openSource detects the file's format and opens an XLSX workbook.
func openSource(file io.ReaderAt, size int64, name string) *source {
	src := &source{file: file, size: size, name: name}
	head := make([]byte, 8)
	n, _ := file.ReadAt(head, 0)
	if src.format, src.err = DetectFormat(name, head[:n]); src.err != nil {
		return src
	}
	if src.format == XLSX {
		src.wb, src.err = openWorkbook(file, size)
	}
	return src
}

// refusal is why the file is refused by a limit, or nil.
func (src *source) refusal() error {
	var fe *fileError
	if errors.As(src.err, &fe) && fe.limit {
		return fe.problem
	}
	return nil
}

// parse reads the file's rows into groups.
func (im *importer) parse(src *source) error {
	if src.err != nil {
		if err := im.readError(src.err); err != nil {
			im.fail(0, "", err)
			im.headerBad = true
		}
		return nil
	}
	progress := func(done, total int64) { im.progress(PhaseParsing, done, total) }
	progress(0, src.size)
	var err error
	switch src.format {
	case XLSX:
		im.date1904 = src.wb.date1904
		err = src.wb.readRows(im.row, progress, im.fail)
	default:
		err = readCSV(io.NewSectionReader(src.file, 0, src.size), src.size, im.row, progress, im.fail)
	}
	if err := im.readError(err); err != nil {
		return err
	}
	if im.header == nil && !im.headerBad {
		im.fail(1, "", ui.Errorf("import.err.empty", nil))
		im.headerBad = true
	}
	progress(src.size, src.size)
	return nil
}

// readError turns a reading problem into the file's error, and a limit
// passed into the file's refusal; other errors are failures to report.
func (im *importer) readError(err error) error {
	var fe *fileError
	if errors.As(err, &fe) {
		im.fail(fe.row, "", fe.problem)
		im.headerBad = true
		if fe.limit {
			im.refused = fe.problem
		}
		return nil
	}
	return err
}

// row takes one row of the file: the header, then the lines.
func (im *importer) row(num int, cells []cell) error {
	if im.header == nil && !im.headerBad {
		im.readHeader(num, cells)
		return nil
	}
	if im.tooManyErrors {
		// The file is best fixed from the first problems: reading on would
		// only keep rows that will not be written.
		return &fileError{row: num, problem: errTooManyErrors()}
	}
	if im.headerBad || blankRow(cells) {
		return nil
	}
	im.lines++
	if len(cells) > len(im.header) {
		for _, c := range cells[len(im.header):] {
			if strings.TrimSpace(c.text) != "" {
				im.fail(num, "", ui.Errorf("import.err.extra_cells", ui.Args{"cells": len(cells), "columns": len(im.header)}))
				return nil
			}
		}
	}
	// A row's work goes by its cells and the header's columns, never by
	// the header's width: a header may name a column at XFD.
	at := func(name string) cell {
		if i, ok := im.position[name]; ok && i < len(cells) {
			return cells[i]
		}
		return cell{}
	}
	externalID := strings.TrimSpace(at("external_id").text)
	if externalID == "" {
		im.fail(num, "external_id", ui.Errorf("import.err.external_id_required", nil))
		return nil
	}
	g := im.byExternal[externalID]
	if g == nil {
		g = &group{externalID: externalID, firstRow: num, values: map[string]value{}, seen: map[lineKey]lineSeen{}}
		im.byExternal[externalID] = g
		im.groups = append(im.groups, g)
	}
	if im.lastGroup != g {
		g.blocks++
	}
	im.lastGroup = g

	for i, c := range cells[:min(len(cells), len(im.header))] {
		// A value under a blank header cell would be lost silently.
		if im.header[i] == nil && strings.TrimSpace(c.text) != "" {
			im.fail(num, "", ui.Errorf("import.err.unnamed_column", ui.Args{"column": i + 1}))
			g.bad = true
		}
	}
	fields := map[string]any{}
	im.lineHash.Reset()
	for _, i := range im.named {
		col, c := im.header[i], cell{}
		if i < len(cells) {
			c = cells[i]
		}
		if col.level == lineLevel {
			if text := im.lineValue(num, col, c); text != "" {
				fields[col.field] = text
			}
			im.lineHash.Write([]byte(strings.TrimSpace(c.text)))
			im.lineHash.Write([]byte{0x1f})
			continue
		}
		im.invoiceValue(g, num, col, c)
	}
	var line lineKey
	im.lineHash.Sum(line[:0])
	if seen, ok := g.seen[line]; ok && seen.block != g.blocks {
		im.fail(num, "external_id", ui.Errorf("import.err.split_invoice", ui.Args{"row": seen.row, "external_id": externalID}))
		g.bad = true
	} else if !ok {
		g.seen[line] = lineSeen{row: num, block: g.blocks}
	}
	g.lines = append(g.lines, lineRow{row: num, fields: fields})
	return nil
}

// readHeader maps the header's names to columns, reporting unknown and
// repeated names and missing required columns.
func (im *importer) readHeader(num int, cells []cell) {
	if num != 1 || blankRow(cells) {
		im.fail(num, "", ui.Errorf("import.err.header", nil))
		im.headerBad = true
		return
	}
	im.header = make([]*column, len(cells))
	im.position = map[string]int{}
	seen := map[string]bool{}
	for i, c := range cells {
		name := strings.TrimSpace(c.text)
		if name == "" {
			continue
		}
		col, ok := columnByName(name)
		switch {
		case !ok:
			im.fail(num, shorten(name), ui.Errorf("import.err.unknown_column", ui.Args{"column": strconv.Quote(shorten(name))}))
			im.headerBad = true
		case seen[col.name]:
			im.fail(num, col.name, ui.Errorf("import.err.column_twice", nil))
			im.headerBad = true
		default:
			seen[col.name] = true
			im.header[i] = col
			im.named = append(im.named, i)
			im.position[col.name] = i
		}
	}
	for _, col := range columns {
		if col.required && !seen[col.name] {
			im.fail(num, col.name, ui.Errorf("import.err.column_missing", nil))
			im.headerBad = true
		}
	}
}

// lineValue reads a line column's cell as the taxes package's line JSON
// takes it: numbers as plain decimal strings.
func (im *importer) lineValue(num int, col *column, c cell) string {
	if strings.TrimSpace(c.text) == "" {
		return ""
	}
	if col.kind != numberKind {
		return c.text
	}
	n, err := numberValue(c)
	if err != nil {
		im.fail(num, col.name, err)
		return ""
	}
	return n
}

// invoiceValue reads an invoice or customer column's cell and checks that
// it agrees with the invoice's first row.
func (im *importer) invoiceValue(g *group, num int, col *column, c cell) {
	text, ok := im.canonical(num, col, c)
	if !ok {
		g.bad = true
		return
	}
	first, seen := g.values[col.name]
	if !seen {
		g.values[col.name] = value{text: text, row: num}
		return
	}
	if first.text != text {
		im.fail(num, col.name, ui.Errorf("import.err.differs", ui.Args{"value": strconv.Quote(shorten(text)), "row": first.row, "first": strconv.Quote(shorten(first.text))}))
		g.bad = true
	}
}

// canonical is a cell's text in the form rows are compared in: dates as
// YYYY-MM-DD (a date cell and a typed date agree), numbers in plain form,
// text trimmed.
func (im *importer) canonical(num int, col *column, c cell) (string, bool) {
	text := strings.TrimSpace(c.text)
	if text == "" {
		return "", true
	}
	switch col.kind {
	case dateKind:
		d, err := dateValue(c, im.date1904)
		if err != nil {
			im.fail(num, col.name, err)
			return "", false
		}
		return d.Format(time.DateOnly), true
	case integerKind:
		n, err := integerValue(c)
		if err != nil {
			im.fail(num, col.name, err)
			return "", false
		}
		return strconv.Itoa(n), true
	}
	return text, true
}

// checkLines validates the group's lines with the invoice line rules and
// keeps them in their stored form.
func (im *importer) checkLines(g *group) {
	raw := make([]map[string]any, len(g.lines))
	for i, l := range g.lines {
		raw[i] = l.fields
	}
	js, err := jsonArray(raw)
	if err != nil {
		im.fail(g.firstRow, "", err)
		g.bad = true
		return
	}
	lines, err := taxes.ParseLines(js)
	var lineErrs taxes.LineErrors
	switch {
	case errors.As(err, &lineErrs):
		for _, e := range lineErrs {
			im.fail(g.lines[e.Line-1].row, columnForLineField(e.Field), lineProblem(e))
		}
		g.bad = true
		return
	case err != nil:
		im.fail(g.firstRow, "", err)
		g.bad = true
		return
	}
	canonical, err := taxes.MarshalLines(lines)
	if err != nil {
		im.fail(g.firstRow, "", err)
		g.bad = true
		return
	}
	g.linesJSON = string(canonical)
}

// lineProblem is a line rule's problem, to be written in the reader's
// language from its catalogue key.
func lineProblem(e taxes.LineError) error {
	if e.Key == "" {
		return errors.New(e.Message)
	}
	return ui.Errorf(e.Key, e.Args)
}
