package invoicing

import "time"

// DaysLate is how many days an invoice is past its due date on today, by
// the rule of the lists' "overdue": issued (not voided nor rectified), not
// paid in full, and due before today. It is zero for every other invoice.
func DaysLate(status, payment string, total, paid float64, due, today time.Time) int {
	if status != StatusIssued || payment == "paid" || total <= paid || due.IsZero() {
		return 0
	}
	dy, dm, dd := due.UTC().Date()
	ty, tm, td := today.Date()
	days := int(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(time.Date(dy, dm, dd, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	return max(0, days)
}

// DaysLate is how many days the row's invoice is past its due date on
// today (see DaysLate).
func (r Row) DaysLate(today time.Time) int {
	return DaysLate(r.Status, r.Payment, r.Total, r.PaidTotal, r.DueDate, today)
}
