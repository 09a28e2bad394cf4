package taxid

import (
	"fmt"
	"strings"
)

// vatRule is the form of one member state's VAT number, without its prefix.
type vatRule struct {
	name   string              // the adjective: "German"
	shape  string              // what follows the prefix, for the message
	format func(string) bool   // whether a number has the shape
	check  func(string) string // what is wrong with a well-shaped number's check digits, or ""
}

func (r vatRule) validate(prefix, body, shown string) error {
	if !r.format(body) {
		return keyed(shown, "taxid.err.eu_shape", map[string]any{"id": shown, "country": prefix}, "%s: %s %s VAT number is %s followed by %s", shown, article(r.name), r.name, prefix, r.shape)
	}
	if r.check != nil {
		if problem := r.check(body); problem != "" {
			return keyed(shown, "taxid.err.eu_check", map[string]any{"id": shown, "country": prefix}, "%s: not a valid %s VAT number, %s", shown, r.name, problem)
		}
	}
	return nil
}

// vatRules are the VAT numbers of the member states other than Spain, as
// VIES describes them, with the check digits their tax offices publish.
var vatRules = map[string]vatRule{
	"AT": {"Austrian", "U and 8 digits", func(s string) bool { return len(s) == 9 && s[0] == 'U' && allDigits(s[1:]) }, checkAT},
	"BE": {"Belgian", "10 digits, the first 0 or 1", func(s string) bool { return digits(s, 10) && s[0] <= '1' }, checkBE},
	"BG": {"Bulgarian", "9 or 10 digits", func(s string) bool { return digits(s, 9) || digits(s, 10) }, nil},
	"CY": {"Cypriot", "8 digits and a letter", func(s string) bool { return len(s) == 9 && allDigits(s[:8]) && isLetter(s[8]) }, nil},
	"CZ": {"Czech", "8, 9 or 10 digits", func(s string) bool { return digits(s, 8) || digits(s, 9) || digits(s, 10) }, nil},
	"DE": {"German", "9 digits", func(s string) bool { return digits(s, 9) }, nil},
	"DK": {"Danish", "8 digits", func(s string) bool { return digits(s, 8) }, checkDK},
	"EE": {"Estonian", "9 digits", func(s string) bool { return digits(s, 9) }, nil},
	"EL": {"Greek", "9 digits", func(s string) bool { return digits(s, 9) }, nil},
	"FI": {"Finnish", "8 digits", func(s string) bool { return digits(s, 8) }, checkFI},
	"FR": {"French", "a 2-character key (digits, or letters other than I and O) and the 9-digit SIREN", formatFR, checkFR},
	"HR": {"Croatian", "11 digits", func(s string) bool { return digits(s, 11) }, nil},
	"HU": {"Hungarian", "8 digits", func(s string) bool { return digits(s, 8) }, nil},
	"IE": {"Irish", "7 digits and 1 or 2 letters (or, in the old form, a digit, then a letter, + or *, then 5 digits and a letter)", formatIE, nil},
	"IT": {"Italian", "11 digits", func(s string) bool { return digits(s, 11) }, checkIT},
	"LT": {"Lithuanian", "9 or 12 digits", func(s string) bool { return digits(s, 9) || digits(s, 12) }, nil},
	"LU": {"Luxembourg", "8 digits", func(s string) bool { return digits(s, 8) }, nil},
	"LV": {"Latvian", "11 digits", func(s string) bool { return digits(s, 11) }, nil},
	"MT": {"Maltese", "8 digits", func(s string) bool { return digits(s, 8) }, nil},
	"NL": {"Dutch", "9 digits, B and 2 digits", func(s string) bool { return len(s) == 12 && allDigits(s[:9]) && s[9] == 'B' && allDigits(s[10:]) }, checkNL},
	"PL": {"Polish", "10 digits", func(s string) bool { return digits(s, 10) }, checkPL},
	"PT": {"Portuguese", "9 digits", func(s string) bool { return digits(s, 9) }, checkPT},
	"RO": {"Romanian", "2 to 10 digits", func(s string) bool { return len(s) >= 2 && len(s) <= 10 && allDigits(s) }, nil},
	"SE": {"Swedish", "12 digits ending in 01", func(s string) bool { return digits(s, 12) && strings.HasSuffix(s, "01") }, checkSE},
	"SI": {"Slovenian", "8 digits", func(s string) bool { return digits(s, 8) }, nil},
	"SK": {"Slovak", "10 digits", func(s string) bool { return digits(s, 10) }, nil},
	// Northern Ireland keeps EU VAT rules for goods, with British numbers.
	"XI": {"Northern Irish", "9 or 12 digits, GD and 3 digits below 500, or HA and 3 digits from 500", formatXI, nil},
}

func article(adjective string) string {
	if strings.IndexByte("AEIOU", adjective[0]) >= 0 {
		return "an"
	}
	return "a"
}

func digits(s string, n int) bool { return len(s) == n && allDigits(s) }

// frKeyChars are the characters of a French key: digits and the letters
// but I and O.
const frKeyChars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func formatFR(s string) bool {
	return len(s) == 11 && strings.IndexByte(frKeyChars, s[0]) >= 0 && strings.IndexByte(frKeyChars, s[1]) >= 0 && allDigits(s[2:])
}

func formatIE(s string) bool {
	switch len(s) {
	case 8:
		return allDigits(s[:7]) && isLetter(s[7]) || // 1234567T
			isDigit(s[0]) && (isLetter(s[1]) || s[1] == '+' || s[1] == '*') && allDigits(s[2:7]) && isLetter(s[7]) // 8D79739I
	case 9:
		return allDigits(s[:7]) && allLetters(s[7:]) // 1234567TW
	}
	return false
}

// formatXI: a British number; government departments have GD and 000 to
// 499, health authorities HA and 500 to 999.
func formatXI(s string) bool {
	if len(s) == 5 && allDigits(s[2:]) {
		return strings.HasPrefix(s, "GD") && s[2] < '5' || strings.HasPrefix(s, "HA") && s[2] >= '5'
	}
	return digits(s, 9) || digits(s, 12)
}

// checkAT: the Luhn sum of the 7 digits after U, offset by 4.
func checkAT(s string) string {
	return wantDigit(s[8], (6-luhnSum(s[1:8])%10+10)%10)
}

// checkBE: the last two digits are 97 less the first eight modulo 97.
func checkBE(s string) string {
	want := 97 - atoi(s[:8])%97
	if s[8:] != fmt.Sprintf("%02d", want) {
		return fmt.Sprintf("the last two digits should be %02d", want)
	}
	return ""
}

// checkDK: the digits weighted 2, 7, 6, 5, 4, 3, 2, 1 add up to a multiple
// of 11.
func checkDK(s string) string {
	sum := weighted(s[:7], 2, 7, 6, 5, 4, 3, 2)
	want := (11 - sum%11) % 11
	if want == 10 {
		return checkMismatch
	}
	return wantDigit(s[7], want)
}

// checkFI: the first seven digits weighted 7, 9, 10, 5, 8, 4, 2 give the
// eighth as 11 less their sum modulo 11 (none when that is 1).
func checkFI(s string) string {
	r := weighted(s[:7], 7, 9, 10, 5, 8, 4, 2) % 11
	switch r {
	case 0:
		return wantDigit(s[7], 0)
	case 1:
		return checkMismatch
	}
	return wantDigit(s[7], 11-r)
}

// checkFR: a numeric key is (12 + 3 × (SIREN mod 97)) mod 97; keys with
// letters follow an unpublished rule and are taken as written.
func checkFR(s string) string {
	if !allDigits(s[:2]) {
		return ""
	}
	want := (12 + 3*(atoi(s[2:])%97)) % 97
	if s[:2] != fmt.Sprintf("%02d", want) {
		return fmt.Sprintf("the key (the two characters after FR) should be %02d", want)
	}
	return ""
}

// checkIT: the eleventh digit is the Luhn check digit of the first ten.
func checkIT(s string) string {
	return wantDigit(s[10], luhnDigit(s[:10]))
}

// checkNL: the 9 digits of the company's RSIN (weighted 9 to 2, less the
// ninth) add up to a multiple of 11; sole traders' numbers since 2020 have
// instead, written out with NL and the letters as numbers (A = 10 …
// Z = 35), a remainder of 1 modulo 97.
func checkNL(s string) string {
	if weighted(s[:9], 9, 8, 7, 6, 5, 4, 3, 2, -1)%11 == 0 || mod97("NL"+s) == 1 {
		return ""
	}
	return checkMismatch
}

// checkPL: the first nine digits weighted 6, 5, 7, 2, 3, 4, 5, 6, 7, modulo
// 11, give the tenth.
func checkPL(s string) string {
	want := weighted(s[:9], 6, 5, 7, 2, 3, 4, 5, 6, 7) % 11
	if want == 10 {
		return checkMismatch
	}
	return wantDigit(s[9], want)
}

// checkPT: the first eight digits weighted 9 to 2 give the ninth as 11 less
// their sum modulo 11, or 0 where that is 10 or 11.
func checkPT(s string) string {
	want := 11 - weighted(s[:8], 9, 8, 7, 6, 5, 4, 3, 2)%11
	if want >= 10 {
		want = 0
	}
	return wantDigit(s[8], want)
}

// checkSE: the ten digits before 01 are an organisation number, whose last
// digit is the Luhn check digit of the nine before it.
func checkSE(s string) string {
	return wantDigit(s[9], luhnDigit(s[:9]))
}

const checkMismatch = "its check digits do not match"

func wantDigit(got byte, want int) string {
	if int(got-'0') != want {
		return fmt.Sprintf("the check digit should be %d", want)
	}
	return ""
}

// luhnSum is the Luhn sum of digits: from the right, every second digit is
// doubled, less 9 when that passes 9.
func luhnSum(digits string) int {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum
}

// luhnDigit is the digit that, written after digits, makes their Luhn sum a
// multiple of 10.
func luhnDigit(digits string) int {
	return (10 - luhnSum(digits+"0")%10) % 10
}

func weighted(digits string, weights ...int) int {
	sum := 0
	for i, w := range weights {
		sum += int(digits[i]-'0') * w
	}
	return sum
}

// atoi reads a string of at most 18 digits.
func atoi(digits string) int {
	n := 0
	for i := 0; i < len(digits); i++ {
		n = n*10 + int(digits[i]-'0')
	}
	return n
}

// mod97 is the remainder modulo 97 of s written as a number, its letters
// as 10 to 35 (ISO 7064 MOD 97-10, as in IBANs).
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}
