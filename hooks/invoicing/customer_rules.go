package invoicing

import (
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/taxid"
)

// bindTaxIDRules checks the tax ids of customers and of the issuer when they
// are saved, by REST, the admin dashboard or Go code alike (validation runs
// inside app.Save), and stores them normalised.
func bindTaxIDRules(app core.App) {
	app.OnRecordValidate(Customers).BindFunc(func(e *core.RecordEvent) error {
		country := e.Record.GetString("country")
		if !taxIDEntered(e.Record, "tax_id", "country") || !isCountryCode(country) {
			// An unreadable country is the country field's own error.
			return e.Next()
		}
		return checkTaxID(e, func(id string) (string, error) {
			return id, taxid.Validate(id, country)
		})
	})
	// The issuer's NIF enters every invoice's huella, where the AEAT wants
	// it bare: a Spanish NIF without the ES of its VAT form.
	app.OnRecordValidate(Issuer).BindFunc(func(e *core.RecordEvent) error {
		if !taxIDEntered(e.Record, "tax_id") {
			return e.Next()
		}
		return checkTaxID(e, taxid.SpanishNIF)
	})
}

// taxIDEntered tells whether a save enters a tax id, or changes what it is
// checked against: an id stored before it was checked stays until someone
// edits it, so that the system's own saves (a bounce flag) never fail on it.
func taxIDEntered(r *core.Record, fields ...string) bool {
	if r.IsNew() {
		return true
	}
	original := r.Original()
	for _, f := range fields {
		if r.GetString(f) != original.GetString(f) {
			return true
		}
	}
	return false
}

// checkTaxID normalises the record's tax_id and checks it with check, which
// returns the form to store. An empty id is left to the schema, where the
// field is optional. The refusal joins the schema's own errors so that one
// answer names every field that is wrong.
func checkTaxID(e *core.RecordEvent, check func(string) (string, error)) error {
	id := taxid.Normalize(e.Record.GetString("tax_id"))
	var problem error
	if id != "" {
		stored, err := check(id)
		if err == nil {
			id = stored
		}
		problem = err
	}
	e.Record.Set("tax_id", id)

	err := e.Next()
	if problem == nil {
		return err
	}
	fieldErr := keptProblem{validation.NewError("validation_invalid_tax_id", problem.Error()), problem}
	var errs validation.Errors
	if errors.As(err, &errs) {
		if _, taken := errs["tax_id"]; !taken {
			errs["tax_id"] = fieldErr
		}
		return errs
	}
	if err != nil {
		return err
	}
	return validation.Errors{"tax_id": fieldErr}
}

// keptProblem is a field's validation error that keeps the problem it
// says in English, so that a page can write that problem in its reader's
// language (ui.Message) while the REST API answers with the validation
// error as it always has.
type keptProblem struct {
	field   validation.Error
	problem error
}

func (k keptProblem) Error() string                        { return k.field.Error() }
func (k keptProblem) Code() string                         { return k.field.Code() }
func (k keptProblem) Message() string                      { return k.field.Message() }
func (k keptProblem) Params() map[string]any               { return k.field.Params() }
func (k keptProblem) SetMessage(m string) validation.Error { k.field = k.field.SetMessage(m); return k }
func (k keptProblem) SetParams(p map[string]any) validation.Error {
	k.field = k.field.SetParams(p)
	return k
}
func (k keptProblem) Unwrap() error { return k.problem }

// isCountryCode matches the schema's pattern for country, or an empty one
// (Spain).
func isCountryCode(c string) bool {
	if c == "" {
		return true
	}
	return len(c) == 2 && 'A' <= c[0] && c[0] <= 'Z' && 'A' <= c[1] && c[1] <= 'Z'
}
