package bank

import (
	"facturo/internal/money"
	"strings"
	"unicode"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
	"golang.org/x/text/unicode/norm"

	"facturo/hooks/invoicing"
	"facturo/internal/taxes"
)

// Candidate is an open invoice a movement may pay.
type Candidate struct {
	ID, Number, Currency string
	Owed                 decimal.Decimal
}

// Clues are what a credit says about the invoices it may pay.
type Clues struct {
	Named      []Candidate // open invoices whose number the concept or reference names
	OfCustomer []Candidate // open invoices owing exactly the amount, of customers the concept names
	SameAmount []Candidate // open invoices owing exactly the amount, in the whole firm
}

// Decision is what to do with a credit.
type Decision struct {
	Status string      // matched, proposed or unmatched
	Pay    []Candidate // matched: the invoices to record a payment on, each for its Amounts entry
	Amount []decimal.Decimal
	Note   string
}

// decide applies the matching rules to a credit of amount in currency. Only
// a named invoice makes a match certain; a customer's name or a
// coincidence of amounts makes a proposal for staff.
func decide(amount decimal.Decimal, currency string, c Clues) Decision {
	sameCurrency := func(cs []Candidate) bool {
		for _, x := range cs {
			if x.Currency != currency {
				return false
			}
		}
		return true
	}
	switch named := c.Named; {
	case len(named) == 1 && amount.LessThanOrEqual(named[0].Owed) && sameCurrency(named):
		note := "pays the invoice named in the concept"
		if amount.LessThan(named[0].Owed) {
			note = "pays part of the invoice named in the concept"
		}
		return Decision{Status: StatusMatched, Pay: named, Amount: []decimal.Decimal{amount}, Note: note}
	case len(named) == 1 && sameCurrency(named):
		return Decision{Status: StatusProposed, Pay: named, Note: "more than the named invoice owes (" + named[0].Owed.StringFixed(2) + ")"}
	case len(named) > 1 && sumOwed(named).Equal(amount) && sameCurrency(named):
		owed := make([]decimal.Decimal, len(named))
		for i, n := range named {
			owed[i] = n.Owed
		}
		return Decision{Status: StatusMatched, Pay: named, Amount: owed, Note: "pays exactly the invoices named in the concept"}
	case len(named) > 0:
		return Decision{Status: StatusProposed, Pay: named, Note: "names invoices whose owed amounts do not add up to the amount"}
	case len(c.OfCustomer) == 1:
		return Decision{Status: StatusProposed, Pay: c.OfCustomer, Note: "the only open invoice of the customer named in the concept owing this amount"}
	case len(c.SameAmount) == 1:
		return Decision{Status: StatusProposed, Pay: c.SameAmount, Note: "the only open invoice owing this amount"}
	}
	return Decision{Status: StatusUnmatched}
}

func sumOwed(cs []Candidate) decimal.Decimal {
	sum := decimal.Zero
	for _, c := range cs {
		sum = sum.Add(c.Owed)
	}
	return sum
}

// numberDigits is how many digits end every invoice number once its
// separators are gone: the year's four and the sequence's six.
const numberDigits = 10

// openInvoice is an invoice still owed, as the index keeps it.
type openInvoice struct {
	Candidate
	key      string // the number in capitals without separators: A2026000123
	customer *customer
}

type customer struct {
	taxID string   // capitals without separators
	words []string // the name's significant words
	open  []*openInvoice
}

// index finds the open invoices a movement's text and amount point to.
// Payments recorded during an import update it, so that a statement paying
// one invoice twice sees what the first payment left.
type index struct {
	byID        map[string]*openInvoice
	byTail      map[string][]*openInvoice // the number's last ten digits
	byCents     map[int64][]*openInvoice  // the amount still owed
	byTaxID     map[string]*customer
	taxIDLens   []int
	byFirstWord map[string][]*customer
	customers   map[string]*customer // by tax id and name
}

// newIndex loads every open invoice: issued, in force, with something
// left to pay.
func newIndex(app core.App) (*index, error) {
	x := emptyIndex()
	err := invoicing.EachInvoice(app, invoicing.Filter{State: "unpaid", Sort: "due_date"}, func(r invoicing.Row) error {
		x.add(r)
		return nil
	})
	return x, err
}

func emptyIndex() *index {
	return &index{byID: map[string]*openInvoice{}, byTail: map[string][]*openInvoice{}, byCents: map[int64][]*openInvoice{},
		byTaxID: map[string]*customer{}, byFirstWord: map[string][]*customer{}, customers: map[string]*customer{}}
}

// add indexes an invoice if it is still owed.
func (x *index) add(r invoicing.Row) {
	owed := taxes.RoundCents(money.FromStored(r.Total).Sub(money.FromStored(r.PaidTotal)))
	if !owed.IsPositive() {
		return
	}
	id := r.CustomerTaxID + "\x1f" + r.CustomerName
	c := x.customers[id]
	if c == nil {
		c = &customer{taxID: compact(r.CustomerTaxID), words: nameWords(r.CustomerName)}
		x.customers[id] = c
		x.addCustomer(c)
	}
	inv := &openInvoice{Candidate: Candidate{ID: r.ID, Number: r.Number, Currency: r.Currency, Owed: owed},
		key: compact(r.Number), customer: c}
	c.open = append(c.open, inv)
	x.byID[inv.ID] = inv
	if len(inv.key) >= numberDigits {
		tail := inv.key[len(inv.key)-numberDigits:]
		x.byTail[tail] = append(x.byTail[tail], inv)
	}
	x.byCents[cents(owed)] = append(x.byCents[cents(owed)], inv)
}

func (x *index) addCustomer(c *customer) {
	if len(c.taxID) >= 5 {
		if _, dup := x.byTaxID[c.taxID]; !dup {
			x.byTaxID[c.taxID] = c
			if !containsInt(x.taxIDLens, len(c.taxID)) {
				x.taxIDLens = append(x.taxIDLens, len(c.taxID))
			}
		}
	}
	if len(c.words) > 0 {
		x.byFirstWord[c.words[0]] = append(x.byFirstWord[c.words[0]], c)
	}
}

// clues gathers what the movement's text and amount point to.
func (x *index) clues(m Movement) Clues {
	text := m.Concept + " " + m.Reference
	flat := compact(text)
	var c Clues
	seen := map[*openInvoice]bool{}
	// Every run of ten digits may end an invoice number; the number's
	// series must then come just before it.
	run := 0
	for i := 0; i < len(flat); i++ {
		if flat[i] < '0' || flat[i] > '9' {
			run = 0
			continue
		}
		if run++; run < numberDigits {
			continue
		}
		for _, inv := range x.byTail[flat[i+1-numberDigits:i+1]] {
			if !seen[inv] && inv.Owed.IsPositive() && strings.HasSuffix(flat[:i+1], inv.key) {
				seen[inv] = true
				c.Named = append(c.Named, inv.Candidate)
			}
		}
	}
	if len(c.Named) > 0 {
		return c
	}
	for _, cust := range x.namedCustomers(flat, text) {
		for _, inv := range cust.open {
			if inv.Owed.Equal(m.Amount) && inv.Currency == m.Currency {
				c.OfCustomer = append(c.OfCustomer, inv.Candidate)
			}
		}
	}
	for _, inv := range x.byCents[cents(m.Amount)] {
		if inv.Owed.Equal(m.Amount) && inv.Currency == m.Currency {
			c.SameAmount = append(c.SameAmount, inv.Candidate)
		}
	}
	return c
}

// namedCustomers are the customers whose tax id or name the text holds.
func (x *index) namedCustomers(flat, text string) []*customer {
	var out []*customer
	add := func(c *customer) {
		for _, o := range out {
			if o == c {
				return
			}
		}
		out = append(out, c)
	}
	for _, n := range x.taxIDLens {
		for i := 0; i+n <= len(flat); i++ {
			if c, ok := x.byTaxID[flat[i:i+n]]; ok {
				add(c)
			}
		}
	}
	words := nameWords(text)
	for i, w := range words {
		for _, c := range x.byFirstWord[w] {
			if i+len(c.words) <= len(words) && equalWords(words[i:i+len(c.words)], c.words) {
				add(c)
			}
		}
	}
	return out
}

// paid takes a recorded payment off the invoice's owed amount.
func (x *index) paid(id string, amount decimal.Decimal) {
	inv := x.byID[id]
	if inv == nil {
		return
	}
	before := cents(inv.Owed)
	for i, o := range x.byCents[before] {
		if o == inv {
			x.byCents[before] = append(x.byCents[before][:i:i], x.byCents[before][i+1:]...)
			break
		}
	}
	inv.Owed = inv.Owed.Sub(amount)
	if inv.Owed.IsPositive() {
		x.byCents[cents(inv.Owed)] = append(x.byCents[cents(inv.Owed)], inv)
	}
}

func cents(d decimal.Decimal) int64 { return d.Shift(2).Round(0).IntPart() }

// compact is s in capitals without anything but letters and digits, the
// way banks often pass numbers and tax ids on.
func compact(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range fold(s) {
		if ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// legalForms are the words of a company's legal form, left out when
// looking for its name: banks write "S.L." as SL, S L or not at all.
var legalForms = map[string]bool{
	"S": true, "L": true, "A": true, "U": true, "SL": true, "SA": true, "SLU": true, "SAU": true, "SLL": true,
	"SC": true, "CB": true, "SCOOP": true, "COOP": true, "SLP": true, "SLNE": true,
}

// nameWords are the significant words of a name, in capitals without
// accents.
func nameWords(s string) []string {
	words := strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := words[:0]
	for _, w := range words {
		if !legalForms[w] {
			out = append(out, w)
		}
	}
	return out
}

// fold is s in capitals, without accents (Ñ stays N: banks drop it too).
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func containsInt(xs []int, n int) bool {
	for _, x := range xs {
		if x == n {
			return true
		}
	}
	return false
}
