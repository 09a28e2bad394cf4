package pdf

import (
	"strings"
	"time"

	"facturo/ui"

	"github.com/shopspring/decimal"
)

// t returns the translation of key in the invoice's language.
func (r *renderer) t(key string) string {
	return ui.T(r.inv.Lang, key)
}

// tf returns the translation of key with each "{name}" placeholder replaced;
// args alternate names and values.
func (r *renderer) tf(key string, args ...string) string {
	s := r.t(key)
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+args[i]+"}", args[i+1])
	}
	return s
}

func (r *renderer) money(d decimal.Decimal) string {
	return ui.FormatMoney(r.inv.Lang, d, r.inv.Currency)
}

func (r *renderer) number(d decimal.Decimal) string {
	return ui.FormatDecimal(r.inv.Lang, d)
}

func (r *renderer) percent(d decimal.Decimal) string {
	return ui.FormatPercent(r.inv.Lang, d)
}

func (r *renderer) date(t time.Time) string {
	return ui.FormatDate(r.inv.Lang, t)
}

// title is the document's kind as printed in its heading.
func (r *renderer) title() string {
	if r.inv.Kind == KindQuote {
		return r.t("pdf.quote")
	}
	if r.inv.Rectification != nil {
		return r.t("pdf.invoice.rectifying")
	}
	return r.t("pdf.invoice")
}
