package taxid_test

import (
	"errors"
	"strings"
	"testing"

	"facturo/internal/taxid"
)

// Valid ids are real ones where one is published: the Spanish public bodies
// and companies named, and EU VAT numbers printed on invoices and web pages.
func TestValidIDs(t *testing.T) {
	for _, c := range []struct{ id, country, what string }{
		// Spanish NIFs of people, NIEs, and the K/L/M NIFs.
		{"12345678Z", "ES", "the DNI of the Spanish ID card specimen"},
		{"11111111H", "", "a DNI, country defaulting to ES"},
		{"54362315K", "ES", "a DNI"},
		{"X1234567L", "ES", "a NIE with X"},
		{"X5253868R", "ES", "a NIE with X"},
		{"Y5277343F", "ES", "a NIE with Y"},
		{"Z5277343K", "ES", "a NIE with Z"},
		{"L1111111G", "ES", "an L NIF (a Spaniard abroad)"},
		// CIFs of entities, each kind of control character.
		{"Q2826000H", "ES", "Agencia Estatal de Administración Tributaria"},
		{"P2807900B", "ES", "Ayuntamiento de Madrid"},
		{"P0800000B", "ES", "Diputació de Barcelona"},
		{"S0811001G", "ES", "Generalitat de Catalunya"},
		{"Q2818014I", "ES", "Universidad Complutense de Madrid"},
		{"Q0818001J", "ES", "a public body, control J for 0"},
		{"A28015865", "ES", "Telefónica S.A."},
		{"A46103834", "ES", "Mercadona S.A."},
		{"A15075062", "ES", "Industria de Diseño Textil S.A. (Inditex)"},
		{"B64717838", "ES", "a limited company"},
		{"R9600075G", "ES", "a religious body"},
		{"W4003922D", "ES", "a non-resident's permanent establishment"},
		{"F13005293", "ES", "a cooperative, digit control"},
		{"J99216582", "ES", "a civil partnership, digit control"},
		{"U99216426", "ES", "a joint venture, digit control"},
		{"V99218067", "ES", "another kind of entity, digit control"},
		// The Spanish VAT form.
		{"ESB64717838", "ES", "ES and a CIF"},
		{"ES54362315K", "ES", "ES and a DNI"},
		{"ESX5253868R", "", "ES and a NIE"},
		// Written as people write them.
		{"es-b 6471.7838", "ES", "lower case, spaced, dotted and hyphenated"},
		{"x-5253868-r", "es", "a lower-case NIE and country"},
		{"  12345678z\t", "ES", "surrounding blanks"},
		{"12.345.678/Z", "ES", "dots and a slash"},

		// Every member state, with its prefix.
		{"ATU13585627", "AT", "Austria"},
		{"ATU 142 43 102", "AT", "Austria, spaced"},
		{"BE0402918402", "BE", "Belgium"},
		{"BE 0202.239.951", "BE", "Belgium, dotted"},
		{"BG103873594", "BG", "Bulgaria, 9 digits"},
		{"BG7111042925", "BG", "Bulgaria, 10 digits"},
		{"CY10246672X", "CY", "Cyprus"},
		{"CZ25123891", "CZ", "Czechia, 8 digits"},
		{"CZ640903926", "CZ", "Czechia, 9 digits"},
		{"CZ 640229/4448", "CZ", "Czechia, 10 digits with a slash"},
		{"DE811125440", "DE", "Germany"},
		{"DK10150817", "DK", "Denmark"},
		{"DK 13 20 24 35", "DK", "Denmark, spaced"},
		{"EE100931558", "EE", "Estonia"},
		{"EL094012834", "GR", "Greece"},
		{"GR094012834", "GR", "Greece, written with its ISO code"},
		{"FI20774740", "FI", "Finland"},
		{"FI 0982651-1", "FI", "Finland, as written in the trade register"},
		{"FR40303265045", "FR", "France, numeric key"},
		{"FR 84 323 140 392", "FR", "France, spaced"},
		{"FRK7399859412", "FR", "France, key with a letter"},
		{"HR33392005961", "HR", "Croatia"},
		{"HU10672101", "HU", "Hungary"},
		{"IE6433435IH", "IE", "Ireland, two letters"},
		{"IE0005306C", "IE", "Ireland, one letter"},
		{"IE8D79739I", "IE", "Ireland, old form"},
		{"IT00743110157", "IT", "Italy"},
		{"IT 00 595 000 217", "IT", "Italy, spaced"},
		{"LT119511515", "LT", "Lithuania, 9 digits"},
		{"LT100001354118", "LT", "Lithuania, 12 digits"},
		{"LU10059929", "LU", "Luxembourg"},
		{"LV40003521600", "LV", "Latvia"},
		{"MT1039-6417", "MT", "Malta"},
		{"NL004495445B01", "NL", "the Netherlands, a company (the Belastingdienst's example)"},
		{"NL002455799B11", "NL", "the Netherlands, a sole trader's number of 2020 (mod 97)"},
		{"NL.8186.43.778.B.01", "NL", "the Netherlands, dotted"},
		{"PL5261025421", "PL", "Poland"},
		{"PL 584-030-44-72", "PL", "Poland, hyphenated"},
		{"PT501964843", "PT", "Portugal"},
		{"RO11358544", "RO", "Romania"},
		{"RO573768", "RO", "Romania, 6 digits"},
		{"SE556043606401", "SE", "Sweden"},
		{"SE-556666-4438-01", "SE", "Sweden, hyphenated"},
		{"SI26808498", "SI", "Slovenia"},
		{"SK1078449064", "SK", "Slovakia"},
		{"XI980780684", "GB", "Northern Ireland, a British number"},
		{"XIGD001", "GB", "Northern Ireland, a government department"},
		{"XIHA500", "GB", "Northern Ireland, a health authority"},

		// Without the prefix, for a customer of that country.
		{"U13585627", "AT", "Austria"},
		{"0402918402", "BE", "Belgium"},
		{"094012834", "GR", "Greece"},
		{"40303265045", "FR", "France, numeric key"},
		{"K7399859412", "FR", "France, key with a letter"},
		{"004495445B01", "NL", "the Netherlands"},
		{"501964843", "PT", "Portugal"},

		// Another country's VAT number.
		{"DE811125440", "ES", "a German number for a customer in Spain"},
		{"BE0402918402", "FR", "a Belgian number for a customer in France"},
		{"PT501964843", "US", "a Portuguese number for a customer outside the EU"},

		// Outside the EU.
		{"GB980780684", "GB", "the United Kingdom"},
		{"123456789", "US", "a US EIN without its hyphen"},
		{"12-3456789", "US", "a US EIN as written"},
		{"CHE-116.281.710 MWST", "CH", "a Swiss UID with its VAT suffix"},
		{"ATE850101AB1", "MX", "a Mexican RFC that begins with AT"},
		{"AB", "US", "two characters"},
		{"ABCDEFGHIJ0123456789", "JP", "twenty characters"},
	} {
		if err := taxid.Validate(c.id, c.country); err != nil {
			t.Errorf("%s: Validate(%q, %q) = %v, want valid", c.what, c.id, c.country, err)
		}
	}
}

func TestInvalidIDs(t *testing.T) {
	const spanish = ": a Spanish tax id is a NIF (8 digits and a letter), a NIE (X, Y or Z, 7 digits and a letter) " +
		"or a CIF (a letter, 7 digits and a control digit or letter)"
	for _, c := range []struct{ id, country, want string }{
		{"12345678A", "ES", "NIF 12345678A: the control letter should be Z"},
		{"12345678 a", "", "NIF 12345678A: the control letter should be Z"},
		{"X1234567A", "ES", "NIE X1234567A: the control letter should be L"},
		{"Y5277343A", "ES", "NIE Y5277343A: the control letter should be F"},
		{"Z5277343F", "ES", "NIE Z5277343F: the control letter should be K"},
		{"L1111111C", "ES", "NIF L1111111C: the control letter should be G"},
		{"B1234567X", "ES", "CIF B1234567X: the control digit should be 4"},
		{"A28015866", "ES", "CIF A28015866: the control digit should be 5"},
		{"Q2826000A", "ES", "CIF Q2826000A: the control letter should be H"},
		{"Q28260008", "ES", "CIF Q28260008: the control letter should be H"},
		{"J99216583", "ES", "CIF J99216583: the control character should be 2 or B"},
		{"ESB1234567X", "ES", "CIF ESB1234567X: the control digit should be 4"},
		{"1234567Z", "ES", "1234567Z" + spanish},
		{"123456789Z", "ES", "123456789Z" + spanish},
		{"123456789", "ES", "123456789" + spanish},
		{"I1234567A", "ES", "I1234567A" + spanish},
		{"B12345Z74", "ES", "B12345Z74" + spanish},
		{"hello", "", "HELLO" + spanish},
		{"GB980780684", "ES", "GB980780684" + spanish},

		{"DE123", "ES", "DE123: a German VAT number is DE followed by 9 digits"},
		{"DE123", "DE", "DE123: a German VAT number is DE followed by 9 digits"},
		{"DE123", "US", "DE123: a German VAT number is DE followed by 9 digits"},
		{"123", "DE", "123: a German VAT number is DE followed by 9 digits"},
		{"ATU1358562", "AT", "ATU1358562: an Austrian VAT number is AT followed by U and 8 digits"},
		{"ATU13585626", "AT", "ATU13585626: not a valid Austrian VAT number, the check digit should be 7"},
		{"BE0402918403", "BE", "BE0402918403: not a valid Belgian VAT number, the last two digits should be 02"},
		{"BE2402918402", "BE", "BE2402918402: a Belgian VAT number is BE followed by 10 digits, the first 0 or 1"},
		{"CY10246672", "CY", "CY10246672: a Cypriot VAT number is CY followed by 8 digits and a letter"},
		{"DK10150818", "DK", "DK10150818: not a valid Danish VAT number, the check digit should be 7"},
		{"EL94012834", "GR", "EL94012834: a Greek VAT number is EL followed by 9 digits"},
		{"FI20774741", "FI", "FI20774741: not a valid Finnish VAT number, the check digit should be 0"},
		{"FR41303265045", "FR", "FR41303265045: not a valid French VAT number, the key (the two characters after FR) should be 40"},
		{"FRIO303265045", "FR", "FRIO303265045: a French VAT number is FR followed by a 2-character key (digits, or letters other than I and O) and the 9-digit SIREN"},
		{"IE1234567", "IE", "IE1234567: an Irish VAT number is IE followed by 7 digits and 1 or 2 letters (or, in the old form, a digit, then a letter, + or *, then 5 digits and a letter)"},
		{"IT00743110158", "IT", "IT00743110158: not a valid Italian VAT number, the check digit should be 7"},
		{"NL004495446B01", "NL", "NL004495446B01: not a valid Dutch VAT number, its check digits do not match"},
		{"NL004495445X01", "NL", "NL004495445X01: a Dutch VAT number is NL followed by 9 digits, B and 2 digits"},
		{"PL5261025422", "PL", "PL5261025422: not a valid Polish VAT number, the check digit should be 1"},
		{"PT501964842", "PT", "PT501964842: not a valid Portuguese VAT number, the check digit should be 3"},
		{"PT50196484", "PT", "PT50196484: a Portuguese VAT number is PT followed by 9 digits"},
		{"RO1630615123457", "RO", "RO1630615123457: a Romanian VAT number is RO followed by 2 to 10 digits"},
		{"SE556043606402", "SE", "SE556043606402: a Swedish VAT number is SE followed by 12 digits ending in 01"},
		{"SE556043606501", "SE", "SE556043606501: not a valid Swedish VAT number, the check digit should be 4"},
		{"XIGD500", "IE", "XIGD500: a Northern Irish VAT number is XI followed by 9 or 12 digits, GD and 3 digits below 500, or HA and 3 digits from 500"},
		{"BE0402918403", "FR", "BE0402918403: not a valid Belgian VAT number, the last two digits should be 02"},

		{"A", "US", "A: a tax id is 2 to 20 letters and digits"},
		{"ABCDEFGHIJ01234567890", "US", "ABCDEFGHIJ01234567890: a tax id is 2 to 20 letters and digits"},
		{"12#45", "US", "12#45: a tax id is 2 to 20 letters and digits"},
		{"", "ES", "the tax id is empty"},
		{" - . / ", "US", "the tax id is empty"},
		{"12345678Z", "Spain", `the country "Spain" is not a two-letter ISO 3166-1 code`},
	} {
		err := taxid.Validate(c.id, c.country)
		if err == nil {
			t.Errorf("Validate(%q, %q) accepted it, want %q", c.id, c.country, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Validate(%q, %q) =\n  %q\nwant\n  %q", c.id, c.country, err, c.want)
		}
	}
}

func TestErrorsNameTheNormalisedID(t *testing.T) {
	err := taxid.Validate(" b-1234567 x ", "ES")
	var e *taxid.Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate returned %T %v, want a *taxid.Error", err, err)
	}
	if e.ID != "B1234567X" || e.Message != "CIF B1234567X: the control digit should be 4" || e.Error() != e.Message {
		t.Errorf("got ID %q, Message %q, Error() %q", e.ID, e.Message, e.Error())
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  es-b 6471.7838/ ":  "ESB64717838",
		"x-5253868-r":         "X5253868R",
		"nl.8186.43.778.b.01": "NL818643778B01",
		"12\u00a0345\t678z\n": "12345678Z",
		"IE8+79739I":          "IE8+79739I",
		"":                    "",
	} {
		if got := taxid.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpanishNIF(t *testing.T) {
	for in, want := range map[string]string{
		"ES B-64717838": "B64717838",
		"b64717838":     "B64717838",
		"ESX5253868R":   "X5253868R",
		"12345678z":     "12345678Z",
	} {
		got, err := taxid.SpanishNIF(in)
		if err != nil || got != want {
			t.Errorf("SpanishNIF(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "DE811125440", "ESDE811125440", "B64717839", "ES"} {
		if got, err := taxid.SpanishNIF(in); err == nil {
			t.Errorf("SpanishNIF(%q) = %q, want an error", in, got)
		}
	}
}

// FuzzValidate feeds Validate and SpanishNIF any input: they must never
// panic, and every error must be an *Error naming the normalised id.
func FuzzValidate(f *testing.F) {
	for _, seed := range []struct{ id, country string }{
		{"12345678Z", "ES"}, {"X1234567L", ""}, {"Q2826000H", "ES"}, {"ESB64717838", "ES"},
		{"NL004495445B01", "NL"}, {"FRK7399859412", "FR"}, {"IE8D79739I", "IE"}, {"XIGD001", "GB"},
		{"ATU13585627", "US"}, {"DE", "ES"}, {"ES", "ES"}, {"", ""}, {"é€\x00", "ñ"}, {"12345678Z", "Spain"},
	} {
		f.Add(seed.id, seed.country)
	}
	f.Fuzz(func(t *testing.T, id, country string) {
		err := taxid.Validate(id, country)
		if err != nil {
			var e *taxid.Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate(%q, %q) returned %T, want *taxid.Error", id, country, err)
			}
			if e.ID != taxid.Normalize(id) || strings.TrimSpace(e.Message) == "" {
				t.Fatalf("Validate(%q, %q) = ID %q, Message %q", id, country, e.ID, e.Message)
			}
		}
		nif, err := taxid.SpanishNIF(id)
		if err == nil && taxid.Validate(nif, "ES") != nil {
			t.Fatalf("SpanishNIF(%q) = %q, which Validate refuses", id, nif)
		}
	})
}
