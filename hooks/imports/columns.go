package imports

import "strings"

// level says which record a column fills, and so how its values group.
type level int

const (
	// invoiceLevel columns describe the invoice; every row of one
	// external_id repeats them with the same value.
	invoiceLevel level = iota
	// customerLevel columns describe the customer; they are invoice-level
	// too, and create the customer when its tax id is unknown.
	customerLevel
	// lineLevel columns describe the row's own invoice line.
	lineLevel
)

// kind is how a column's text is read.
type kind int

const (
	textKind    kind = iota
	numberKind       // see numtext.Read
	integerKind      // digits only
	dateKind         // YYYY-MM-DD, or a date cell in XLSX
)

// column is one column of the import file. The names are a public contract
// that ERP integrators write against: never rename one. The README's table
// says what each means (TestReadmeListsEveryColumn keeps the two in step).
type column struct {
	name     string
	level    level
	kind     kind
	required bool   // needed on every row
	field    string // the record field it fills (the line key for line columns)
}

// columns are every column the import reads, in the template's order.
// Customer columns fill only customers the import creates.
var columns = []column{
	{name: "external_id", level: invoiceLevel, required: true, field: "external_id"},
	{name: "customer_tax_id", level: customerLevel, required: true, field: "tax_id"},
	{name: "customer_name", level: customerLevel, field: "name"},
	{name: "customer_email", level: customerLevel, field: "email"},
	{name: "customer_address", level: customerLevel, field: "address"},
	{name: "customer_city", level: customerLevel, field: "city"},
	{name: "customer_postal_code", level: customerLevel, field: "postal_code"},
	{name: "customer_province", level: customerLevel, field: "province"},
	{name: "customer_country", level: customerLevel, field: "country"},
	{name: "customer_language", level: customerLevel, field: "language"},
	{name: "payment_terms_days", level: customerLevel, kind: integerKind, field: "payment_terms_days"},
	{name: "series", level: invoiceLevel, field: "series"},
	{name: "issue_date", level: invoiceLevel, kind: dateKind, required: true, field: "issue_date"},
	{name: "operation_date", level: invoiceLevel, kind: dateKind, field: "operation_date"},
	{name: "due_date", level: invoiceLevel, kind: dateKind, field: "due_date"},
	{name: "currency", level: invoiceLevel, field: "currency"},
	{name: "notes", level: invoiceLevel, field: "notes"},
	{name: "line_description", level: lineLevel, required: true, field: "description"},
	{name: "quantity", level: lineLevel, kind: numberKind, required: true, field: "quantity"},
	{name: "unit_price", level: lineLevel, kind: numberKind, required: true, field: "unit_price"},
	{name: "discount", level: lineLevel, kind: numberKind, field: "discount"},
	{name: "vat", level: lineLevel, kind: numberKind, required: true, field: "vat"},
	{name: "vat_exemption", level: lineLevel, field: "vat_exemption"},
	{name: "surcharge", level: lineLevel, kind: numberKind, field: "surcharge"},
	{name: "withholding", level: lineLevel, kind: numberKind, field: "withholding"},
}

// Column is what the import page says of a column: its name, and whether
// every row needs it. What it holds is the catalogue's
// app.import.col.<name>.
type Column struct {
	Name     string
	Required bool
}

// Columns are the import's columns, in the template's order.
func Columns() []Column {
	out := make([]Column, len(columns))
	for i, c := range columns {
		out[i] = Column{Name: c.name, Required: c.required}
	}
	return out
}

// columnByName finds a column by its header text: case-insensitive, with
// surrounding spaces (and a stray byte-order mark) ignored.
func columnByName(header string) (*column, bool) {
	name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header, "\ufeff")))
	for i := range columns {
		if columns[i].name == name {
			return &columns[i], true
		}
	}
	return nil, false
}

// columnForLineField names the column of a line key of the taxes package,
// so that its errors point at the file's column.
func columnForLineField(field string) string {
	for _, c := range columns {
		if c.level == lineLevel && c.field == field {
			return c.name
		}
	}
	return field
}

// columnForRecordField names the column that fills field of a customer or
// an invoice record, so that a store validation error points at it.
func columnForRecordField(l level, field string) string {
	for _, c := range columns {
		if c.level == l && c.field == field {
			return c.name
		}
	}
	if l == invoiceLevel && field == "lines" {
		return "line_description"
	}
	if l == invoiceLevel && field == "customer" {
		return "customer_tax_id"
	}
	return ""
}
