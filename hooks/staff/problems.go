package staff

import (
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tools/router"

	"facturo/internal/numtext"
	"facturo/internal/taxes"
	"facturo/ui"
)

// The workspace's forms say what is wrong beside each field, in the
// clerk's language. The rules that find the problems (the line rules of
// the taxes package, the store's validation) speak English to the REST
// API; what they say is put into words here, and a message this file does
// not know is shown as it came.

func asLineErrors(err error, out *taxes.LineErrors) bool { return errors.As(err, out) }

// lineProblem is a line problem in lang, from the line rule's key.
func lineProblem(lang string, e taxes.LineError) string {
	if e.Key == "" {
		return e.Message
	}
	return ui.Tf(lang, e.Key, e.Args)
}

// numberProblem is why a typed number does not read, in lang.
func numberProblem(lang string, err error) string {
	if numtext.Ambiguous(err) {
		return ui.T(lang, "app.editor.err.ambiguous")
	}
	return ui.T(lang, "app.editor.err.number")
}

// fieldProblems are the problems a save or an action reports field by
// field, in lang, and what it says of the whole.
func fieldProblems(lang string, err error) (fields map[string]string, whole string) {
	fields = map[string]string{}
	var verrs validation.Errors
	var apiErr *router.ApiError
	switch {
	case errors.As(err, &verrs):
		for f, e := range verrs {
			code, msg, params := "", e.Error(), map[string]any(nil)
			var ve validation.Error
			if errors.As(e, &ve) {
				code, msg, params = ve.Code(), ve.Message(), ve.Params()
			}
			if problem := errors.Unwrap(e); problem != nil && ui.Keyed(problem) {
				msg = ui.Message(lang, problem) // the rule's own words (a tax id's, say), in lang
			}
			fields[f] = validationProblem(lang, code, msg, params)
		}
	case errors.As(err, &apiErr):
		for f, item := range apiErr.Data {
			m, _ := item.(map[string]any)
			code, _ := m["code"].(string)
			msg, _ := m["message"].(string)
			params, _ := m["params"].(map[string]any)
			fields[f] = validationProblem(lang, code, msg, params)
		}
		whole = apiErr.Message
		if len(fields) > 0 {
			whole = ui.T(lang, "app.form.fix")
		}
		if ui.Keyed(err) {
			whole = ui.Message(lang, err)
		}
	default:
		whole = ui.Message(lang, err)
	}
	if whole == "" && len(fields) > 0 {
		whole = ui.T(lang, "app.form.fix")
	}
	return fields, whole
}

// validationCodes are the store's validation codes that have words.
var validationCodes = map[string]string{
	"validation_required":              "app.form.err.required",
	"validation_invalid_email":         "app.form.err.email",
	"validation_is_email":              "app.form.err.email",
	"validation_not_unique":            "app.form.err.unique",
	"validation_invalid_format":        "app.form.err.format",
	"validation_match_invalid":         "app.form.err.format",
	"validation_max_text_constraint":   "app.form.err.too_long",
	"validation_max_number_constraint": "app.form.err.too_large",
	"validation_min_number_constraint": "app.form.err.too_small",
	"validation_only_int_constraint":   "app.form.err.whole",
	"validation_not_a_number":          "app.form.err.number",
	"validation_invalid_value":         "app.form.err.choice",
	"validation_missing_rel_records":   "app.form.err.missing",
	"validation_invalid_tax_id":        "app.form.err.tax_id",
	"validation_text":                  "line.err.text",
	"validation_before_issue":          "app.form.err.before_issue",
	"validation_before_last":           "app.form.err.before_last",
	"validation_invalid_date":          "app.form.err.date",
	"validation_invalid_url":           "app.form.err.url",
	"validation_is_url":                "app.form.err.url",
	"validation_webhook_url":           "app.form.err.webhook_url",
}

// formFieldLabel is a field's name as a form shows it, in lang: its label
// in the catalogue (app.field.<name>), or the name itself.
func formFieldLabel(lang, field string) string {
	if key := "app.field." + field; ui.Has(key) {
		return ui.T(lang, key)
	}
	return field
}

func validationProblem(lang, code, msg string, params map[string]any) string {
	if ui.Has(code) {
		// A problem that names its catalogue key (a product's defaults,
		// checked by the line rules, say).
		return ui.Tf(lang, code, params)
	}
	if key, ok := validationCodes[code]; ok {
		s := ui.T(lang, key)
		if code == "validation_invalid_tax_id" && msg != "" {
			s += " (" + msg + ")"
		}
		return s
	}
	if msg == "" {
		return code
	}
	return msg
}
