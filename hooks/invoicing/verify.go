package invoicing

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/taxes"
)

// ChainReport is the outcome of recomputing the huella chain.
type ChainReport struct {
	Checked  int    // invoices checked
	LastHash string // huella of the last link, when intact
	// BrokenID and BrokenNumber name the first invoice whose record no longer
	// matches; Problem says how.
	BrokenID     string
	BrokenNumber string
	Problem      string
}

// OK tells whether every link matched.
func (r ChainReport) OK() bool { return r.Problem == "" }

// String is the report as a person reads it.
func (r ChainReport) String() string {
	if r.OK() {
		return fmt.Sprintf("OK: %d issued invoices, every huella matches its record; last huella %s", r.Checked, r.LastHash)
	}
	return fmt.Sprintf("BROKEN at invoice %s (id %s), link %d: %s", r.BrokenNumber, r.BrokenID, r.Checked, r.Problem)
}

// verifyPage is how many invoices are read at a time.
const verifyPage = 500

// VerifyChain walks every issued invoice in chain order and recomputes, from
// the stored record, its totals (from its lines) and its huella; it reports
// the first invoice that no longer matches.
func VerifyChain(app core.App) (ChainReport, error) {
	var report ChainReport
	prevHash, prevSeq := "", 0
	for {
		page, err := app.FindRecordsByFilter(Invoices, "chain_seq > {:after}", "chain_seq", verifyPage, 0, map[string]any{"after": prevSeq})
		if err != nil {
			return report, err
		}
		for _, inv := range page {
			report.Checked++
			if problem := checkLink(inv, prevHash, prevSeq); problem != "" {
				report.BrokenID, report.BrokenNumber, report.Problem = inv.Id, inv.GetString("number"), problem
				return report, nil
			}
			prevHash, prevSeq = inv.GetString("hash"), inv.GetInt("chain_seq")
		}
		if len(page) < verifyPage {
			break
		}
	}
	// An issued invoice outside the chain was altered or inserted by hand.
	stray, err := app.FindFirstRecordByFilter(Invoices, "status != 'draft' && chain_seq <= 0")
	if err == nil {
		report.Checked++
		report.BrokenID, report.BrokenNumber, report.Problem = stray.Id, stray.GetString("number"), "issued but not in the chain"
		return report, nil
	}
	report.LastHash = prevHash
	return report, nil
}

// checkLink says what, if anything, is wrong with one link.
func checkLink(inv *core.Record, prevHash string, prevSeq int) string {
	if seq := inv.GetInt("chain_seq"); seq != prevSeq+1 {
		return fmt.Sprintf("link %d is missing (found %d next)", prevSeq+1, seq)
	}
	if inv.GetString("prev_hash") != prevHash {
		return "its previous huella does not match the invoice before it"
	}
	if inv.GetString("status") == StatusDraft {
		return "it is in the chain but marked as a draft"
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		return "its lines no longer parse: " + err.Error()
	}
	t := taxes.Compute(lines)
	for field, want := range map[string]string{
		"subtotal": t.Subtotal.StringFixed(2), "tax_total": t.TaxTotal.StringFixed(2),
		"surcharge_total": t.SurchargeTotal.StringFixed(2), "withholding_total": t.WithholdingTotal.StringFixed(2),
		"total": t.Total.StringFixed(2),
	} {
		if got := decimalField(inv, field).StringFixed(2); got != want {
			return fmt.Sprintf("its %s is %s but its lines give %s", field, got, want)
		}
	}
	if got, want := inv.GetString("hash"), huellaRecord(inv).Hash(); got != want {
		return fmt.Sprintf("its huella does not match its record (stored %s, recomputed %s)", got, want)
	}
	return ""
}
