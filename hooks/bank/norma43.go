package bank

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// norma43RecordLen is the length of every Norma 43 record.
const norma43RecordLen = 80

// numericCurrencies names the ISO 4217 numeric codes Norma 43 files carry.
var numericCurrencies = map[string]string{
	"978": "EUR", "840": "USD", "826": "GBP", "756": "CHF", "392": "JPY", "124": "CAD",
	"752": "SEK", "578": "NOK", "208": "DKK", "985": "PLN", "036": "AUD", "484": "MXN",
}

// n43Account is the account a run of records belongs to, from its header
// (11) to its footer (33), and what its movements add up to.
type n43Account struct {
	line                   int
	bank, branch, number   string
	iban, currency         string
	initial                decimal.Decimal
	debits, credits        int
	debitSum, creditSum    decimal.Decimal
	firstMovement          int // index in the parser's movements
	lastMovementComplement int // how many 23 records the last movement has
}

// n43Parser reads a Norma 43 statement record by record.
type n43Parser struct {
	movements []Movement
	errs      problems
	account   *n43Account
	records   int  // records before the end-of-file record, as it counts them
	ended     bool // the end-of-file record was read
	lastLine  int
}

// ParseNorma43 reads an AEB Cuaderno 43 statement: 80-character records,
// an account header (11), its movements (22) with their complementary
// concepts (23) and currency equivalences (24), the account footer (33),
// whose counts and totals must match, and the end-of-file record (88).
// Latin-1 text is decoded. Every problem is reported with its line.
func ParseNorma43(content []byte) ([]Movement, []LineError) {
	p := &n43Parser{}
	text := toUTF8(content)
	for no := 1; text != "" && !p.errs.full; no++ {
		var raw string
		raw, text, _ = strings.Cut(text, "\n")
		line := strings.TrimRight(raw, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		p.lastLine = no
		// Blanks after the 80 characters are forgiven; the record itself
		// is made runes only once its length is right.
		if cut := runeOffset(line, norma43RecordLen); cut < len(line) && strings.TrimSpace(line[cut:]) == "" {
			line = line[:cut]
		}
		if n := utf8.RuneCountInString(line); n != norma43RecordLen {
			p.fail(no, "the record is %d characters long; Norma 43 records are %d", n, norma43RecordLen)
			continue
		}
		if p.ended {
			p.fail(no, "a record follows the end-of-file record (88)")
			continue
		}
		p.record(no, []rune(line))
	}
	if p.errs.full {
		return nil, p.errs.result(p.lastLine)
	}
	if p.account != nil {
		p.fail(max(p.lastLine, 1), "the file ends inside the account that starts at line %d: its footer (33) is missing", p.account.line)
	} else if !p.ended && len(p.errs.list) == 0 {
		p.fail(max(p.lastLine, 1), "the file ends without its end-of-file record (88)")
	}
	if errs := p.errs.result(p.lastLine); len(errs) > 0 {
		return nil, errs
	}
	assignKeys(p.movements)
	return p.movements, nil
}

// runeOffset is the byte offset of s's n-th rune, or len(s).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

func (p *n43Parser) fail(line int, format string, args ...any) {
	p.errs.add(line, format, args...)
}

// field is the record's text at the layout's 1-based position.
func field(rec []rune, start, length int) string {
	return string(rec[start-1 : start-1+length])
}

func (p *n43Parser) record(no int, rec []rune) {
	code := field(rec, 1, 2)
	if code != "00" && code != "88" {
		p.records++
	}
	switch code {
	case "00":
		// The optional file header says nothing the accounts do not.
	case "11":
		p.header(no, rec)
	case "22":
		p.movement(no, rec)
	case "23":
		p.complement(no, rec)
	case "24":
		p.equivalence(no, rec)
	case "33":
		p.footer(no, rec)
	case "88":
		p.end(no, rec)
	default:
		p.fail(no, "unknown record code %q; Norma 43 records are 11, 22, 23, 24, 33 and 88", code)
	}
}

func (p *n43Parser) header(no int, rec []rune) {
	if p.account != nil {
		p.fail(no, "a new account starts before the footer (33) of the account at line %d", p.account.line)
	}
	a := &n43Account{line: no, firstMovement: len(p.movements), lastMovementComplement: -1}
	ok := true
	a.bank, ok = p.digits(no, rec, 3, 4, "bank code", ok)
	a.branch, ok = p.digits(no, rec, 7, 4, "branch code", ok)
	a.number, ok = p.digits(no, rec, 11, 10, "account number", ok)
	_, ok = p.date(no, rec, 21, "start date", ok)
	_, ok = p.date(no, rec, 27, "end date", ok)
	a.initial, ok = p.amount(no, rec, 33, 34, "initial balance", ok)
	var cur string
	cur, ok = p.digits(no, rec, 48, 3, "currency code", ok)
	a.currency = currencyName(cur)
	if ok {
		a.iban = spanishIBAN(a.bank, a.branch, a.number)
	}
	p.account = a
}

func (p *n43Parser) movement(no int, rec []rune) {
	a := p.account
	if a == nil {
		p.fail(no, "a movement (22) outside an account: the account header (11) is missing")
		return
	}
	ok := true
	_, ok = p.digits(no, rec, 7, 4, "branch code", ok)
	booking, ok := p.date(no, rec, 11, "booking date", ok)
	value, ok := p.date(no, rec, 17, "value date", ok)
	_, ok = p.digits(no, rec, 23, 2, "common concept", ok)
	amount, ok := p.amount(no, rec, 28, 29, "amount", ok)
	if ok {
		// Counted even when refused below, so that the footer's check
		// does not report the same line again.
		if amount.IsNegative() {
			a.debits++
			a.debitSum = a.debitSum.Sub(amount)
		} else {
			a.credits++
			a.creditSum = a.creditSum.Add(amount)
		}
		if problem := amountProblem(amount); problem != "" {
			p.fail(no, "the amount (positions 29–42) %s", problem)
			ok = false
		}
	}
	if !ok {
		// Later 23 and 24 records still belong to a movement; count them
		// against a placeholder so they are not reported as orphans.
		a.lastMovementComplement = 0
		p.movements = append(p.movements, Movement{Line: no})
		return
	}
	ref1, ref2 := strings.TrimSpace(field(rec, 53, 12)), strings.TrimSpace(field(rec, 65, 16))
	if strings.Trim(ref1, "0") == "" {
		ref1 = ""
	}
	a.lastMovementComplement = 0
	p.movements = append(p.movements, Movement{
		Line: no, BookingDate: booking, ValueDate: value, Amount: amount, Currency: a.currency,
		Reference: joinText(ref1, ref2), Account: a.iban,
	})
}

func (p *n43Parser) complement(no int, rec []rune) {
	a := p.account
	if a == nil || a.lastMovementComplement < 0 || len(p.movements) == a.firstMovement {
		p.fail(no, "a complementary concept (23) that follows no movement (22)")
		return
	}
	seq, ok := p.digits(no, rec, 3, 2, "concept sequence", true)
	if !ok {
		return
	}
	if seq < "01" || seq > "05" {
		p.fail(no, "complementary concept number %s; a movement has concepts 01 to 05", seq)
		return
	}
	a.lastMovementComplement++
	if a.lastMovementComplement > 5 {
		p.fail(no, "more than 5 complementary concepts (23) for one movement")
		return
	}
	m := &p.movements[len(p.movements)-1]
	m.Concept = joinText(m.Concept, field(rec, 5, 38), field(rec, 43, 38))
}

func (p *n43Parser) equivalence(no int, rec []rune) {
	a := p.account
	if a == nil || a.lastMovementComplement < 0 || len(p.movements) == a.firstMovement {
		p.fail(no, "a currency equivalence (24) that follows no movement (22)")
		return
	}
	ok := true
	_, ok = p.digits(no, rec, 3, 2, "data code", ok)
	_, ok = p.digits(no, rec, 5, 3, "original currency", ok)
	_, _ = p.digits(no, rec, 8, 14, "original amount", ok)
}

func (p *n43Parser) footer(no int, rec []rune) {
	a := p.account
	if a == nil {
		p.fail(no, "an account footer (33) without its header (11)")
		return
	}
	p.account = nil
	ok := true
	var bank, branch, number string
	bank, ok = p.digits(no, rec, 3, 4, "bank code", ok)
	branch, ok = p.digits(no, rec, 7, 4, "branch code", ok)
	number, ok = p.digits(no, rec, 11, 10, "account number", ok)
	debits, ok := p.count(no, rec, 21, 5, "number of debits", ok)
	debitSum, ok := p.unsigned(no, rec, 26, "total of debits", ok)
	credits, ok := p.count(no, rec, 40, 5, "number of credits", ok)
	creditSum, ok := p.unsigned(no, rec, 45, "total of credits", ok)
	final, ok := p.amount(no, rec, 59, 60, "final balance", ok)
	if !ok {
		return
	}
	if bank != a.bank || branch != a.branch || number != a.number {
		p.fail(no, "the footer's account %s %s %s is not the header's %s %s %s (line %d)",
			bank, branch, number, a.bank, a.branch, a.number, a.line)
	}
	if debits != a.debits || !debitSum.Equal(a.debitSum) {
		p.fail(no, "the footer counts %d debits totalling %s, but the account's movements are %d debits totalling %s",
			debits, debitSum.StringFixed(2), a.debits, a.debitSum.StringFixed(2))
	}
	if credits != a.credits || !creditSum.Equal(a.creditSum) {
		p.fail(no, "the footer counts %d credits totalling %s, but the account's movements are %d credits totalling %s",
			credits, creditSum.StringFixed(2), a.credits, a.creditSum.StringFixed(2))
	}
	if want := a.initial.Add(a.creditSum).Sub(a.debitSum); !final.Equal(want) {
		p.fail(no, "the footer's final balance %s is not the initial balance %s plus credits less debits (%s)",
			final.StringFixed(2), a.initial.StringFixed(2), want.StringFixed(2))
	}
}

func (p *n43Parser) end(no int, rec []rune) {
	if p.account != nil {
		p.fail(no, "the end-of-file record (88) comes before the footer (33) of the account at line %d", p.account.line)
		p.account = nil
	}
	p.ended = true
	if field(rec, 3, 18) != strings.Repeat("9", 18) {
		p.fail(no, "the end-of-file record (88) must have nines in positions 3 to 20")
	}
	if n, ok := p.count(no, rec, 21, 6, "number of records", true); ok && n != p.records {
		p.fail(no, "the end-of-file record counts %d records, but the file has %d", n, p.records)
	}
}

// digits checks that a numeric field holds only digits. It passes ok
// through, false once any field of the record failed.
func (p *n43Parser) digits(no int, rec []rune, start, length int, name string, ok bool) (string, bool) {
	s := field(rec, start, length)
	for _, r := range s {
		if r < '0' || r > '9' {
			p.fail(no, "%s (positions %d–%d) is %q, not a number", name, start, start+length-1, s)
			return s, false
		}
	}
	return s, ok
}

func (p *n43Parser) count(no int, rec []rune, start, length int, name string, ok bool) (int, bool) {
	s, good := p.digits(no, rec, start, length, name, true)
	if !good {
		return 0, false
	}
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n, ok
}

// unsigned reads a 14-digit amount with two implied decimals.
func (p *n43Parser) unsigned(no int, rec []rune, start int, name string, ok bool) (decimal.Decimal, bool) {
	s, good := p.digits(no, rec, start, 14, name, true)
	if !good {
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		p.fail(no, "%s %q is not an amount", name, s)
		return decimal.Zero, false
	}
	return d.Shift(-2), ok
}

// amount reads a sign (1 debe, debit; 2 haber, credit) at signAt and the
// amount at start, debits negative.
func (p *n43Parser) amount(no int, rec []rune, signAt, start int, name string, ok bool) (decimal.Decimal, bool) {
	sign := field(rec, signAt, 1)
	d, good := p.unsigned(no, rec, start, name, true)
	if sign != "1" && sign != "2" {
		p.fail(no, "the %s's debit/credit code (position %d) is %q; it must be 1 (debit) or 2 (credit)", name, signAt, sign)
		return decimal.Zero, false
	}
	if !good {
		return decimal.Zero, false
	}
	if sign == "1" {
		d = d.Neg()
	}
	return d, ok
}

// date reads an AAMMDD date; Norma 43 years are of this century.
func (p *n43Parser) date(no int, rec []rune, start int, name string, ok bool) (time.Time, bool) {
	s, good := p.digits(no, rec, start, 6, name, true)
	if !good {
		return time.Time{}, false
	}
	y, m, d := 2000+int(s[0]-'0')*10+int(s[1]-'0'), int(s[2]-'0')*10+int(s[3]-'0'), int(s[4]-'0')*10+int(s[5]-'0')
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		p.fail(no, "%s (positions %d–%d) %q is not a date (AAMMDD)", name, start, start+5, s)
		return time.Time{}, false
	}
	return t, ok
}

func currencyName(numeric string) string {
	if c, ok := numericCurrencies[numeric]; ok {
		return c
	}
	return numeric
}

// spanishIBAN builds the account's IBAN from the bank, branch and account
// number a Norma 43 header gives: the CCC's two control digits (modulo 11)
// and then the IBAN's check digits (modulo 97).
func spanishIBAN(bank, branch, number string) string {
	ccc := bank + branch + cccDigit("00"+bank+branch) + cccDigit(number) + number
	rem := 0
	for _, r := range ccc + "142800" { // E=14, S=28, check digits 00
		rem = (rem*10 + int(r-'0')) % 97
	}
	return fmt.Sprintf("ES%02d%s", 98-rem, ccc)
}

func cccDigit(ten string) string {
	weights := [10]int{1, 2, 4, 8, 5, 10, 9, 7, 3, 6}
	sum := 0
	for i, r := range ten {
		sum += int(r-'0') * weights[i]
	}
	d := 11 - sum%11
	switch d {
	case 11:
		d = 0
	case 10:
		d = 1
	}
	return fmt.Sprint(d)
}
