package einvoice

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Problem is something a format needs that an invoice lacks: the field it
// concerns (such as "customer.address") and the key of the sentence, in
// ui/i18n, that says what is missing.
type Problem struct {
	Field string
	Key   string
	Args  []any
}

// Missing lists what the document lacks to be written in format; nothing
// for the PDF, which prints whatever the invoice holds.
func Missing(d *Document, format string) []Problem {
	var p problems
	switch format {
	case FormatUBL, FormatCII, FormatFacturX:
		p.en16931(d, format == FormatUBL)
	case FormatFacturae:
		p.facturae(d)
	}
	return p
}

type problems []Problem

func (p *problems) add(field, key string, args ...any) {
	*p = append(*p, Problem{Field: field, Key: key, Args: args})
}

// address requires the lines of a party's postal address a format needs.
func (p *problems) address(prefix string, party Party, postalCode bool) {
	if strings.TrimSpace(party.Address) == "" {
		p.add(prefix+".address", "einvoice.missing.address")
	}
	if strings.TrimSpace(party.City) == "" {
		p.add(prefix+".city", "einvoice.missing.city")
	}
	if postalCode && strings.TrimSpace(party.PostalCode) == "" {
		p.add(prefix+".postal_code", "einvoice.missing.postal_code")
	}
	if len(party.Country) != 2 {
		p.add(prefix+".country", "einvoice.missing.country")
	}
}

// en16931 checks what EN 16931 (and, for UBL, Peppol BIS 3.0) requires
// beyond what every issued invoice has: the parties' postal addresses (the
// Spanish invoicing rules want the buyer's domicile as well), the buyer's
// VAT number where the category needs it, an electronic address for Peppol,
// and no mix of operations not subject to VAT with others, which the
// standard cannot express in one invoice.
func (p *problems) en16931(d *Document, peppol bool) {
	p.address("issuer", d.Seller, true)
	p.address("customer", d.Buyer, false)
	notSubject, others := false, false
	for _, row := range d.VAT {
		switch row.Category.Code {
		case CategoryNotSubject:
			notSubject = true
		default:
			others = true
		}
		switch row.Category.Code {
		case CategoryIntraEU, CategoryReverseCharge:
			if strings.TrimSpace(d.Buyer.TaxID) == "" {
				p.add("customer.tax_id", "einvoice.missing.buyer_vat")
			}
		}
	}
	if notSubject && others {
		p.add("lines", "einvoice.missing.mixed_not_subject")
	}
	if peppol {
		if _, _, ok := EndpointID(d.Buyer); !ok {
			p.add("customer.tax_id", "einvoice.missing.endpoint", d.Buyer.Country)
		}
	}
}

// publicBody tells a Spanish public body by the first letter of its NIF:
// P (local bodies), Q (public bodies) and S (the State's administration).
func publicBody(party Party) bool {
	id := spanishNIF(party)
	return id != "" && strings.ContainsRune("PQS", rune(id[0]))
}

var spanishPostalCode = regexp.MustCompile(`^[0-9]{5}$`)

// facturae checks what Facturae 3.2.2 requires: addresses with a five-digit
// postal code and a province for Spanish parties, the buyer's tax id, the
// three DIR3 codes of a public body (FACe routes the invoice by them), and
// references short enough for its 20-character fields.
func (p *problems) facturae(d *Document) {
	for _, side := range []struct {
		prefix string
		party  Party
	}{{"issuer", d.Seller}, {"customer", d.Buyer}} {
		p.address(side.prefix, side.party, true)
		if side.party.Country == "ES" {
			if pc := strings.TrimSpace(side.party.PostalCode); pc != "" && !spanishPostalCode.MatchString(pc) {
				p.add(side.prefix+".postal_code", "einvoice.missing.postal_code_es")
			}
			if strings.TrimSpace(side.party.Province) == "" {
				p.add(side.prefix+".province", "einvoice.missing.province")
			}
		}
	}
	if utf8.RuneCountInString(strings.TrimSpace(d.Buyer.TaxID)) < 3 {
		p.add("customer.tax_id", "einvoice.missing.tax_id")
	}
	if publicBody(d.Buyer) && !d.Buyer.DIR3.Complete() || !d.Buyer.DIR3.Empty() && !d.Buyer.DIR3.Complete() {
		p.add("customer.dir3", "einvoice.missing.dir3")
	}
	if utf8.RuneCountInString(d.OrderReference) > 20 {
		p.add("order_reference", "einvoice.missing.reference_length", 20)
	}
	if utf8.RuneCountInString(d.BuyerReference) > 20 {
		p.add("customer.buyer_reference", "einvoice.missing.reference_length", 20)
	}
}
