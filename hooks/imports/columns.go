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
	numberKind       // see parseNumber
	integerKind      // digits only
	dateKind         // YYYY-MM-DD, or a date cell in XLSX
)

// column is one column of the import file. The names are a public contract
// that ERP integrators write against: never rename one.
type column struct {
	name     string
	level    level
	kind     kind
	required bool   // needed on every row
	field    string // the record field it fills (the line key for line columns)
	example  string // as the README and the template show it
	meaning  string
}

// columns are every column the import reads, in the template's order.
var columns = []column{
	{name: "external_id", level: invoiceLevel, required: true, field: "external_id", example: "FAC-2026-0001",
		meaning: "The ERP's id of the invoice; rows with the same id are the lines of one invoice. Re-importing it updates the draft."},
	{name: "customer_tax_id", level: customerLevel, required: true, field: "tax_id", example: "B95234567",
		meaning: "NIF, CIF or NIE (Spain) or EU VAT id; finds the customer, or names the one to create"},
	{name: "customer_name", level: customerLevel, field: "name", example: "Ejemplo Comercial S.L.",
		meaning: "Needed only when no customer has that tax id: the customer is then created"},
	{name: "customer_email", level: customerLevel, field: "email", example: "facturas@ejemplo.es",
		meaning: "Where invoices are emailed (new customers)"},
	{name: "customer_address", level: customerLevel, field: "address", example: "Gran Vía 1", meaning: "New customers"},
	{name: "customer_city", level: customerLevel, field: "city", example: "Madrid", meaning: "New customers"},
	{name: "customer_postal_code", level: customerLevel, field: "postal_code", example: "28013", meaning: "New customers"},
	{name: "customer_province", level: customerLevel, field: "province", example: "Madrid", meaning: "New customers"},
	{name: "customer_country", level: customerLevel, field: "country", example: "ES",
		meaning: "ISO 3166-1 alpha-2; ES when empty. Also picks the tax id rules"},
	{name: "customer_language", level: customerLevel, field: "language", example: "es",
		meaning: "es or en: the language of the customer's emails and PDFs (new customers)"},
	{name: "payment_terms_days", level: customerLevel, kind: integerKind, field: "payment_terms_days", example: "30",
		meaning: "Days from issue to due date (new customers); 30 when empty"},
	{name: "series", level: invoiceLevel, field: "series", example: "A",
		meaning: "Letters and digits; the issuer's default series when empty"},
	{name: "issue_date", level: invoiceLevel, kind: dateKind, required: true, field: "issue_date", example: "2026-01-15",
		meaning: "Date of the invoice"},
	{name: "operation_date", level: invoiceLevel, kind: dateKind, field: "operation_date", example: "",
		meaning: "Only when the supply took place on another date"},
	{name: "due_date", level: invoiceLevel, kind: dateKind, field: "due_date", example: "2026-02-14",
		meaning: "Not before issue_date; when empty, the issue date plus the customer's payment terms"},
	{name: "currency", level: invoiceLevel, field: "currency", example: "EUR", meaning: "EUR (the only one for now); EUR when empty"},
	{name: "notes", level: invoiceLevel, field: "notes", example: "Pedido 4512", meaning: "Printed on the invoice"},
	{name: "line_description", level: lineLevel, required: true, field: "description", example: "Diseño de catálogo",
		meaning: "What the line bills"},
	{name: "quantity", level: lineLevel, kind: numberKind, required: true, field: "quantity", example: "2",
		meaning: "Not zero; negative on a credit"},
	{name: "unit_price", level: lineLevel, kind: numberKind, required: true, field: "unit_price", example: "1250.00",
		meaning: "Before tax, in the invoice currency"},
	{name: "discount", level: lineLevel, kind: numberKind, field: "discount", example: "10",
		meaning: "Percent off the line, 0 to 100"},
	{name: "vat", level: lineLevel, kind: numberKind, required: true, field: "vat", example: "21",
		meaning: "IVA percent: 21, 10, 4 or 0"},
	{name: "vat_exemption", level: lineLevel, field: "vat_exemption", example: "",
		meaning: "Why the line bears no VAT; required when vat is 0 (e.g. E1, Art. 20 LIVA)"},
	{name: "surcharge", level: lineLevel, kind: numberKind, field: "surcharge", example: "",
		meaning: "Recargo de equivalencia percent: 5.2 with VAT 21, 1.4 with 10, 0.5 with 4"},
	{name: "withholding", level: lineLevel, kind: numberKind, field: "withholding", example: "15",
		meaning: "IRPF percent withheld: 15, 7, 19 or 1"},
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
