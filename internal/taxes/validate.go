package taxes

import (
	"facturo/internal/money"
	"facturo/internal/plaintext"
	"strings"

	"github.com/shopspring/decimal"
)

// lineInput holds one line's fields as decoded from JSON, before the product
// rules are applied. A nil field was absent, null, or already reported as
// malformed.
type lineInput struct {
	description, vatExemption                                  *string
	quantity, unitPrice, discount, vat, surcharge, withholding *decimal.Decimal
}

// validate applies the line rules to in, records every broken rule in c and
// returns the line with canonical rates.
func validate(in lineInput, c *collector) Line {
	var l Line

	l.Description = trimmed(in.description)
	switch {
	case in.description == nil:
		c.required(fieldDescription)
	case l.Description == "":
		c.add(fieldDescription, "line.err.required", nil, "must not be blank")
	default:
		if problem := plaintext.Problem(l.Description, false); problem != "" {
			c.add(fieldDescription, "line.err.text", nil, "%s", problem)
		}
	}

	if in.quantity == nil {
		c.required(fieldQuantity)
	} else if l.Quantity = *in.quantity; l.Quantity.IsZero() {
		// Negative quantities are fine (credit notes); zero is a mistake.
		c.add(fieldQuantity, "line.err.zero", nil, "must not be zero")
	}

	if in.unitPrice == nil {
		c.required(fieldUnitPrice)
	} else {
		// A negative price is allowed: it is how a discount line is written.
		l.UnitPrice = *in.unitPrice
	}

	if in.discount != nil {
		l.Discount = *in.discount
		if l.Discount.IsNegative() || l.Discount.GreaterThan(hundred) {
			c.add(fieldDiscount, "line.err.discount", nil, "must be between 0 and 100")
		}
	}

	vatOK := false
	if in.vat == nil {
		c.required(fieldVAT)
	} else if i := findRate(vatRates, *in.vat); i < 0 {
		c.add(fieldVAT, "line.err.vat", nil, "must be %s", oneOf(vatRates))
	} else {
		l.VAT, vatOK = vatRates[i], true
	}

	// The exención is trimmed because it is a grouping key of the tax
	// breakdown: "E1" and "E1 " must not make two rows.
	l.VATExemption = trimmed(in.vatExemption)
	if problem := plaintext.Problem(l.VATExemption, false); problem != "" {
		c.add(fieldVATExemption, "line.err.text", nil, "%s", problem)
	}
	if vatOK && l.VAT.IsZero() && l.VATExemption == "" && !c.failed(fieldVATExemption) {
		c.add(fieldVATExemption, "line.err.exemption", nil, "required when VAT is 0 %%")
	}

	// An explicit 0 surcharge or withholding means "none", like leaving it out.
	if in.surcharge != nil && !in.surcharge.IsZero() {
		if i := findRate(surchargeRates, *in.surcharge); i < 0 {
			c.add(fieldSurcharge, "line.err.surcharge", nil, "must be %s", oneOf(surchargeRates))
		} else if vatOK && !surchargeVAT[i].Equal(l.VAT) {
			c.add(fieldSurcharge, "line.err.surcharge_vat", map[string]any{"rate": surchargeRates[i], "vat": surchargeVAT[i]}, "%s %% applies only with VAT %s %%",
				plainNumber(surchargeRates[i]), plainNumber(surchargeVAT[i]))
		} else {
			l.Surcharge = surchargeRates[i]
		}
	}

	if in.withholding != nil && !in.withholding.IsZero() {
		if i := findRate(withholdingRates, *in.withholding); i < 0 {
			c.add(fieldWithholding, "line.err.withholding", nil, "must be %s", oneOf(withholdingRates))
		} else {
			l.Withholding = withholdingRates[i]
		}
	}

	if in.quantity != nil && in.unitPrice != nil && !c.failed(fieldDiscount) {
		exact := l.Quantity.Mul(l.UnitPrice).Mul(hundred.Sub(l.Discount).Shift(-2))
		switch amount := l.Amount(); {
		case amount.IsZero() && !exact.IsZero():
			c.add(fieldQuantity, "line.err.too_small", nil, "makes the line's amount %s, which rounds to 0.00: too small to invoice", exact.String())
		case !money.InRange(amount):
			c.add(fieldQuantity, "line.err.too_large", nil, "makes the line's amount %s, beyond the %s an amount may be", amount.StringFixed(2), money.Max.StringFixed(2))
		}
	}

	return l
}

// trimmed returns *s without surrounding whitespace, or "" for nil.
func trimmed(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}
