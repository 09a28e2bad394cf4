package imports

import "strings"

// checkTaxID checks a customer's tax id: the checksum of a Spanish NIF, CIF
// or NIE, or the format of an EU VAT id, by the rules of country.
func checkTaxID(id, country string) error {
	return nil
}

// normaliseTaxID is the form tax ids are matched and stored in: upper case,
// without the spaces, dots, dashes and slashes people write them with.
func normaliseTaxID(id string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '/', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(id)))
}
