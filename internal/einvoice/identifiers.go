package einvoice

import (
	"strings"

	"facturo/internal/taxid"
)

// spanishNIF is a Spanish party's bare NIF (without the ES of its VAT
// form), or "" when the party is not Spanish or its id is no NIF.
func spanishNIF(p Party) string {
	id := taxid.Normalize(p.TaxID)
	if p.Country != "ES" && !strings.HasPrefix(id, "ES") {
		return ""
	}
	nif, err := taxid.SpanishNIF(id)
	if err != nil {
		return ""
	}
	return nif
}

// NaturalPerson tells a Spanish NIF of a person (a DNI or NIE number, or
// the K, L and M NIFs) from an entity's CIF.
func NaturalPerson(p Party) bool {
	nif := spanishNIF(p)
	return nif != "" && strings.ContainsRune("0123456789XYZKLM", rune(nif[0]))
}

// euPrefixes are the VAT prefixes of the EU member states (Greece's is EL)
// and of Northern Ireland.
var euPrefixes = map[string]string{
	"AT": "AT", "BE": "BE", "BG": "BG", "CY": "CY", "CZ": "CZ", "DE": "DE", "DK": "DK", "EE": "EE", "ES": "ES",
	"FI": "FI", "FR": "FR", "GR": "EL", "HR": "HR", "HU": "HU", "IE": "IE", "IT": "IT", "LT": "LT", "LU": "LU",
	"LV": "LV", "MT": "MT", "NL": "NL", "PL": "PL", "PT": "PT", "RO": "RO", "SE": "SE", "SI": "SI", "SK": "SK", "XI": "XI",
}

// InEU tells whether a country is an EU member state.
func InEU(country string) bool { _, ok := euPrefixes[country]; return ok }

// VATNumber is the party's VAT identifier with its country prefix, as EN
// 16931 writes it (BT-31, BT-48), or "" when its tax id is not one: a
// Spanish NIF gets ES in front, an EU number its state's prefix when it
// lacks it; an id from outside the EU counts only when it starts with its
// country's letters (GB123456789).
func VATNumber(p Party) string {
	if nif := spanishNIF(p); nif != "" {
		return "ES" + nif
	}
	id := taxid.Normalize(p.TaxID)
	if id == "" {
		return ""
	}
	if prefix, ok := euPrefixes[p.Country]; ok {
		if len(id) > 2 && (id[:2] == prefix || euPrefixes[id[:2]] == id[:2] && id[:2] != "ES") {
			return id
		}
		return prefix + id
	}
	if len(id) > 2 && id[:2] == p.Country {
		return id
	}
	return ""
}

// endpointSchemes are the Peppol electronic address schemes (EAS) that
// name a party by its VAT number, by country.
var endpointSchemes = map[string]string{
	"ES": "9920", "AD": "9922", "AL": "9923", "BA": "9924", "BE": "9925", "BG": "9926", "CH": "9927", "CY": "9928",
	"CZ": "9929", "DE": "9930", "EE": "9931", "GB": "9932", "GR": "9933", "HR": "9934", "IE": "9935", "LI": "9936",
	"LT": "9937", "LU": "9938", "LV": "9939", "MC": "9940", "ME": "9941", "MK": "9942", "MT": "9943", "NL": "9944",
	"PL": "9945", "PT": "9946", "RO": "9947", "RS": "9948", "SI": "9949", "SK": "9950", "SM": "9951", "TR": "9952",
	"VA": "9953", "FR": "9957", "HU": "9910", "AT": "9914", "IT": "0211", "FI": "0213",
}

// EndpointID is a party's Peppol electronic address: its VAT number under
// its country's scheme. ok is false when the country has no such scheme or
// the party no VAT number.
func EndpointID(p Party) (scheme, id string, ok bool) {
	scheme, known := endpointSchemes[p.Country]
	vat := VATNumber(p)
	if !known || vat == "" {
		if p.Country == "CH" {
			// Swiss numbers (CHE-123.456.789) carry no VAT prefix of two letters.
			if id := taxid.Normalize(p.TaxID); id != "" {
				return endpointSchemes["CH"], id, true
			}
		}
		return "", "", false
	}
	if p.Country == "IT" {
		vat = strings.TrimPrefix(vat, "IT") // 0211 takes the partita IVA without its prefix
	}
	return scheme, vat, true
}
