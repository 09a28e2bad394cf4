package products

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/imports"
	"facturo/internal/taxes"
)

// Columns are the columns a products file may have, in the template's
// order. The names are a public contract, like the invoice import's.
var Columns = []struct {
	Name     string
	Required bool
}{
	{"code", false}, {"name", true}, {"description", false}, {"unit_price", true}, {"unit", false},
	{"vat", true}, {"vat_exemption", false}, {"surcharge", false}, {"withholding", false}, {"active", false},
}

// numericColumns are read as numbers.
var numericColumns = map[string]bool{"unit_price": true, "vat": true, "surcharge": true, "withholding": true}

// Summary is what a products import did, or with a dry run would do.
type Summary struct {
	Products  int                `json:"products"` // rows after the header
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	Errors    []imports.RowError `json:"errors"` // any means nothing was written
	DryRun    bool               `json:"dry_run"`
}

// row is one product read from the file.
type row struct {
	num    int
	values map[string]string // by column, trimmed; numbers as plain decimals
}

var errRollback = errors.New("rolled back")

// The bounds of a products file, besides the import readers' own: a
// catalogue far larger than a small firm's, and as many problems as the
// invoice import lists.
const (
	MaxProducts = 100_000
	maxErrors   = 1_000
)

var errStop = errors.New("stop reading")

// Import reads a products file (CSV or XLSX, as the invoice import reads
// them) and creates or updates the products in it, all in one transaction:
// a product whose code is in the file is updated (without a code, the one
// with the same name and no code); any problem, reported by row and
// column, writes nothing. A dry run checks and writes in a transaction
// that it rolls back.
func Import(app core.App, file io.ReaderAt, size int64, name string, dryRun bool) (*Summary, error) {
	s := &Summary{DryRun: dryRun, Errors: []imports.RowError{}}
	tooMany := false
	type cellRef struct {
		row    int
		column string
	}
	failed := map[cellRef]bool{}
	fail := func(r int, column, format string, args ...any) {
		// One problem per cell: a price that does not read is not also
		// missing.
		if column != "" && failed[cellRef{r, column}] {
			return
		}
		failed[cellRef{r, column}] = true
		if len(s.Errors) >= maxErrors {
			tooMany = true
			return
		}
		s.Errors = append(s.Errors, imports.RowError{Row: r, Column: column, Message: fmt.Sprintf(format, args...)})
	}
	var header []string
	headerBad := false
	var rows []row
	problems, err := imports.EachRow(file, size, name, "", func(num int, cells []imports.Cell) error {
		if header == nil && !headerBad {
			header, headerBad = readHeader(num, cells, fail)
			return nil
		}
		if headerBad {
			return nil
		}
		if len(s.Errors) >= maxErrors {
			tooMany = true
			return errStop
		}
		if s.Products >= MaxProducts {
			fail(num, "", "the file has more than %d products: split it", MaxProducts)
			return errStop
		}
		s.Products++
		r := row{num: num, values: map[string]string{}}
		for i, c := range cells {
			text := strings.TrimSpace(c.Text)
			if i >= len(header) {
				if text != "" {
					fail(num, "", "has a value in column %d, which the header does not name", i+1)
				}
				continue
			}
			col := header[i]
			if col == "" || text == "" {
				continue
			}
			if numericColumns[col] {
				n, err := c.Decimal()
				if err != nil {
					fail(num, col, "%s", err.Error())
					continue
				}
				text = n
			}
			r.values[col] = text
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	s.Errors = append(problems, s.Errors...)
	if header == nil && !headerBad && len(s.Errors) == 0 {
		fail(1, "", "the file is empty: its first row must name the columns")
	}
	checkRows(rows, fail)
	if len(s.Errors) > 0 {
		sortErrors(s.Errors)
		if tooMany {
			s.Errors = append(s.Errors, imports.RowError{Message: fmt.Sprintf("the file has more than %d problems; the first %d are listed: fix them and check it again", maxErrors, maxErrors)})
		}
		return s, nil
	}
	err = app.RunInTransaction(func(tx core.App) error {
		for _, r := range rows {
			if err := writeRow(tx, r, s, fail); err != nil {
				return err
			}
		}
		if dryRun || len(s.Errors) > 0 {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	if len(s.Errors) > 0 {
		s.Created, s.Updated, s.Unchanged = 0, 0, 0
		sortErrors(s.Errors)
	}
	return s, nil
}

// readHeader maps the header's names to columns: any case, spaces around
// ignored; an unknown or repeated name, or a missing required column, is
// an error on row 1 and no row is read.
func readHeader(num int, cells []imports.Cell, fail func(int, string, string, ...any)) ([]string, bool) {
	header := make([]string, len(cells))
	bad := num != 1
	if bad {
		fail(num, "", "the first row must name the columns (name, unit_price, vat, …)")
		return nil, true
	}
	seen := map[string]bool{}
	for i, c := range cells {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c.Text, "\ufeff")))
		if name == "" {
			continue
		}
		known := slices.ContainsFunc(Columns, func(col struct {
			Name     string
			Required bool
		}) bool {
			return col.Name == name
		})
		switch {
		case !known:
			fail(num, name, "unknown column %q: check its spelling (the README lists the columns)", name)
			bad = true
		case seen[name]:
			fail(num, name, "the column appears twice")
			bad = true
		default:
			seen[name] = true
			header[i] = name
		}
	}
	for _, col := range Columns {
		if col.Required && !seen[col.Name] {
			fail(num, col.Name, "missing column: every file needs it")
			bad = true
		}
	}
	return header, bad
}

// checkRows applies the product rules to each row: the required values,
// the line rules to its tax defaults, and no code or name given twice.
func checkRows(rows []row, fail func(int, string, string, ...any)) {
	codes, names := map[string]int{}, map[string]int{}
	for _, r := range rows {
		v := r.values
		for _, col := range Columns {
			if col.Required && v[col.Name] == "" {
				fail(r.num, col.Name, "required")
			}
		}
		if a := v["active"]; a != "" && activeValue(a) == nil {
			fail(r.num, "active", "must be yes or no (sí, no, true, false, 1, 0)")
		}
		if v["name"] == "" || v["unit_price"] == "" || v["vat"] == "" {
			continue
		}
		if code := v["code"]; code != "" {
			if first, ok := codes[code]; ok {
				fail(r.num, "code", "repeats the code of row %d", first)
			} else {
				codes[code] = r.num
			}
		} else {
			key := strings.ToLower(v["name"])
			if first, ok := names[key]; ok {
				fail(r.num, "name", "repeats the name of row %d, and neither has a code to tell them apart", first)
			} else {
				names[key] = r.num
			}
		}
		for field, problem := range CheckDefaults(v["name"], dec(v["unit_price"]), dec(v["vat"]), dec(v["surcharge"]), dec(v["withholding"]), v["vat_exemption"]) {
			fail(r.num, field, "%s", problem.Message)
		}
	}
}

// dec reads a plain decimal the rows hold; empty is zero.
func dec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// activeValue reads the active column; nil when it does not read.
func activeValue(s string) *bool {
	t, f := true, false
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "1", "true", "yes", "y", "sí", "si", "s", "x":
		return &t
	case "0", "false", "no", "n":
		return &f
	}
	return nil
}

// writeRow creates or updates the row's product inside tx.
func writeRow(tx core.App, r row, s *Summary, fail func(int, string, string, ...any)) error {
	v := r.values
	var p *core.Record
	var err error
	if code := v["code"]; code != "" {
		p, err = tx.FindFirstRecordByData(Collection, "code", code)
	} else {
		found, ferr := tx.FindRecordsByFilter(Collection, "code = '' && name = {:name}", "created", 1, 0, map[string]any{"name": v["name"]})
		err = ferr
		if ferr == nil && len(found) == 1 {
			p = found[0]
		} else if ferr == nil {
			err = errNotFound
		}
	}
	if err != nil {
		col, cerr := tx.FindCachedCollectionByNameOrId(Collection)
		if cerr != nil {
			return cerr
		}
		p = core.NewRecord(col)
	}
	before := map[string]any{}
	for _, f := range []string{"code", "name", "description", "unit", "vat_exemption", "unit_price", "vat", "surcharge", "withholding", "active"} {
		before[f] = p.Get(f)
	}
	p.Set("code", v["code"])
	p.Set("name", v["name"])
	p.Set("description", v["description"])
	p.Set("unit", v["unit"])
	p.Set("vat_exemption", v["vat_exemption"])
	for _, f := range []string{"unit_price", "vat", "surcharge", "withholding"} {
		p.Set(f, dec(v[f]).InexactFloat64())
	}
	p.Set("active", *activeValue(v["active"]))
	changed := p.IsNew()
	for f, old := range before {
		if fmt.Sprint(old) != fmt.Sprint(p.Get(f)) {
			changed = true
		}
	}
	if !changed {
		s.Unchanged++
		return nil
	}
	created := p.IsNew()
	if err := tx.Save(p); err != nil {
		var verrs validation.Errors
		if !errors.As(err, &verrs) {
			return err
		}
		for field, e := range verrs {
			fail(r.num, field, "%s", e.Error())
		}
		return nil
	}
	if created {
		s.Created++
	} else {
		s.Updated++
	}
	return nil
}

var errNotFound = errors.New("not found")

// sortErrors orders problems by row, then by the columns' order.
func sortErrors(errs []imports.RowError) {
	position := func(name string) int {
		for i, c := range Columns {
			if c.Name == name {
				return i
			}
		}
		return -1
	}
	slices.SortStableFunc(errs, func(a, b imports.RowError) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return position(a.Column) - position(b.Column)
	})
}

func asLineErrors(err error, out *taxes.LineErrors) bool { return errors.As(err, out) }

// TemplateCSV is a products file to start from: every column, and two
// products valid as they are.
func TemplateCSV() []byte {
	return []byte("\ufeffcode,name,description,unit_price,unit,vat,vat_exemption,surcharge,withholding,active\r\n" +
		"DIS-H,Hora de diseño,Diseño gráfico por horas,45.00,h,21,,,15,yes\r\n" +
		"LIB-01,Libro de estilo,Impreso y encuadernado,24.95,ud,4,,0.5,,yes\r\n")
}
