package staff

import (
	"encoding/json"
	"facturo/internal/money"
	"fmt"
	"net/url"
	"strings"

	"github.com/shopspring/decimal"

	"facturo/internal/numtext"
	"facturo/internal/taxes"
	"facturo/ui"
)

// lineInput is one line as the editor sends it: every field as typed, so
// that a number is read by the server's rule (1234,56 or 1234.56), never
// by the browser.
type lineInput struct {
	Description  string `json:"description"`
	Quantity     string `json:"quantity"`
	UnitPrice    string `json:"unit_price"`
	Discount     string `json:"discount"`
	VAT          string `json:"vat"`
	VATExemption string `json:"vat_exemption"`
	Surcharge    string `json:"surcharge"`
	Withholding  string `json:"withholding"`
}

// lineFields are the editor's line fields, in the order of the form, as
// the keys of the taxes package's line JSON.
var lineFields = []string{"description", "quantity", "unit_price", "discount", "vat", "vat_exemption", "surcharge", "withholding"}

// numericLineFields are read as numbers.
var numericLineFields = map[string]bool{"quantity": true, "unit_price": true, "discount": true, "vat": true, "surcharge": true, "withholding": true}

func (l lineInput) get(field string) string {
	switch field {
	case "description":
		return l.Description
	case "quantity":
		return l.Quantity
	case "unit_price":
		return l.UnitPrice
	case "discount":
		return l.Discount
	case "vat":
		return l.VAT
	case "vat_exemption":
		return l.VATExemption
	case "surcharge":
		return l.Surcharge
	case "withholding":
		return l.Withholding
	}
	return ""
}

// blank tells a line the clerk has not started: the editor always offers
// one more, and it is not an error to leave it empty. A rate chosen from a
// list alone does not start a line.
func (l lineInput) blank() bool {
	return strings.TrimSpace(l.Description+l.Quantity+l.UnitPrice+l.Discount+l.VATExemption) == ""
}

// linesFromForm reads the editor's lines from a posted form: each field is
// repeated once per line, in the order of the lines.
func linesFromForm(form url.Values) []lineInput {
	n := 0
	for _, f := range lineFields {
		n = max(n, len(form["line."+f]))
	}
	if n > maxEditorLines {
		n = maxEditorLines
	}
	lines := make([]lineInput, n)
	for _, f := range lineFields {
		for i, v := range form["line."+f] {
			if i >= n {
				break
			}
			l := &lines[i]
			switch f {
			case "description":
				l.Description = v
			case "quantity":
				l.Quantity = v
			case "unit_price":
				l.UnitPrice = v
			case "discount":
				l.Discount = v
			case "vat":
				l.VAT = v
			case "vat_exemption":
				l.VATExemption = v
			case "surcharge":
				l.Surcharge = v
			case "withholding":
				l.Withholding = v
			}
		}
	}
	return lines
}

// maxEditorLines bounds the lines one form or request may carry: far more
// than an invoice typed by hand has, few enough that reading them costs
// nothing.
const maxEditorLines = 2000

// checkedLines is the editor's lines read by the invoice's own rules.
type checkedLines struct {
	// Valid are the lines that are right, in order; Index maps each to
	// its position in the editor.
	Valid []taxes.Line
	Index []int
	// Errors are each line's problems by field, in the reader's language
	// (the line as a whole under ""); blank lines have none.
	Errors []map[string]string
	// Started counts the lines that are not blank.
	Started int
}

// checkLines reads every line the clerk has started: numbers as typed in
// lang (package numtext), then the line by the taxes package's, each line
// on its own, so that one unfinished line does not hide the others'
// amounts.
func checkLines(lang string, in []lineInput) checkedLines {
	out := checkedLines{Errors: make([]map[string]string, len(in))}
	for i, l := range in {
		if l.blank() {
			continue
		}
		out.Started++
		errs := map[string]string{}
		raw := map[string]any{}
		for _, f := range lineFields {
			v := strings.TrimSpace(l.get(f))
			if v == "" {
				continue
			}
			if !numericLineFields[f] {
				raw[f] = v
				continue
			}
			n, err := numtext.Typed(lang, v)
			if err != nil {
				errs[f] = numberProblem(lang, err)
				continue
			}
			raw[f] = n
		}
		js, _ := json.Marshal([]map[string]any{raw})
		parsed, err := taxes.ParseLines(js)
		var lineErrs taxes.LineErrors
		switch {
		case err == nil && len(errs) == 0:
			out.Valid = append(out.Valid, parsed[0])
			out.Index = append(out.Index, i)
		case asLineErrors(err, &lineErrs):
			for _, e := range lineErrs {
				if _, seen := errs[e.Field]; !seen {
					errs[e.Field] = lineProblem(lang, e)
				}
			}
		case err != nil:
			errs[""] = err.Error()
		}
		if len(errs) > 0 {
			out.Errors[i] = errs
		}
	}
	return out
}

// linesJSON is the valid lines as the invoice stores them.
func (c checkedLines) linesJSON() string {
	js, _ := taxes.MarshalLines(c.Valid)
	return string(js)
}

// ok tells whether every started line is right.
func (c checkedLines) ok() bool { return len(c.Valid) == c.Started }

// firstError is one problem to show at the top of the form, or "".
func (c checkedLines) firstError(lang string) string {
	for i, errs := range c.Errors {
		for _, f := range append([]string{""}, lineFields...) {
			if msg, ok := errs[f]; ok {
				return strings.NewReplacer("{line}", fmt.Sprint(i+1), "{field}", fieldLabel(lang, f), "{message}", msg).
					Replace(ui.T(lang, "app.editor.err.line"))
			}
		}
	}
	return ""
}

func fieldLabel(lang, field string) string {
	if field == "" {
		return ""
	}
	return ui.T(lang, "app.editor."+field)
}

// totalsView is the figures of the lines as a page shows them: every
// amount written in the reader's language.
type totalsView struct {
	Lines        []string       `json:"lines"` // each editor line's amount, "" when it has none
	Errors       []lineProblems `json:"errors"`
	Subtotal     string         `json:"subtotal"`
	Taxes        []taxRowView   `json:"taxes"`
	Withholdings []taxRowView   `json:"withholdings"`
	Surcharge    string         `json:"surcharge"`
	Withholding  string         `json:"withholding"`
	Total        string         `json:"total"`
	// Partial says that some started lines are left out of the totals
	// until they are right.
	Partial bool `json:"partial"`
}

// lineProblems are one line's problems by field; null for a line without.
type lineProblems map[string]string

type taxRowView struct {
	Label  string `json:"label"`
	Base   string `json:"base"`
	Amount string `json:"amount"`
}

// viewTotals computes the valid lines' totals with the issue's own
// arithmetic and writes them for people.
func viewTotals(lang string, c checkedLines, n int) totalsView {
	formatAmount := func(d decimal.Decimal) string { return ui.FormatMoney(lang, d, money.Currency) }
	t := taxes.Compute(c.Valid)
	v := totalsView{
		Lines: make([]string, n), Errors: make([]lineProblems, n),
		Subtotal: formatAmount(t.Subtotal), Surcharge: formatAmount(t.SurchargeTotal), Withholding: formatAmount(t.WithholdingTotal.Neg()),
		Total: formatAmount(t.Total), Partial: !c.ok(), Taxes: []taxRowView{}, Withholdings: []taxRowView{},
	}
	for i, amount := range t.LineAmounts {
		v.Lines[c.Index[i]] = formatAmount(amount)
	}
	for i, errs := range c.Errors {
		if len(errs) > 0 {
			v.Errors[i] = errs
		}
	}
	for _, row := range t.Taxes {
		label := ui.T(lang, "app.editor.vat_row") + " " + ui.FormatPercent(lang, row.VAT)
		if row.VATExemption != "" {
			label += " · " + row.VATExemption
		}
		v.Taxes = append(v.Taxes, taxRowView{Label: label, Base: formatAmount(row.Base), Amount: formatAmount(row.Tax)})
		if row.Surcharge.IsPositive() {
			v.Taxes = append(v.Taxes, taxRowView{Label: ui.T(lang, "app.editor.surcharge_row") + " " + ui.FormatPercent(lang, row.Surcharge), Base: formatAmount(row.Base), Amount: formatAmount(row.SurchargeAmount)})
		}
	}
	for _, w := range t.Withholdings {
		v.Withholdings = append(v.Withholdings, taxRowView{Label: ui.T(lang, "app.editor.withholding_row") + " " + ui.FormatPercent(lang, w.Rate), Base: formatAmount(w.Base), Amount: formatAmount(w.Amount.Neg())})
	}
	return v
}

// inputNumber writes a stored number for an input the clerk edits: no
// thousands separators, the decimal comma in Spanish.
func inputNumber(lang string, d decimal.Decimal) string {
	s := d.String()
	if ui.DecimalComma(lang) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// lineInputs writes stored lines back into the editor's fields.
func lineInputs(lang string, lines []taxes.Line) []lineInput {
	out := make([]lineInput, len(lines))
	for i, l := range lines {
		out[i] = lineInput{
			Description: l.Description, Quantity: inputNumber(lang, l.Quantity), UnitPrice: inputNumber(lang, l.UnitPrice),
			VAT: l.VAT.String(), VATExemption: l.VATExemption,
		}
		if !l.Discount.IsZero() {
			out[i].Discount = inputNumber(lang, l.Discount)
		}
		if !l.Surcharge.IsZero() {
			out[i].Surcharge = l.Surcharge.String()
		}
		if !l.Withholding.IsZero() {
			out[i].Withholding = l.Withholding.String()
		}
	}
	return out
}
