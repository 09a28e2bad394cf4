package imports

import (
	"encoding/json"
	"errors"
	"facturo/internal/money"
	"facturo/ui"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
)

// defaultPaymentTerms are the days a new customer has to pay, as for
// customers created in the dashboard.
const defaultPaymentTerms = 30

// write creates the new customers and creates or updates the drafts, in
// file order, through the store's hooks, which total each draft as staff
// would see it. Every invoice without errors is written, even when others
// have some, so that one pass finds every problem; the caller then rolls
// everything back.
func (im *importer) write(tx core.App) error {
	invoices, err := tx.FindCachedCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return err
	}
	customers, err := tx.FindCachedCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		return err
	}
	issuer, err := invoicing.LoadIssuer(tx)
	if err != nil {
		return err
	}
	defaultSeries := issuer.GetString("default_series")
	total := int64(len(im.groups))
	for i, g := range im.groups {
		im.progress(PhaseWriting, int64(i+1), total)
		if g.bad {
			continue
		}
		if g.existing != nil && g.existing.GetString("status") != invoicing.StatusDraft {
			im.counts.skipped++
			continue
		}
		customerID := g.customerID
		if g.plan != nil {
			if g.plan.id == "" && !g.plan.failed {
				im.createCustomer(tx, customers, g.plan)
			}
			if g.plan.failed {
				continue
			}
			customerID = g.plan.id
		}
		series := g.values["series"].text
		if series == "" {
			series = defaultSeries
		}
		currency := strings.ToUpper(g.values["currency"].text)
		if currency == "" {
			currency = money.Currency
		}
		rec := g.existing
		if rec == nil {
			rec = core.NewRecord(invoices)
		}
		before := snapshot(rec)
		rec.Set("external_id", g.externalID)
		rec.Set("customer", customerID)
		rec.Set("series", series)
		rec.Set("issue_date", dateTime(g.issueDate))
		rec.Set("operation_date", dateTime(g.operationDate))
		rec.Set("due_date", dateTime(g.dueDate))
		rec.Set("currency", currency)
		rec.Set("notes", g.values["notes"].text)
		rec.Set("lines", g.linesJSON)
		if g.existing != nil && sameSnapshot(before, snapshot(rec)) {
			im.counts.unchanged++
			g.recordID = rec.Id
			continue
		}
		if err := tx.Save(rec); err != nil {
			if im.saveFailed(err, rec, invoiceLevel, g.firstRow) {
				g.bad = true
				continue
			}
			return err
		}
		g.recordID = rec.Id
		if g.existing != nil {
			im.counts.updated++
		} else {
			im.counts.created++
		}
	}
	return nil
}

// createCustomer saves a planned customer, or reports why it cannot be.
func (im *importer) createCustomer(tx core.App, customers *core.Collection, plan *customerPlan) {
	c := core.NewRecord(customers)
	for _, col := range columns {
		if col.level == customerLevel {
			if v := plan.values[col.name].text; v != "" {
				c.Set(col.field, v)
			}
		}
	}
	c.Set("tax_id", plan.taxID)
	c.Set("country", strings.ToUpper(c.GetString("country")))
	c.Set("language", strings.ToLower(c.GetString("language")))
	if plan.values["payment_terms_days"].text == "" {
		c.Set("payment_terms_days", defaultPaymentTerms)
	}
	if err := tx.Save(c); err != nil {
		plan.failed = true
		if !im.saveFailed(err, c, customerLevel, plan.values["customer_tax_id"].row) {
			im.fail(plan.values["customer_tax_id"].row, "customer_tax_id", ui.Errorf("import.err.customer_not_created", ui.Args{"problem": ui.Message(im.opts.Lang, err)}))
		}
		return
	}
	plan.id = c.Id
	im.counts.customers++
}

// saveFailed reports a store's refusal to save r as errors of the columns
// that fill the refused fields, and says whether err was such a refusal
// (rather than a failure of the store).
func (im *importer) saveFailed(err error, r *core.Record, l level, row int) bool {
	fields := fieldErrors(err)
	var apiErr *router.ApiError
	isAPI := errors.As(err, &apiErr)
	if fields == nil && !isAPI {
		return false
	}
	if len(fields) == 0 {
		im.fail(row, "", err)
		return true
	}
	for _, field := range sortedKeys(fields) {
		column := columnForRecordField(l, field)
		message := fields[field]
		// The store's messages do not quote the value; a short one helps.
		if v := r.GetString(field); v != "" && len(v) <= 40 && field != "lines" {
			message = fmt.Sprintf("%s (%q)", message, v)
		}
		if column == "" {
			message = fmt.Sprintf("%s: %s", field, message)
		}
		im.fail(row, column, errors.New(message))
	}
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fieldErrors extracts the per-field messages of a validation error, nil
// when err carries none.
func fieldErrors(err error) map[string]string {
	var verrs validation.Errors
	if !errors.As(err, &verrs) {
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) {
			return nil
		}
		raw, ok := apiErr.RawData().(validation.Errors)
		if !ok {
			return map[string]string{}
		}
		verrs = raw
	}
	out := map[string]string{}
	for field, e := range verrs {
		if e != nil {
			out[field] = e.Error()
		}
	}
	return out
}

// importedFields are what an import writes on a draft.
var importedFields = []string{
	"external_id", "customer", "series", "issue_date", "operation_date", "due_date", "currency", "notes", "lines",
}

// snapshot is a draft's imported fields, comparable across a re-import.
func snapshot(r *core.Record) map[string]any {
	out := make(map[string]any, len(importedFields))
	for _, f := range importedFields {
		switch f {
		case "issue_date", "operation_date", "due_date":
			out[f] = r.GetDateTime(f).String()
		case "lines":
			var v any
			d := json.NewDecoder(strings.NewReader(r.GetString(f)))
			d.UseNumber()
			if d.Decode(&v) != nil {
				v = r.GetString(f)
			}
			out[f] = v
		default:
			out[f] = r.GetString(f)
		}
	}
	return out
}

func sameSnapshot(a, b map[string]any) bool {
	return reflect.DeepEqual(a, b)
}

// dateTime is a date field's value: the day at UTC midnight, or empty.
func dateTime(d time.Time) any {
	if d.IsZero() {
		return ""
	}
	dt, _ := types.ParseDateTime(d)
	return dt
}
