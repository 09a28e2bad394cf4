// Package products is the firm's catalogue: what it sells, with the price
// and the IVA, recargo and IRPF each line of it takes by default. The
// invoice, quote and recurring editors fill lines from it; it is edited in
// the workspace and imported from CSV or XLSX files with the same readers,
// bounds and {row, column, message} problems as the ERP import.
package products

import (
	"encoding/json"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/plaintext"
	"facturo/internal/taxes"
)

// Collection is the catalogue's collection.
const Collection = "products"

// Register checks every product saved, whoever saves it (the workspace,
// an import, REST, the dashboard): its text, and its tax defaults by the
// invoice line rules.
func Register(app core.App) {
	app.OnRecordValidate(Collection).BindFunc(validateProduct)
}

// Product is one product with its defaults as a line takes them.
type Product struct {
	ID, Code, Name, Description, Unit string
	UnitPrice                         decimal.Decimal
	VAT, Surcharge, Withholding       decimal.Decimal
	VATExemption                      string
	Active                            bool
}

// Of reads a product record.
func Of(r *core.Record) Product {
	return Product{
		ID: r.Id, Code: r.GetString("code"), Name: r.GetString("name"), Description: r.GetString("description"), Unit: r.GetString("unit"),
		UnitPrice: decimal.NewFromFloat(r.GetFloat("unit_price")), VAT: decimal.NewFromFloat(r.GetFloat("vat")),
		Surcharge: decimal.NewFromFloat(r.GetFloat("surcharge")), Withholding: decimal.NewFromFloat(r.GetFloat("withholding")),
		VATExemption: r.GetString("vat_exemption"), Active: r.GetBool("active"),
	}
}

// lineFieldOf names the product field a line rule's problem is about.
var lineFieldOf = map[string]string{
	"description": "name", "unit_price": "unit_price", "vat": "vat", "vat_exemption": "vat_exemption",
	"surcharge": "surcharge", "withholding": "withholding",
}

// CheckDefaults applies the invoice line rules to a product's defaults, as
// a line of one unit of it: the problems by product field. A price too
// small for one unit to be invoiced is not one (a line bills thousands).
func CheckDefaults(name string, unitPrice, vat, surcharge, withholding decimal.Decimal, exemption string) map[string]taxes.LineError {
	line := map[string]any{
		"description": name, "quantity": "1", "unit_price": unitPrice.String(), "vat": vat.String(),
		"vat_exemption": exemption, "surcharge": surcharge.String(), "withholding": withholding.String(),
	}
	raw, _ := json.Marshal([]any{line})
	_, err := taxes.ParseLines(raw)
	problems := map[string]taxes.LineError{}
	var lineErrs taxes.LineErrors
	if asLineErrors(err, &lineErrs) {
		for _, e := range lineErrs {
			if field, ok := lineFieldOf[e.Field]; ok {
				if _, seen := problems[field]; !seen {
					problems[field] = e
				}
			}
		}
	}
	return problems
}

func validateProduct(e *core.RecordEvent) error {
	r := e.Record
	errs := validation.Errors{}
	for _, f := range []string{"name", "code", "unit", "vat_exemption", "description"} {
		if problem := plaintext.Problem(r.GetString(f), f == "description"); problem != "" {
			errs[f] = validation.NewError("validation_text", problem)
		}
	}
	r.Set("name", strings.TrimSpace(r.GetString("name")))
	r.Set("code", strings.TrimSpace(r.GetString("code")))
	p := Of(r)
	for field, problem := range CheckDefaults(p.Name, p.UnitPrice, p.VAT, p.Surcharge, p.Withholding, p.VATExemption) {
		if _, seen := errs[field]; !seen {
			// The line rule's catalogue key is the code, so that the
			// workspace writes it in the clerk's language.
			errs[field] = validation.NewError(problem.Key, problem.Message).SetParams(problem.Args)
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return e.Next()
}

// Search finds active products by a part of their name or code, names
// first.
func Search(app core.App, q string, limit int) ([]Product, error) {
	filter, params := "active = true", map[string]any{}
	if q = strings.TrimSpace(q); q != "" {
		filter += " && (name ~ {:q} || code ~ {:q})"
		params["q"] = q
	}
	records, err := app.FindRecordsByFilter(Collection, filter, "name", limit, 0, params)
	if err != nil {
		return nil, err
	}
	out := make([]Product, len(records))
	for i, r := range records {
		out[i] = Of(r)
	}
	return out, nil
}
