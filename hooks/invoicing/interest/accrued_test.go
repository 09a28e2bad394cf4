package interest

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// published are the rates the tests run on; the figures below are computed
// by hand from them.
var published = []Rate{
	{day("2025-01-01"), dec("11.15")},
	{day("2025-07-01"), dec("10.15")},
}

func TestAccrued(t *testing.T) {
	cases := []struct {
		name       string
		owed       string
		due, asOf  string
		rates      []Rate
		wantAmount string
		wantDays   int
		wantParts  int
	}{
		// 1 to 31 October: 1,000 × 10.15 / 100 × 31 / 365 = 8.6205… → 8.62.
		{"31 days in one half-year", "1000", "2025-09-30", "2025-10-31", published, "8.62", 31, 1},
		// 16–30 June, 15 days at 11.15 %: 1,000 × 0.1115 × 15 / 365 = 4.5822
		// 1–15 July, 15 days at 10.15 %: 1,000 × 0.1015 × 15 / 365 = 4.1712
		// together 8.7534 → 8.75.
		{"across 1 July", "1000", "2025-06-15", "2025-07-15", published, "8.75", 30, 2},
		// 1 day late: 1,000 × 0.1015 / 365 = 0.2781 → 0.28.
		{"one day", "1000", "2025-09-30", "2025-10-01", published, "0.28", 1, 1},
		{"as of the due date", "1000", "2025-09-30", "2025-09-30", published, "0", 0, 0},
		{"due in the future", "1000", "2025-12-31", "2025-10-01", published, "0", 0, 0},
		// 0.05 × 10 % × 365 / 365 = 0.005 exactly, split 181 + 184 days:
		// each part alone would round to 0.00; the sum, rounded once, half
		// away from zero, is 0.01.
		{"rounded once at the end", "0.05", "2024-12-31", "2025-12-31",
			[]Rate{{day("2025-01-01"), dec("10")}, {day("2025-07-01"), dec("10")}}, "0.01", 365, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Accrued(dec(c.owed), day(c.due), day(c.asOf), c.rates)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Amount.Equal(dec(c.wantAmount)) || got.Days != c.wantDays || len(got.Periods) != c.wantParts {
				t.Fatalf("got %s over %d days in %d periods, want %s over %d in %d",
					got.Amount, got.Days, len(got.Periods), c.wantAmount, c.wantDays, c.wantParts)
			}
		})
	}
}

func TestAccruedSplitsAtTheHalfYear(t *testing.T) {
	got, err := Accrued(dec("1000"), day("2025-06-15"), day("2025-07-15"), published)
	if err != nil {
		t.Fatal(err)
	}
	want := []Period{
		{From: day("2025-06-16"), To: day("2025-06-30"), Days: 15, Percent: dec("11.15")},
		{From: day("2025-07-01"), To: day("2025-07-15"), Days: 15, Percent: dec("10.15")},
	}
	for i, w := range want {
		p := got.Periods[i]
		if !p.From.Equal(w.From) || !p.To.Equal(w.To) || p.Days != w.Days || !p.Percent.Equal(w.Percent) {
			t.Errorf("period %d: got %v–%v %d days at %s, want %v–%v %d at %s", i,
				p.From, p.To, p.Days, p.Percent, w.From, w.To, w.Days, w.Percent)
		}
	}
}

func TestAccruedOnStepsFollowsPayments(t *testing.T) {
	// 1,000 due 30 September; 500 paid on 15 October; as of 31 October.
	// 1–15 October on 1,000: 1,000 × 0.1015 × 15 / 365 = 4.1712
	// 16–31 October on 500:    500 × 0.1015 × 16 / 365 = 2.2247
	// together 6.3959 → 6.40.
	steps := []Step{{day("2025-09-30"), dec("1000")}, {day("2025-10-16"), dec("500")}}
	got, err := AccruedOnSteps(day("2025-09-30"), day("2025-10-31"), steps, published)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Amount.Equal(dec("6.40")) || got.Days != 31 || len(got.Periods) != 2 {
		t.Fatalf("got %s over %d days in %v", got.Amount, got.Days, got.Periods)
	}
	if !got.Periods[1].Owed.Equal(dec("500")) || got.Periods[1].Days != 16 {
		t.Fatalf("second period: %+v", got.Periods[1])
	}

	// Paid off on 15 October: the interest stops there, whatever asOf.
	steps = []Step{{day("2025-09-30"), dec("1000")}, {day("2025-10-16"), dec("0")}}
	got, err = AccruedOnSteps(day("2025-09-30"), day("2026-03-01"), steps, published)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Amount.Equal(dec("4.17")) || got.Days != 15 {
		t.Fatalf("paid invoice: got %s over %d days", got.Amount, got.Days)
	}
}

func TestAccruedNamesAMissingHalfYear(t *testing.T) {
	_, err := Accrued(dec("1000"), day("2025-12-15"), day("2026-01-10"), published)
	var missing *MissingRateError
	if !errors.As(err, &missing) || !missing.HalfYear.Equal(day("2026-01-01")) {
		t.Fatalf("got %v, want a missing rate for 2026-01-01", err)
	}
	if want := "no late-payment interest rate for the first half of 2026 (from 2026-01-01): add the BOE's rate to interest_rates"; err.Error() != want {
		t.Fatalf("message %q", err)
	}
}

func TestAccruedRefusesARateOffTheHalfYear(t *testing.T) {
	_, err := Accrued(dec("1000"), day("2025-09-30"), day("2025-10-31"), []Rate{{day("2025-07-02"), dec("10.15")}})
	if err == nil {
		t.Fatal("a rate from 2 July was accepted")
	}
}
