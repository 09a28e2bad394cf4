package ui

import (
	"facturo/internal/clock"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// numberStyle is how one language writes numbers.
type numberStyle struct {
	thousands, decimal string
}

var (
	styleES = numberStyle{thousands: ".", decimal: ","}
	styleEN = numberStyle{thousands: ",", decimal: "."}
)

// currencySymbols maps the ISO 4217 codes that have a well-known symbol;
// other codes are printed as the code itself.
var currencySymbols = map[string]string{
	"EUR": "€",
	"USD": "$",
	"GBP": "£",
}

// DecimalComma tells whether lang writes numbers, dates and currencies the
// Spanish way (1.234,56; 4/12/2026); every other language uses the English
// conventions, matching the fallback of T.
func DecimalComma(lang string) bool {
	return baseLang(lang) == "es"
}

// NumberSeparators are the thousands and decimal separators lang writes
// numbers with (es "." and ",", en "," and "."), for a page's scripts to
// write numbers as FormatDecimal does.
func NumberSeparators(lang string) (thousands, decimal string) {
	if DecimalComma(lang) {
		return styleES.thousands, styleES.decimal
	}
	return styleEN.thousands, styleEN.decimal
}

// FormatMoney writes amount in currency (an ISO 4217 code such as "EUR") the
// way lang reads it: es "1.234,56 €", en "€1,234.56"; negatives es
// "-1.234,56 €", en "-€1,234.56". It shows two decimals, or more when the
// amount carries more significant ones (unit prices such as 0,0125 €).
func FormatMoney(lang string, amount decimal.Decimal, currency string) string {
	places := max(int32(2), decimalPlaces(amount))
	style, spanish := styleEN, DecimalComma(lang)
	if spanish {
		style = styleES
	}
	digits := groupDigits(amount.Abs().StringFixed(places), style)
	sign := ""
	if amount.Sign() < 0 {
		sign = "-"
	}
	symbol, known := currencySymbols[strings.ToUpper(currency)]
	switch {
	case spanish && known:
		return sign + digits + " " + symbol
	case spanish:
		return sign + digits + " " + currency
	case known:
		return sign + symbol + digits
	default:
		return sign + currency + " " + digits
	}
}

// FormatDecimal writes a quantity or a rate without useless trailing zeros:
// es "1,5", en "1.5"; 1000 is "1.000" / "1,000".
func FormatDecimal(lang string, d decimal.Decimal) string {
	style := styleEN
	if DecimalComma(lang) {
		style = styleES
	}
	sign := ""
	if d.Sign() < 0 {
		sign = "-"
	}
	return sign + groupDigits(d.Abs().StringFixed(decimalPlaces(d)), style)
}

// FormatPercent writes a rate given in percent: es "21 %" (the space is the
// Spanish norm), en "21%".
func FormatPercent(lang string, rate decimal.Decimal) string {
	if DecimalComma(lang) {
		return FormatDecimal(lang, rate) + " %"
	}
	return FormatDecimal(lang, rate) + "%"
}

// NoDate stands where a date is not set, such as a draft's issue date.
const NoDate = "—"

// FormatDate writes a civil date: es "27/11/2026", en "27 Nov 2026"; a date
// not set (the zero time) is NoDate, never "01/01/0001".
func FormatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return NoDate
	}
	if DecimalComma(lang) {
		return t.Format("02/01/2006")
	}
	return t.Format("2 Jan 2006")
}

// Late says that an invoice is overdue by days (one or more), in lang:
// es "Vencida · 12 días", en "Overdue · 12 days".
func Late(lang string, days int) string {
	if days == 1 {
		return T(lang, "view.late.one")
	}
	return strings.ReplaceAll(T(lang, "view.late.other"), "{days}", strconv.Itoa(days))
}

// FormatMoment writes a moment as the firm's clock showed it: es
// "27/11/2026 13:46", en "27 Nov 2026 13:46".
func FormatMoment(lang string, t time.Time) string {
	if t.IsZero() {
		return NoDate
	}
	t = t.In(clock.Zone)
	return FormatDate(lang, t) + " " + t.Format("15:04")
}

// decimalPlaces counts the significant decimals of d (1.50 has one).
func decimalPlaces(d decimal.Decimal) int32 {
	s := d.String()
	i := strings.IndexByte(s, '.')
	if i < 0 {
		return 0
	}
	return int32(len(strings.TrimRight(s[i+1:], "0")))
}

// groupDigits rewrites an unsigned "1234.56" with the separators of style.
func groupDigits(plain string, style numberStyle) string {
	intPart, frac, hasFrac := strings.Cut(plain, ".")
	var b strings.Builder
	b.Grow(len(plain) + len(intPart)/3)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(style.thousands)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(style.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// spanishMonths are the abbreviations Spanish uses for months.
var spanishMonths = [...]string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}

// FormatMonth writes a month for chart axes: es "nov 2026", en "Nov 2026".
func FormatMonth(lang string, t time.Time) string {
	if DecimalComma(lang) {
		return spanishMonths[t.Month()-1] + " " + t.Format("2006")
	}
	return t.Format("Jan 2006")
}

// EventLabel is what a timeline entry is called, in lang: the firm's answer
// to a customer is an answer, and a download says which file it was.
func EventLabel(lang, eventType string, data map[string]any) string {
	if data["direction"] == "to_customer" {
		return T(lang, "portal.event.answer")
	}
	if eventType == "downloaded" {
		if format, _ := data["format"].(string); format != "" && format != "pdf" {
			return T(lang, "portal.event.downloaded_einvoice") + " (" + strings.ToUpper(format) + ")"
		}
	}
	return T(lang, "portal.event."+eventType)
}
