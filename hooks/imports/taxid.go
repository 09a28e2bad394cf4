package imports

import (
	"strings"

	"facturo/internal/taxid"
)

// checkTaxID checks a customer's tax id: the checksum of a Spanish NIF, CIF
// or NIE, or the format of an EU VAT id, by the rules of country.
func checkTaxID(id, country string) error {
	return taxid.Validate(id, country)
}

// taxIDKey is the form customers are matched by: the normalised tax id,
// and for Spanish customers the bare NIF, so that B12345674 and
// ES-B12345674 are one customer.
func taxIDKey(id, country string) string {
	c := strings.ToUpper(strings.TrimSpace(country))
	if c == "" || c == "ES" {
		if nif, err := taxid.SpanishNIF(id); err == nil {
			return nif
		}
	}
	return taxid.Normalize(id)
}
