package staff

import (
	"errors"
	"regexp"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tools/router"

	"facturo/internal/taxes"
	"facturo/ui"
)

// The workspace's forms say what is wrong beside each field, in the
// clerk's language. The rules that find the problems (the line rules of
// the taxes package, the store's validation) speak English to the REST
// API; what they say is put into words here, and a message this file does
// not know is shown as it came.

func asLineErrors(err error, out *taxes.LineErrors) bool { return errors.As(err, out) }

// lineMessages translate the taxes package's line problems, by what they
// start with.
var lineMessages = []struct {
	pattern *regexp.Regexp
	key     string
}{
	{regexp.MustCompile(`^required when VAT is 0`), "app.editor.err.exemption"},
	{regexp.MustCompile(`^required$`), "app.editor.err.required"},
	{regexp.MustCompile(`^must not be blank$`), "app.editor.err.required"},
	{regexp.MustCompile(`^must not be zero$`), "app.editor.err.zero"},
	{regexp.MustCompile(`^must be between 0 and 100$`), "app.editor.err.discount"},
	{regexp.MustCompile(`^must be 21, 10, 4 or 0$`), "app.editor.err.vat"},
	{regexp.MustCompile(`^must be 5\.2, 1\.4 or 0\.5$`), "app.editor.err.surcharge"},
	{regexp.MustCompile(`^(?P<rate>[0-9.]+) % applies only with VAT (?P<vat>[0-9.]+) %$`), "app.editor.err.surcharge_vat"},
	{regexp.MustCompile(`^must be 15, 7, 19 or 1$`), "app.editor.err.withholding"},
	{regexp.MustCompile(`rounds to 0\.00`), "app.editor.err.too_small"},
	{regexp.MustCompile(`beyond the`), "app.editor.err.too_large"},
	{regexp.MustCompile(`^at most \d+ decimal places$`), "app.editor.err.decimals"},
	{regexp.MustCompile(`^out of range$`), "app.editor.err.too_large"},
	{regexp.MustCompile(`^must be a number`), "app.editor.err.number"},
	{regexp.MustCompile(`^(holds|is not valid UTF-8)`), "app.editor.err.text"},
}

// lineProblem is a line problem in lang.
func lineProblem(lang string, e taxes.LineError) string {
	for _, m := range lineMessages {
		match := m.pattern.FindStringSubmatch(e.Message)
		if match == nil {
			continue
		}
		s := ui.T(lang, m.key)
		for i, name := range m.pattern.SubexpNames() {
			if name != "" {
				value := match[i]
				if ui.DecimalComma(lang) {
					value = strings.ReplaceAll(value, ".", ",")
				}
				s = strings.ReplaceAll(s, "{"+name+"}", value)
			}
		}
		return s
	}
	return e.Message
}

// lineErrorOf is a field's problem as the line rules state it.
func lineErrorOf(field, msg string) taxes.LineError {
	return taxes.LineError{Field: field, Message: msg}
}

// numberProblem is why a typed number does not read, in lang.
func numberProblem(lang string, err error) string {
	if strings.HasPrefix(err.Error(), "ambiguous") {
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
			code, msg := "", e.Error()
			var ve validation.Error
			if errors.As(e, &ve) {
				code, msg = ve.Code(), ve.Message()
			}
			fields[f] = validationProblem(lang, f, code, msg)
		}
	case errors.As(err, &apiErr):
		for f, item := range apiErr.Data {
			m, _ := item.(map[string]any)
			code, _ := m["code"].(string)
			msg, _ := m["message"].(string)
			fields[f] = validationProblem(lang, f, code, msg)
		}
		whole = apiErr.Message
		if len(fields) > 0 {
			whole = ui.T(lang, "app.form.fix")
		}
	default:
		whole = err.Error()
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
	"validation_text":                  "app.editor.err.text",
	"validation_before_issue":          "app.form.err.before_issue",
	"validation_before_last":           "app.form.err.before_last",
	"validation_invalid_date":          "app.form.err.date",
	"validation_invalid_url":           "app.form.err.url",
	"validation_is_url":                "app.form.err.url",
}

func validationProblem(lang, field, code, msg string) string {
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
