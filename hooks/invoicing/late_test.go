package invoicing

import (
	"testing"
	"time"
)

func TestDaysLateFollowsTheOverdueRule(t *testing.T) {
	today := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	due := func(days int) time.Time { return today.AddDate(0, 0, days) }
	for _, c := range []struct {
		name, status, payment string
		total, paid           float64
		due                   time.Time
		want                  int
	}{
		{"a day late, across February", StatusIssued, "unpaid", 121, 0, due(-1), 1},
		{"a year late", StatusIssued, "unpaid", 121, 0, due(-365), 365},
		{"partly paid", StatusIssued, "partial", 121, 50, due(-30), 30},
		{"due today", StatusIssued, "unpaid", 121, 0, due(0), 0},
		{"not yet due", StatusIssued, "unpaid", 121, 0, due(3), 0},
		{"paid", StatusIssued, "paid", 121, 121, due(-30), 0},
		{"voided", StatusVoided, "unpaid", 121, 0, due(-30), 0},
		{"rectified", StatusRectified, "unpaid", 121, 0, due(-30), 0},
		{"a draft", StatusDraft, "unpaid", 121, 0, due(-30), 0},
		{"no due date", StatusIssued, "unpaid", 121, 0, time.Time{}, 0},
	} {
		if got := DaysLate(c.status, c.payment, c.total, c.paid, c.due, today); got != c.want {
			t.Errorf("%s: %d days late, want %d", c.name, got, c.want)
		}
	}
}
