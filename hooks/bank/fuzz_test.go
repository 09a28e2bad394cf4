package bank

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/shopspring/decimal"

	"facturo/internal/banktest"
)

// FuzzStatement: whatever the bytes, reading a statement (Norma 43 or
// camt.053, told by the content) does not panic nor allocate wildly, and
// gives either problems at lines of the file or movements whose amounts
// are stored exactly.
func FuzzStatement(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(banktest.Norma43(banktest.Move{Cents: 99_999_999_999_999, Concept: "MAXIMO"}, banktest.Move{Cents: -1, Ref: "R"}))
	f.Add(banktest.Norma43(banktest.Move{Cents: 0}))
	f.Add(camtWith("121.005", "CRDT"))
	f.Add(camtWith("1e400", "DBIT"))
	f.Add(camtWith("999999999999.99", "CRDT"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ms, errs := Parse(data)
		runtime.ReadMemStats(&after)
		if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 64<<20+uint64(len(data))*64 {
			t.Fatalf("%d bytes of input allocated %d MB", len(data), allocated>>20)
		}
		if len(errs) > 0 && ms != nil {
			t.Fatalf("%d movements with %d problems", len(ms), len(errs))
		}
		if len(errs) > maxLineErrors+1 {
			t.Fatalf("%d problems", len(errs))
		}
		for _, e := range errs {
			if e.Line < 1 || e.Message == "" {
				t.Fatalf("problem %+v", e)
			}
		}
		for _, m := range ms {
			if amountProblem(m.Amount) != "" || !decimal.NewFromFloat(m.Amount.InexactFloat64()).Equal(m.Amount) {
				t.Fatalf("line %d: amount %s", m.Line, m.Amount)
			}
			if m.Line < 1 || len(m.Key) != 32 || m.BookingDate.IsZero() || m.ValueDate.IsZero() {
				t.Fatalf("movement %+v", m)
			}
		}
	})
}
