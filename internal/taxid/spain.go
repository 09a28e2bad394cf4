package taxid

import "strings"

// The rules are those of Orden EHA/451/2008, which sets the form of the NIF.

// nifLetters is the control letter of a DNI number (and of a NIE once its
// first letter is read as a digit) by the number's remainder modulo 23.
const nifLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// cifLetters is the control letter of a CIF by its control digit.
const cifLetters = "JABCDEFGHI"

// First letters of an entity's CIF, by the kind of control character it
// ends in; the rest (C, D, F, G, J, U, V) may end in either.
const (
	cifEntityLetters = "ABCDEFGHJNPQRSUVW"
	cifLetterControl = "NPQRSW" // non-resident entities and public bodies
	cifDigitControl  = "ABEH"   // companies and co-ownerships
)

const spanishShape = "a Spanish tax id is a NIF (8 digits and a letter), a NIE (X, Y or Z, 7 digits and a letter) " +
	"or a CIF (a letter, 7 digits and a control digit or letter)"

// spanish checks a NIF, NIE or CIF without its ES prefix; shown is the id
// as the messages name it.
func spanish(id, shown string) error {
	if len(id) != 9 || !allDigits(id[1:8]) {
		return keyed(shown, "taxid.err.spanish_shape", map[string]any{"id": shown}, "%s: %s", shown, spanishShape)
	}
	first, digits, control := id[0], id[1:8], id[8]
	switch {
	case isDigit(first) && isLetter(control):
		// The DNI number of a Spanish national.
		if want := nifLetters[mod23(id[:8])]; control != want {
			return keyed(shown, "taxid.err.control_letter", map[string]any{"kind": "NIF", "id": shown, "want": string(want)}, "NIF %s: the control letter should be %c", shown, want)
		}
	case strings.IndexByte("XYZ", first) >= 0 && isLetter(control):
		// A foreigner's NIE: X, Y and Z stand for 0, 1 and 2.
		if want := nifLetters[mod23(string('0'+first-'X')+digits)]; control != want {
			return keyed(shown, "taxid.err.control_letter", map[string]any{"kind": "NIE", "id": shown, "want": string(want)}, "NIE %s: the control letter should be %c", shown, want)
		}
	case strings.IndexByte("KLM", first) >= 0 && isLetter(control):
		// NIFs of people without a DNI or NIE (K: Spaniards under 14, L:
		// Spaniards abroad, M: foreigners without a NIE): the DNI rule on
		// the seven digits.
		if want := nifLetters[mod23(digits)]; control != want {
			return keyed(shown, "taxid.err.control_letter", map[string]any{"kind": "NIF", "id": shown, "want": string(want)}, "NIF %s: the control letter should be %c", shown, want)
		}
	case strings.IndexByte(cifEntityLetters, first) >= 0 && (isDigit(control) || isLetter(control)):
		return checkCIF(first, digits, control, shown)
	default:
		return keyed(shown, "taxid.err.spanish_shape", map[string]any{"id": shown}, "%s: %s", shown, spanishShape)
	}
	return nil
}

// checkCIF checks the control character of an entity's CIF.
func checkCIF(first byte, digits string, control byte, shown string) error {
	d := cifControl(digits)
	wantDigit, wantLetter := byte('0'+d), cifLetters[d]
	switch {
	case strings.IndexByte(cifLetterControl, first) >= 0:
		if control != wantLetter {
			return keyed(shown, "taxid.err.control_letter", map[string]any{"kind": "CIF", "id": shown, "want": string(wantLetter)}, "CIF %s: the control letter should be %c", shown, wantLetter)
		}
	case strings.IndexByte(cifDigitControl, first) >= 0:
		if control != wantDigit {
			return keyed(shown, "taxid.err.control_digit", map[string]any{"id": shown, "want": string(wantDigit)}, "CIF %s: the control digit should be %c", shown, wantDigit)
		}
	default:
		if control != wantDigit && control != wantLetter {
			return keyed(shown, "taxid.err.control_either", map[string]any{"id": shown, "digit": string(wantDigit), "letter": string(wantLetter)}, "CIF %s: the control character should be %c or %c", shown, wantDigit, wantLetter)
		}
	}
	return nil
}

// cifControl is the control digit of a CIF's seven digits: the digits in
// even places, plus the digit sums of the doubles of those in odd places;
// the control is what takes that sum to the next multiple of ten.
func cifControl(digits string) int {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[i] - '0')
		if i%2 == 0 {
			d *= 2
			d = d/10 + d%10
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// mod23 is the remainder modulo 23 of a string of digits.
func mod23(digits string) int {
	r := 0
	for i := 0; i < len(digits); i++ {
		r = (r*10 + int(digits[i]-'0')) % 23
	}
	return r
}
