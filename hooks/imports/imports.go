// Package imports reads customers and invoices exported by an ERP, from CSV
// or XLSX files with one row per invoice line, and writes them as drafts in
// one transaction: all of the file or nothing. Re-importing a file changes
// nothing; a draft whose external_id comes again is updated to the file's
// content, and an issued invoice is never touched. It can then issue the
// drafts and queue their emails. The column names are a public contract
// (see columns and the README).
package imports

import (
	"errors"
	"facturo/ui"
	"io"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// Options choose what an import does besides writing drafts.
type Options struct {
	DryRun bool            // check everything and report, but write nothing
	Issue  bool            // issue each imported draft, in file order, once the import has committed
	Send   bool            // queue each issued invoice's email; only with Issue
	Actor  invoicing.Actor // who imports, for the issued and queued events
	Lang   string          // the language of the summary's messages (English when empty)
}

// RowError is one problem in the file: Row is the file's row number (the
// header is 1; 0 is the file as a whole) and Column the column's name
// (empty for the row as a whole).
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// Summary is what an import did, or with DryRun would do. It is the one
// JSON line of the import command and the result of the REST route.
type Summary struct {
	Invoices         int        `json:"invoices"`          // invoices in the file (distinct external_id)
	Lines            int        `json:"lines"`             // rows after the header
	CustomersCreated int        `json:"customers_created"` // new customers
	Errors           []RowError `json:"errors"`            // any at all means nothing was written, unless they are issue or send failures
	DryRun           bool       `json:"dry_run"`
	Created          int        `json:"created"`        // new drafts
	Updated          int        `json:"updated"`        // drafts changed to the file's content
	Unchanged        int        `json:"unchanged"`      // drafts that already had it
	SkippedIssued    int        `json:"skipped_issued"` // issued invoices, left as they are
	Issued           int        `json:"issued"`         // drafts issued after the import
	Queued           int        `json:"queued"`         // emails queued after issuing

	refused error // why the file was refused as a whole by a limit (limits.go); its error says so too
}

// Phases of an import, as Progress reports them.
const (
	PhaseParsing    = "parsing"
	PhaseValidating = "validating"
	PhaseWriting    = "writing"
	PhaseIssuing    = "issuing"
)

// Progress is told how far an import has got: done of total in phase
// (bytes while parsing, invoices after).
type Progress func(phase string, done, total int64)

// errRollback ends the import's transaction without writing.
var errRollback = errors.New("rolled back")

// ErrSendWithoutIssue is returned for Options that ask to send drafts.
var ErrSendWithoutIssue = ui.Errorf("import.err.send_without_issue", nil)

// Import reads file (size bytes; name gives the format when its first bytes
// do not) and imports it as opts say. Problems with the file are reported in
// the summary's Errors, all of them; the error is for failures of the store.
func Import(app core.App, file io.ReaderAt, size int64, name string, opts Options, progress Progress) (*Summary, error) {
	return importSource(app, openSource(file, size, name), opts, progress)
}

// importSource imports a file already opened.
func importSource(app core.App, src *source, opts Options, progress Progress) (*Summary, error) {
	if opts.Send && !opts.Issue {
		return nil, ErrSendWithoutIssue
	}
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	im := newImporter(opts, progress)
	if err := im.parse(src); err != nil {
		return nil, err
	}
	if !im.headerBad {
		err := app.RunInTransaction(func(tx core.App) error {
			if err := im.validate(tx); err != nil {
				return err
			}
			if err := im.write(tx); err != nil {
				return err
			}
			if opts.DryRun || len(im.errs) > 0 {
				return errRollback
			}
			return nil
		})
		if err != nil && !errors.Is(err, errRollback) {
			return nil, err
		}
	}
	summary := im.summary()
	if opts.Issue && !opts.DryRun && len(summary.Errors) == 0 {
		im.issue(app, summary)
	}
	return summary, nil
}

// summary totals the import so far; after errors nothing was written, and
// it says so by counting nothing as done.
func (im *importer) summary() *Summary {
	s := &Summary{
		Invoices: len(im.groups),
		Lines:    im.lines,
		DryRun:   im.opts.DryRun,
		Errors:   im.sortedErrors(),
		refused:  im.refused,
	}
	if len(s.Errors) == 0 || im.opts.DryRun {
		s.CustomersCreated, s.Created, s.Updated, s.Unchanged, s.SkippedIssued =
			im.counts.customers, im.counts.created, im.counts.updated, im.counts.unchanged, im.counts.skipped
	}
	return s
}

// sortedErrors lists the problems by row, then in the order of the
// columns, each once.
func (im *importer) sortedErrors() []RowError {
	out := slices.Clone(im.errs)
	position := func(name string) int {
		for i, c := range columns {
			if c.name == name {
				return i
			}
		}
		return -1
	}
	slices.SortStableFunc(out, func(a, b RowError) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return position(a.Column) - position(b.Column)
	})
	out = slices.Compact(out)
	if im.tooManyErrors {
		out = append(out, RowError{Message: errTooManyErrors().In(im.opts.Lang)})
	}
	if out == nil {
		out = []RowError{} // "errors": [] in JSON, never null
	}
	return out
}
