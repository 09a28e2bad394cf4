package ubl

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/einvoice"
	"facturo/internal/xmltree"
)

func date(t time.Time) string { return t.Format(time.DateOnly) }

func itoa(i int) string { return strconv.Itoa(i) }

func amount(parent *xmltree.Element, name string, a decimal.Decimal, currency string) {
	parent.AddText(name, einvoice.Money(a)).Set("currencyID", currency)
}
