package invoicing

import (
	"encoding/json"
	"errors"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/money"
	"facturo/internal/taxes"
)

// prepareDraft fills a draft's defaults, validates its lines and recomputes
// its totals, so that staff see the right figures before issuing.
func prepareDraft(app core.App, r *core.Record) error {
	for field, value := range stateDefaults {
		if r.GetString(field) == "" {
			r.Set(field, value)
		}
	}
	if r.GetString("currency") == "" {
		r.Set("currency", money.Currency)
	}
	if r.GetString("series") == "" {
		issuer, err := LoadIssuer(app)
		if err != nil {
			return err
		}
		series := issuer.GetString("default_series")
		if r.GetString("rectifies") != "" {
			series = issuer.GetString("rectifying_series")
		}
		r.Set("series", series)
	}
	if err := validateRectification(app, r, false); err != nil {
		return err
	}
	lines, err := draftLines(r)
	if err != nil {
		return err
	}
	if lines != nil {
		// Store the lines in one canonical form: numbers as JSON numbers,
		// rates as in the rate tables, empty optional fields left out.
		canonical, err := taxes.MarshalLines(lines)
		if err != nil {
			return err
		}
		r.Set("lines", string(canonical))
	}
	return setTotals(r, taxes.Compute(lines))
}

// draftLines parses the lines of r; a draft may still have none.
func draftLines(r *core.Record) ([]taxes.Line, error) {
	raw := strings.TrimSpace(r.GetString("lines"))
	if raw == "" || raw == "null" || raw == "[]" || raw == `""` {
		return nil, nil
	}
	return parseLines([]byte(raw))
}

// issueLines parses the lines of r and requires at least one.
func issueLines(r *core.Record) ([]taxes.Line, error) {
	lines, err := draftLines(r)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, apis.NewBadRequestError("An invoice needs at least one line.",
			validation.Errors{"lines": validation.NewError("validation_required", "add at least one line")})
	}
	return lines, nil
}

func parseLines(raw []byte) ([]taxes.Line, error) {
	lines, err := taxes.ParseLines(raw)
	if err == nil {
		return lines, nil
	}
	var lineErrs taxes.LineErrors
	if errors.As(err, &lineErrs) {
		return nil, apis.NewBadRequestError("Invalid lines: "+lineErrs.Error()+".",
			validation.Errors{"lines": validation.NewError("validation_invalid_lines", lineErrs.Error())})
	}
	return nil, apis.NewBadRequestError("Invalid lines: "+err.Error()+".",
		validation.Errors{"lines": validation.NewError("validation_invalid_lines", err.Error())})
}

// setTotals stores computed totals in r's total fields, each within what
// an amount may be.
func setTotals(r *core.Record, t taxes.Totals) error {
	for _, total := range []decimal.Decimal{t.Subtotal, t.TaxTotal, t.SurchargeTotal, t.WithholdingTotal, t.Total} {
		if !money.InRange(total) {
			return apis.NewBadRequestError("The invoice's totals go beyond "+money.Max.StringFixed(2)+", the most an amount may be.",
				validation.Errors{"lines": validation.NewError("validation_max", "the totals go beyond "+money.Max.StringFixed(2))})
		}
	}
	r.Set("subtotal", money.ToStored(t.Subtotal))
	r.Set("tax_total", money.ToStored(t.TaxTotal))
	r.Set("surcharge_total", money.ToStored(t.SurchargeTotal))
	r.Set("withholding_total", money.ToStored(t.WithholdingTotal))
	r.Set("total", money.ToStored(t.Total))
	breakdown, err := json.Marshal(struct {
		VAT         []taxes.TaxRow         `json:"vat"`
		Withholding []taxes.WithholdingRow `json:"withholding"`
	}{t.Taxes, t.Withholdings})
	if err != nil {
		return err
	}
	r.Set("taxes", string(breakdown))
	return nil
}

// validateRectification checks a factura rectificativa's reference, code and
// reason; the reason may wait until issue.
func validateRectification(app core.App, r *core.Record, issuing bool) error {
	originalID := r.GetString("rectifies")
	code := r.GetString("rectification_code")
	if originalID == "" {
		if code != "" {
			return apis.NewBadRequestError("A rectification code needs the invoice it rectifies.",
				validation.Errors{"rectifies": validation.NewError("validation_required", "name the invoice this one rectifies")})
		}
		return nil
	}
	if originalID == r.Id {
		return apis.NewBadRequestError("An invoice cannot rectify itself.",
			validation.Errors{"rectifies": validation.NewError("validation_self", "cannot rectify itself")})
	}
	original, err := app.FindRecordById(Invoices, originalID)
	if err != nil {
		return apis.NewBadRequestError("The invoice to rectify does not exist.",
			validation.Errors{"rectifies": validation.NewError("validation_not_found", "unknown invoice")})
	}
	if original.GetString("status") == StatusDraft {
		return apis.NewBadRequestError("Only an issued invoice can be rectified; a draft is simply edited.",
			validation.Errors{"rectifies": validation.NewError("validation_draft", "is a draft")})
	}
	if original.GetString("status") == StatusVoided {
		return apis.NewBadRequestError("Invoice "+original.GetString("number")+" is voided; there is nothing to rectify.",
			validation.Errors{"rectifies": validation.NewError("validation_voided", "is voided")})
	}
	if original.GetString("customer") != r.GetString("customer") {
		return apis.NewBadRequestError("A factura rectificativa goes to the customer of the invoice it rectifies.",
			validation.Errors{"customer": validation.NewError("validation_customer", "differs from the rectified invoice's customer")})
	}
	if issuing && code == "" {
		return apis.NewBadRequestError("A factura rectificativa needs its code (R1…R5).",
			validation.Errors{"rectification_code": validation.NewError("validation_required", "choose R1…R5")})
	}
	if issuing && strings.TrimSpace(r.GetString("rectification_reason")) == "" {
		return apis.NewBadRequestError("A factura rectificativa needs its reason.",
			validation.Errors{"rectification_reason": validation.NewError("validation_required", "say why the invoice is corrected")})
	}
	return nil
}

// LoadIssuer returns the firm's profile (the one issuer record).
func LoadIssuer(app core.App) (*core.Record, error) {
	issuer := &core.Record{}
	if err := app.RecordQuery(Issuer).Limit(1).One(issuer); err != nil {
		return nil, errors.New("the issuer profile is missing; the migrations create it")
	}
	return issuer, nil
}

// SetTotals writes totals worked out by taxes.Compute onto a record that
// carries an invoice's figures (an invoice or a quote), refusing totals
// beyond money.Max.
func SetTotals(r *core.Record, t taxes.Totals) error { return setTotals(r, t) }
