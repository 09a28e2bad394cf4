package invoicing

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/plaintext"
)

// multilineFields are the text fields typed in a text area, which may hold
// line breaks; every other text field is one line.
var multilineFields = map[string]bool{"notes": true, "rectification_reason": true, "response_note": true}

// textCollections are the collections whose text people type and every
// document, export and e-mail repeats.
var textCollections = []string{Customers, Issuer, Contacts, Invoices, Payments}

// bindTextRules refuses, in every text field of those collections, the
// characters that must never be stored (plaintext.Problem), whoever saves
// the record: REST, the dashboard, an import or Go code. Only what a save
// enters is checked, so that a system save of a record stored before the
// rule never fails on it.
func bindTextRules(app core.App) {
	app.OnRecordValidate(textCollections...).BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		for _, f := range e.Record.Collection().Fields {
			if f.Type() != core.FieldTypeText {
				continue
			}
			name := f.GetName()
			value := e.Record.GetString(name)
			if value == "" || (!e.Record.IsNew() && value == e.Record.Original().GetString(name)) {
				continue
			}
			if problem := plaintext.Problem(value, multilineFields[name]); problem != "" {
				errs[name] = validation.NewError("validation_text", problem)
			}
		}
		if len(errs) > 0 {
			return errs
		}
		return e.Next()
	})
}

// CheckText checks one text a function receives before it is stored (a
// payment's reference, a response's note) as the record rules check fields:
// a 400 naming the field.
func CheckText(field, value string, multiline bool) error {
	if problem := plaintext.Problem(value, multiline); problem != "" {
		return apis.NewBadRequestError("Invalid "+field+": it "+problem+".",
			validation.Errors{field: validation.NewError("validation_text", problem)})
	}
	return nil
}
