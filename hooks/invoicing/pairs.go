package invoicing

import (
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/internal/money"
	"facturo/ui"
)

// Link names an invoice, for a link to it.
type Link struct{ ID, Number string }

// Pair is a rectified invoice with its issued facturas rectificativas: one
// debt, read together (owed.go).
type Pair struct {
	Original    Link
	Corrections []Link // issued, oldest first
	// Owed is what the invoice and its corrections still owe together,
	// never below zero.
	Owed decimal.Decimal
}

// Pairs are the rectification pairs some invoices belong to: by the
// rectified invoice's id, and by each correction's id.
type Pairs struct {
	Of         map[string]*Pair // a rectified invoice's pair
	Correcting map[string]*Pair // the pair a correction belongs to
}

// PairState is how an invoice of a pair stands as the customer reads it,
// as a key of view.payment (empty: by its own payment state): a corrected
// invoice not paid whose pair owes nothing is settled by its corrections; a
// correction that takes away (a credit) is a credit applied to the
// invoice it corrects, never something to pay. A correction that adds to
// the invoice is owed on its own.
func (ps Pairs) PairState(id string, total float64, payment string) string {
	if p := ps.Of[id]; p != nil && p.Owed.IsZero() && payment != "paid" {
		return "pair_settled"
	}
	if ps.Correcting[id] != nil && total <= 0 {
		return "credit"
	}
	return ""
}

// Mark is how a list marks an invoice of a rectification, in lang
// ("Rectificada por R-2026-000003", "Rectifica A-2026-000120"); empty for
// an invoice in none.
func (ps Pairs) Mark(lang, id string) string {
	if p := ps.Of[id]; p != nil {
		numbers := make([]string, len(p.Corrections))
		for i, c := range p.Corrections {
			numbers[i] = c.Number
		}
		return ui.Tf(lang, "view.mark.rectified_by", ui.Args{"numbers": strings.Join(numbers, ", ")})
	}
	if p := ps.Correcting[id]; p != nil {
		return ui.Tf(lang, "view.mark.rectifies", ui.Args{"number": p.Original.Number})
	}
	return ""
}

// PairsOf reads the rectification pairs the invoices ids belong to, with
// two queries whatever their number.
func PairsOf(app core.App, ids []string) (Pairs, error) {
	if len(ids) == 0 {
		return pairsOf(app, nil, nil)
	}
	var originals []string
	if err := app.DB().Select("rectifies").From(Invoices).
		Where(dbx.In("id", anys(ids)...)).AndWhere(dbx.NewExp("rectifies != ''")).Column(&originals); err != nil {
		return Pairs{}, err
	}
	return pairsOf(app, ids, originals)
}

// PairsOfRows is PairsOf the rows of a list, in one query: each row says
// which invoice it corrects.
func PairsOfRows(app core.App, rows []Row) (Pairs, error) {
	ids := make([]string, 0, len(rows))
	var originals []string
	for _, r := range rows {
		ids = append(ids, r.ID)
		if r.Rectifies != "" {
			originals = append(originals, r.Rectifies)
		}
	}
	return pairsOf(app, ids, originals)
}

// pairsOf reads the pairs of the invoices ids, given the invoices those
// correct (originals).
func pairsOf(app core.App, ids, originals []string) (Pairs, error) {
	ps := Pairs{Of: map[string]*Pair{}, Correcting: map[string]*Pair{}}
	if len(ids) == 0 {
		return ps, nil
	}
	var rows []struct {
		ID             string  `db:"id"`
		Number         string  `db:"number"`
		Total          float64 `db:"total"`
		Paid           float64 `db:"paid_total"`
		OriginalID     string  `db:"original_id"`
		OriginalNumber string  `db:"original_number"`
		OriginalTotal  float64 `db:"original_total"`
		OriginalPaid   float64 `db:"original_paid"`
	}
	q := app.DB().Select("r.id", "r.number", "r.total", "r.paid_total",
		"o.id AS original_id", "o.number AS original_number", "o.total AS original_total", "o.paid_total AS original_paid").
		From(Invoices+" r").InnerJoin(Invoices+" o", dbx.NewExp("o.id = r.rectifies")).
		Where(dbx.In("r.status", StatusIssued, StatusRectified)).
		AndWhere(dbx.In("r.rectifies", anys(slices.Concat(ids, originals))...)).
		// Said again, word for word, so that SQLite may read the partial
		// index of corrections (idx_invoices_rectifying) instead of every
		// invoice: each page of a list read them all.
		AndWhere(dbx.NewExp("r.rectifies != ''")).
		OrderBy("r.issued_at", "r.number")
	if err := q.All(&rows); err != nil {
		return ps, err
	}
	for _, r := range rows {
		p := ps.Of[r.OriginalID]
		if p == nil {
			p = &Pair{Original: Link{r.OriginalID, r.OriginalNumber}}
			p.Owed = money.FromStored(r.OriginalTotal).Sub(money.FromStored(r.OriginalPaid))
			ps.Of[r.OriginalID] = p
		}
		p.Corrections = append(p.Corrections, Link{r.ID, r.Number})
		p.Owed = p.Owed.Add(money.FromStored(r.Total).Sub(money.FromStored(r.Paid)))
		ps.Correcting[r.ID] = p
	}
	for _, p := range ps.Of {
		p.Owed = decimal.Max(p.Owed, decimal.Zero)
	}
	return ps, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
