package staff

// recurringFields are what the editor shows of a recurring invoice besides
// its customer, series, notes and lines.
type recurringFields struct {
	Name, Every, StartDate, EndDate, Count, NextDate string
	Active                                           bool
	Made                                             int
	Intervals, Actions                               []option
}
