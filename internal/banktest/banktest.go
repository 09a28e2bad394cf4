// Package banktest writes bank statements for tests: Norma 43 files with
// the movements a test needs, their footers right.
package banktest

import (
	"facturo/internal/clock"
	"fmt"
	"strings"
	"time"
)

// Move is a movement of a statement a test writes.
type Move struct {
	Cents   int64 // credits positive, debits negative
	Concept string
	Ref     string
}

// Norma43 writes a one-account Norma 43 statement of the moves, dated
// today by the product's clock (the statement covers today's month), with
// the footer's counts and totals right.
func Norma43(moves ...Move) []byte {
	today := clock.Today()
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1)
	yymmdd := func(t time.Time) string { return t.Format("060102") }
	const account = "2100" + "0418" + "0200051332" // bank, branch, account number
	var b strings.Builder
	rec := func(s string) {
		if len(s) != 80 {
			panic(fmt.Sprintf("record of %d: %q", len(s), s))
		}
		b.WriteString(s + "\n")
	}
	rec(fmt.Sprintf("11%s%s%s2%014d9783%-26s   ", account, yymmdd(first), yymmdd(last), 0, "TALLERES NORTE SL"))
	var nd, nc int
	var sd, sc int64
	records := 1
	for _, m := range moves {
		sign, c := "2", m.Cents
		if c < 0 {
			sign, c = "1", -c
			nd, sd = nd+1, sd+c
		} else {
			nc, sc = nc+1, sc+c
		}
		rec(fmt.Sprintf("22    0418%s%s02099%s%014d0000000000000000000000%-16.16s", yymmdd(today), yymmdd(today), sign, c, m.Ref))
		records++
		for i, text := 0, m.Concept; text != "" && i < 5; i++ {
			part := text[:min(len(text), 76)]
			text = text[len(part):]
			rec(fmt.Sprintf("23%02d%-76s", i+1, part))
			records++
		}
	}
	final := sc - sd
	sign := "2"
	if final < 0 {
		sign, final = "1", -final
	}
	rec(fmt.Sprintf("33%s%05d%014d%05d%014d%s%014d978    ", account, nd, sd, nc, sc, sign, final))
	records++
	rec(fmt.Sprintf("88%s%06d%54s", strings.Repeat("9", 18), records, ""))
	return []byte(b.String())
}
