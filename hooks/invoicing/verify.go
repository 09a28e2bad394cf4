package invoicing

import (
	"facturo/internal/money"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/seal"
	"facturo/internal/taxes"
)

// ChainReport is the outcome of checking every issued invoice against its
// own record, the huella chain, its history and the series counters.
type ChainReport struct {
	Checked  int       // issued invoices checked
	Records  int       // registration records checked, when a Registry keeps them
	LastHash string    // huella of the last issued invoice
	Problems []Problem // everything that no longer matches, invoice by invoice in chain order, then the series
}

// Problem is one thing that no longer matches: on an invoice (InvoiceID and
// Number set) or on a series counter (Series set).
type Problem struct {
	InvoiceID, Number string
	Series            string
	What              string
}

// OK tells whether everything matched.
func (r ChainReport) OK() bool { return len(r.Problems) == 0 }

// String is the report as a person reads it: one line when all is well,
// otherwise a line per problem.
func (r ChainReport) String() string {
	if r.OK() {
		records := ""
		if r.Records > 0 {
			records = fmt.Sprintf("; %d registration records chained, each matching its invoice", r.Records)
		}
		return fmt.Sprintf("OK: %d issued invoices, every huella and content hash matches its record, every series its counter%s; last huella %s", r.Checked, records, r.LastHash)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "BROKEN: %d problems in %d issued invoices\n", len(r.Problems), r.Checked)
	for _, p := range r.Problems {
		switch {
		case p.Series != "":
			fmt.Fprintf(&b, "  series %s: %s\n", p.Series, p.What)
		case p.Number != "":
			fmt.Fprintf(&b, "  invoice %s (id %s): %s\n", p.Number, p.InvoiceID, p.What)
		default:
			fmt.Fprintf(&b, "  invoice id %s: %s\n", p.InvoiceID, p.What)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// verifyPage is how many invoices are read at a time.
const verifyPage = 500

// VerifyChain checks every issued invoice, in chain order, against what it
// must be: the link before it, its own lines (its totals), its huella, its
// content hash over every frozen field, and its history (as many timeline
// entries and payments as it counts, payments adding up to what it says is
// paid); the chains of registration records, cancellations and
// corrections included, when a Registry keeps them; then each series
// counter against the last number given, and that no issued invoice stands
// outside the chain. It lists every problem, not just the first.
func VerifyChain(app core.App) (ChainReport, error) {
	var report ChainReport
	history, err := loadHistory(app)
	if err != nil {
		return report, err
	}
	numbers := map[string][]int{} // series-year → the numbers given
	// Without a registry of records, each invoice chains to its issuer's
	// invoice before it; with one, the registry checks every link, records
	// of cancellations and corrections included.
	records := registry(app)
	prevHash := map[string]string{} // issuer NIF → the last huella seen
	prevSeq := 0
	for {
		page, err := app.FindRecordsByFilter(Invoices, "chain_seq > {:after}", "chain_seq", verifyPage, 0, dbx.Params{"after": prevSeq})
		if err != nil {
			return report, err
		}
		for _, inv := range page {
			report.Checked++
			seq := inv.GetInt("chain_seq")
			if seq != prevSeq+1 {
				report.add(inv, fmt.Sprintf("links %d to %d before it are missing", prevSeq+1, seq-1))
			}
			nif := inv.GetString("issuer_tax_id")
			if records == nil && inv.GetString("prev_hash") != prevHash[nif] {
				report.add(inv, "its previous huella does not match the invoice before it")
			}
			for _, what := range checkInvoice(inv, history) {
				report.add(inv, what)
			}
			if key, n, ok := splitNumber(inv.GetString("number")); ok {
				numbers[key] = append(numbers[key], n)
			}
			prevHash[nif], prevSeq = inv.GetString("hash"), seq
			report.LastHash = inv.GetString("hash")
		}
		if len(page) < verifyPage {
			break
		}
	}
	if records != nil {
		n, problems, err := records.CheckChain(app)
		if err != nil {
			return report, err
		}
		report.Records = n
		report.Problems = append(report.Problems, problems...)
	}

	// An issued invoice outside the chain was altered or inserted by hand.
	var strays []*core.Record
	if err := app.RecordQuery(Invoices).AndWhere(dbx.NewExp("status != 'draft' AND chain_seq <= 0")).All(&strays); err != nil {
		return report, err
	}
	for _, inv := range strays {
		report.Checked++
		report.add(inv, "it is issued but not in the chain")
	}
	return report, checkCounters(app, numbers, &report)
}

func (r *ChainReport) add(inv *core.Record, what string) {
	r.Problems = append(r.Problems, Problem{InvoiceID: inv.Id, Number: inv.GetString("number"), What: what})
}

// checkInvoice says everything that is wrong with one issued invoice but
// its link to the one before it.
func checkInvoice(inv *core.Record, h history) []string {
	var problems []string
	if inv.GetString("status") == StatusDraft {
		problems = append(problems, "it is in the chain but marked as a draft")
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		problems = append(problems, "its lines no longer parse: "+err.Error())
	} else {
		t := taxes.Compute(lines)
		for _, f := range []struct {
			field string
			want  decimal.Decimal
		}{
			{"subtotal", t.Subtotal}, {"tax_total", t.TaxTotal}, {"surcharge_total", t.SurchargeTotal},
			{"withholding_total", t.WithholdingTotal}, {"total", t.Total},
		} {
			if got := decimalField(inv, f.field).StringFixed(2); got != f.want.StringFixed(2) {
				problems = append(problems, fmt.Sprintf("its %s is %s but its lines give %s", f.field, got, f.want.StringFixed(2)))
			}
		}
	}
	if got, want := inv.GetString("hash"), huellaRecord(inv).Hash(); got != want {
		problems = append(problems, fmt.Sprintf("its huella does not match its record (stored %s, recomputed %s)", got, want))
	}
	if problem := checkSeal(inv); problem != "" {
		problems = append(problems, problem)
	}
	problems = append(problems, h.check(inv)...)
	return problems
}

// history is what the timeline and the payments hold, per invoice.
type history struct {
	events   map[string]int
	payments map[string]int
	paid     map[string]decimal.Decimal
}

// loadHistory counts every invoice's timeline entries and payments, and
// adds up its payments, in two passes over the tables.
func loadHistory(app core.App) (history, error) {
	h := history{events: map[string]int{}, payments: map[string]int{}, paid: map[string]decimal.Decimal{}}
	var counts []struct {
		Invoice string `db:"invoice"`
		N       int    `db:"n"`
	}
	if err := app.DB().NewQuery("SELECT invoice, COUNT(*) AS n FROM events GROUP BY invoice").All(&counts); err != nil {
		return h, err
	}
	for _, c := range counts {
		h.events[c.Invoice] = c.N
	}
	rows, err := app.DB().NewQuery("SELECT invoice, amount FROM payments").Rows()
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var invoice string
		var amount float64
		if err := rows.Scan(&invoice, &amount); err != nil {
			return h, err
		}
		h.payments[invoice]++
		h.paid[invoice] = h.paid[invoice].Add(money.FromStored(amount))
	}
	return h, rows.Err()
}

// check compares an invoice's counts and paid total with its history.
func (h history) check(inv *core.Record) []string {
	var problems []string
	if have, counted := h.events[inv.Id], inv.GetInt("event_count"); have != counted {
		if have < counted {
			problems = append(problems, fmt.Sprintf("%d of its %d timeline entries are missing", counted-have, counted))
		} else {
			problems = append(problems, fmt.Sprintf("it has %d timeline entries but counts %d: entries were added behind the application's back", have, counted))
		}
	}
	if have, counted := h.payments[inv.Id], inv.GetInt("payment_count"); have != counted {
		if have < counted {
			problems = append(problems, fmt.Sprintf("%d of its %d payments are missing", counted-have, counted))
		} else {
			problems = append(problems, fmt.Sprintf("it has %d payments but counts %d: payments were added behind the application's back", have, counted))
		}
	}
	if sum, said := h.paid[inv.Id], decimalField(inv, "paid_total"); !sum.Equal(said) {
		problems = append(problems, fmt.Sprintf("its payments add up to %s but its paid total is %s", sum.StringFixed(2), said.StringFixed(2)))
	}
	return problems
}

// splitNumber reads an invoice number, series-year-sequence, as its series
// and year ("A-2026") and its sequence.
func splitNumber(number string) (key string, n int, ok bool) {
	i := strings.LastIndexByte(number, '-')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(number[i+1:])
	return number[:i], n, err == nil
}

// checkCounters compares each series counter with the numbers its series
// gave that year: the counter's last number must be the highest issued,
// and every number up to it must be there once.
func checkCounters(app core.App, numbers map[string][]int, report *ChainReport) error {
	var counters []struct {
		Series string `db:"series"`
		Year   int    `db:"year"`
		Last   int    `db:"last"`
	}
	if err := app.DB().NewQuery("SELECT series, year, last FROM series_counters ORDER BY series, year").All(&counters); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, c := range counters {
		key := c.Series + "-" + strconv.Itoa(c.Year)
		seen[key] = true
		given := map[int]int{}
		highest := 0
		for _, n := range numbers[key] {
			given[n]++
			highest = max(highest, n)
		}
		if highest != c.Last {
			report.Problems = append(report.Problems, Problem{Series: key,
				What: fmt.Sprintf("its counter says the last number given was %d, but the highest issued is %d", c.Last, highest)})
		}
		var missing, twice []string
		for n := 1; n <= max(highest, c.Last); n++ {
			switch given[n] {
			case 0:
				missing = append(missing, strconv.Itoa(n))
			case 1:
			default:
				twice = append(twice, strconv.Itoa(n))
			}
		}
		if len(missing) > 0 {
			report.Problems = append(report.Problems, Problem{Series: key, What: "numbers missing: " + abbreviate(missing)})
		}
		if len(twice) > 0 {
			report.Problems = append(report.Problems, Problem{Series: key, What: "numbers given twice: " + abbreviate(twice)})
		}
	}
	for _, key := range slices.Sorted(maps.Keys(numbers)) {
		if !seen[key] {
			report.Problems = append(report.Problems, Problem{Series: key, What: "invoices were issued in it but it has no counter"})
		}
	}
	return nil
}

// abbreviate lists at most 20 items, and says how many more there are.
func abbreviate(items []string) string {
	if len(items) <= 20 {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:20], ", ") + fmt.Sprintf(" and %d more", len(items)-20)
}

// checkSeal recomputes an invoice's content hash under each version of the
// sealed fields: it must match one, and the fields sealed only by later
// versions must be empty, as they were when it was sealed.
func checkSeal(inv *core.Record) string {
	stored := inv.GetString("content_hash")
	if stored == "" {
		return "it has no content hash"
	}
	for v, fields := range sealVersions {
		if seal.Hash(inv, fields) != stored {
			continue
		}
		for _, later := range sealVersions[v+1:] {
			for _, f := range later[len(fields):] {
				if seal.Canonical(inv, f) != "" {
					return "its " + f + " was set after it was sealed"
				}
			}
		}
		return ""
	}
	return "its content hash does not match its frozen fields: what it says was changed after issue"
}
