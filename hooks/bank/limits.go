package bank

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// The bounds on what a statement may be, and what is said when it passes
// one. The statement's size is bounded by MaxStatementBytes.
const (
	// maxLineErrors bounds the problems a statement lists: past them the
	// reading stops, since a file with more is better fixed from the first
	// ones, and a list of millions would take the server's memory.
	maxLineErrors = 1_000
	// maxXMLDepth bounds the nesting of a camt.053 statement's elements,
	// which the XML decoder keeps on a stack: a statement nests about
	// fifteen deep.
	maxXMLDepth = 64
)

// problems are a statement's line errors, up to maxLineErrors.
type problems struct {
	list []LineError
	full bool // more were found and left out
}

func (p *problems) add(line int, format string, args ...any) {
	if len(p.list) == maxLineErrors {
		p.full = true
		return
	}
	p.list = append(p.list, LineError{Line: line, Message: fmt.Sprintf(format, args...)})
}

// result is the list, with a last problem saying where the reading stopped
// when it was full; nil when there is none.
func (p *problems) result(stoppedAt int) []LineError {
	if p.full {
		return append(p.list, LineError{Line: stoppedAt, Message: fmt.Sprintf(
			"the statement has more than %d problems and its reading stopped here; the first %d are listed", maxLineErrors, maxLineErrors)})
	}
	return p.list
}

func errTooDeep() string {
	return fmt.Sprintf("the XML nests its elements more than %d deep; a camt.053 statement nests about fifteen", maxXMLDepth)
}

// maxAmount bounds a movement's amount: 999,999,999,999.99, the most a
// Norma 43 amount (14 digits, two of them decimals) can be. Movements and
// payments are stored in PocketBase number fields, which are float64: a
// decimal of up to 15 significant digits comes back from a float64 as the
// same decimal (DBL_DIG), and an amount within this bound has at most 14,
// so every stored amount reads back as exactly the cents the bank wrote.
var maxAmount = decimal.New(99_999_999_999_999, -2)

// maxAmountText bounds the text of a camt.053 amount that is read as a
// number at all: the schema allows 18 digits and a decimal point.
const maxAmountText = 19

// amountProblem says what is wrong with a movement's amount, its sign
// aside, or "" when it can be stored exactly: it is in cents, not zero,
// and within maxAmount.
func amountProblem(d decimal.Decimal) string {
	switch {
	case d.IsZero():
		return "is zero: a movement moves money"
	case !d.Equal(d.Truncate(2)):
		return "has more than two decimals; amounts are in cents"
	case d.Abs().GreaterThan(maxAmount):
		return "is more than " + maxAmount.StringFixed(2) + ", the most a movement can be"
	}
	return ""
}

// camtAmount reads the text of a camt.053 amount (Amt): digits with at
// most one decimal point and digits on both sides of it, as banks write
// it. The sign is the entry's credit/debit indicator, so a sign is refused,
// as are exponents, NaN and infinities, which are not amounts. It says
// what is wrong, or "".
func camtAmount(s string) (decimal.Decimal, string) {
	quoted := strconv.Quote(s)
	if len(s) > maxAmountText {
		quoted = strconv.Quote(s[:maxAmountText] + "…")
	}
	if s != "" && (s[0] == '-' || s[0] == '+') {
		return decimal.Zero, quoted + " has a sign; an amount is written without one, and CdtDbtInd says whether it is a credit or a debit"
	}
	digits, point, fraction := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
			if point {
				fraction++
			}
		case c == '.' && !point && digits > 0:
			point = true
		default:
			return decimal.Zero, quoted + " is not an amount: write digits, with a decimal point for the cents (121.00)"
		}
	}
	if digits == 0 || (point && fraction == 0) || len(s) > maxAmountText {
		return decimal.Zero, quoted + " is not an amount: write digits, with a decimal point for the cents (121.00)"
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, quoted + " is not an amount"
	}
	if problem := amountProblem(d); problem != "" {
		return decimal.Zero, quoted + " " + problem
	}
	return d, ""
}
