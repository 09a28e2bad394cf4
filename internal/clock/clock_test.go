package clock

import (
	"testing"
	"time"
)

func TestDayIsTheFirmsCalendarDay(t *testing.T) {
	// 23:30 UTC on 31 December is already New Year's Day in Madrid (UTC+1).
	late := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	if got, want := Day(late), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("Day(%v) = %v, want %v", late, got, want)
	}
	// 22:30 UTC in July is 00:30 the next day in Madrid (UTC+2, summer time).
	summer := time.Date(2026, 7, 14, 22, 30, 0, 0, time.UTC)
	if got := Day(summer); got.Day() != 15 {
		t.Fatalf("Day(%v) = %v, want the 15th", summer, got)
	}
}

func TestSetAndRestore(t *testing.T) {
	at := time.Date(2031, 5, 6, 10, 0, 0, 0, time.UTC)
	restore := Set(func() time.Time { return at })
	if !Now().Equal(at) || !Today().Equal(time.Date(2031, 5, 6, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("the set clock reads %v, today %v", Now(), Today())
	}
	inner := Set(func() time.Time { return at.AddDate(1, 0, 0) })
	if Now().Year() != 2032 {
		t.Fatalf("the inner clock reads %v", Now())
	}
	inner()
	if !Now().Equal(at) {
		t.Fatalf("restoring the inner clock gave %v", Now())
	}
	restore()
	if d := time.Since(Now()); d < -time.Minute || d > time.Minute {
		t.Fatalf("restored clock reads %v", Now())
	}
}
