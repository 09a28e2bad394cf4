package imports

import (
	"encoding/json"
	"facturo/internal/money"
	"facturo/ui"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// customerPlan is a customer the import creates: the first invoice that
// describes it, with a name, gives its data.
type customerPlan struct {
	taxID  string
	values map[string]value
	id     string // once created
	failed bool
}

// validate checks each invoice's lines, dates and customer, resolving
// customers and earlier imports against the store.
func (im *importer) validate(tx core.App) error {
	total := int64(len(im.groups))
	for i, g := range im.groups {
		im.checkLines(g)
		im.checkInvoice(g)
		// The rows are in linesJSON now; let them go before the writing,
		// which holds every saved record until the commit.
		g.lines, g.seen = nil, nil
		im.progress(PhaseValidating, int64(i+1), total)
	}
	if err := im.resolveCustomers(tx); err != nil {
		return err
	}
	return im.findExisting(tx)
}

// checkInvoice checks the invoice-level values of g, on its first row.
func (im *importer) checkInvoice(g *group) {
	get := func(name string) value {
		v := g.values[name]
		if v.row == 0 {
			v.row = g.firstRow
		}
		return v
	}
	bad := func(v value, column string, problem error) {
		im.fail(v.row, column, problem)
		g.bad = true
	}
	for _, name := range []string{"customer_tax_id", "issue_date"} {
		if v := get(name); v.text == "" && !im.failed[cellRef{v.row, name}] {
			bad(v, name, ui.Errorf("import.err.required", nil))
		}
	}
	date := func(name string) time.Time {
		d, _ := time.Parse(time.DateOnly, get(name).text)
		return d
	}
	g.issueDate, g.operationDate, g.dueDate = date("issue_date"), date("operation_date"), date("due_date")
	// The issue's own rule: a date the AEAT refuses is refused here, at
	// its row, rather than when the draft is issued.
	if !g.issueDate.IsZero() {
		if field, problem := invoicing.DateRule(g.issueDate, g.operationDate); problem != nil {
			bad(get(field), field, problem)
		}
	}
	if !g.issueDate.IsZero() && !g.dueDate.IsZero() && g.dueDate.Before(g.issueDate) {
		bad(get("due_date"), "due_date", ui.Errorf("import.err.due_before_issue", ui.Args{"date": get("issue_date").text}))
	}
	if v := get("currency"); v.text != "" && !strings.EqualFold(v.text, money.Currency) {
		bad(v, "currency", ui.Errorf("import.err.currency", nil))
	}
	if v := get("customer_email"); v.text != "" {
		if err := checkEmail(v.text); err != nil {
			bad(v, "customer_email", err)
		}
	}
	if v := get("customer_tax_id"); v.text != "" {
		country := strings.ToUpper(get("customer_country").text)
		if country == "" {
			country = "ES"
		}
		if err := checkTaxID(v.text, country); err != nil {
			bad(v, "customer_tax_id", err)
		} else {
			g.taxID = taxIDKey(v.text, country)
		}
	}
}

// resolveCustomers ties each invoice to its customer: an existing one with
// the same normalised tax id, or one the import creates from the
// customer_* columns of the first invoice that names it.
func (im *importer) resolveCustomers(tx core.App) error {
	var stored []struct {
		ID      string `db:"id"`
		TaxID   string `db:"tax_id"`
		Country string `db:"country"`
	}
	if err := tx.RecordQuery(invoicing.Customers).Select("id", "tax_id", "country").OrderBy("created", "id").All(&stored); err != nil {
		return err
	}
	existing := map[string][]string{}
	for _, c := range stored {
		if key := taxIDKey(c.TaxID, c.Country); key != "" {
			existing[key] = append(existing[key], c.ID)
		}
	}
	// First the plans, so that an invoice may come before the one that
	// names its new customer.
	for _, g := range im.groups {
		if g.taxID == "" || existing[g.taxID] != nil || im.newCustomers[g.taxID] != nil || g.values["customer_name"].text == "" {
			continue
		}
		im.newCustomers[g.taxID] = &customerPlan{taxID: g.taxID, values: customerValues(g)}
	}
	for _, g := range im.groups {
		if g.taxID == "" {
			continue
		}
		taxIDRow := g.values["customer_tax_id"].row
		switch ids := existing[g.taxID]; {
		case len(ids) > 1:
			im.fail(taxIDRow, "customer_tax_id", ui.Errorf("import.err.tax_id_shared", ui.Args{"n": len(ids), "tax_id": g.taxID, "ids": strings.Join(ids, ", ")}))
			g.bad = true
		case len(ids) == 1:
			g.customerID = ids[0]
		case im.newCustomers[g.taxID] == nil:
			im.fail(taxIDRow, "customer_tax_id", ui.Errorf("import.err.no_customer", ui.Args{"tax_id": g.taxID}))
			g.bad = true
		default:
			g.plan = im.newCustomers[g.taxID]
			im.checkSameCustomer(g)
		}
	}
	return nil
}

// customerValues are the customer columns of g.
func customerValues(g *group) map[string]value {
	out := map[string]value{}
	for _, c := range columns {
		if v, ok := g.values[c.name]; ok && c.level == customerLevel {
			out[c.name] = v
		}
	}
	return out
}

// checkSameCustomer reports customer columns of g that contradict the
// invoice that describes the new customer; g may leave them empty.
func (im *importer) checkSameCustomer(g *group) {
	for name, v := range customerValues(g) {
		want := g.plan.values[name]
		if v.text == "" || v.row == want.row || name == "customer_tax_id" {
			continue
		}
		if v.text != want.text {
			firstRow := g.plan.values["customer_tax_id"].row
			im.fail(v.row, name, ui.Errorf("import.err.customer_differs", ui.Args{"value": strconv.Quote(shorten(v.text)), "row": firstRow, "tax_id": shorten(g.taxID), "first": strconv.Quote(shorten(want.text))}))
			g.bad = true
		}
	}
}

// findExisting loads the invoices stored under the file's external ids.
func (im *importer) findExisting(tx core.App) error {
	ids := make([]any, 0, len(im.groups))
	for _, g := range im.groups {
		ids = append(ids, g.externalID)
	}
	// A bounded IN list per query: SQLite limits the parameters of one
	// statement.
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		var found []*core.Record
		end := min(start+chunk, len(ids))
		if err := tx.RecordQuery(invoicing.Invoices).Where(dbx.In("external_id", ids[start:end]...)).All(&found); err != nil {
			return err
		}
		for _, r := range found {
			if g := im.byExternal[r.GetString("external_id")]; g != nil {
				g.existing = r
			}
		}
	}
	return nil
}

// jsonArray encodes rows of line fields as the JSON array the taxes package
// parses.
func jsonArray(rows []map[string]any) ([]byte, error) {
	return json.Marshal(rows)
}
