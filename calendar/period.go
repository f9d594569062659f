package calendar

import (
	"fmt"
	"time"
)

// AddMonths returns the last day of a period of n months that runs from an
// order (or other event) on the date order.
//
// 民法典第二百零一条: the period starts on the day after order.
// 民法典第二百零二条: it ends on the corresponding day of the final month,
// the day with order's number; when that month has no such day, on its last
// day (01-31 + 1 month → 02-28, or 02-29 in a leap year).
//
// n should be at least 0; a negative n steps back by the same rule.
func AddMonths(order Date, n int) Date {
	total := order.Year*12 + int(order.Month) - 1 + n
	y, m := floorDiv(total, 12), time.Month(total-floorDiv(total, 12)*12+1)
	return Date{y, m, min(order.Day, daysIn(y, m))}
}

// AddYears returns the last day of a period of n years that runs from order,
// by the rule of AddMonths (民法典第二百零一条, 第二百零二条): 02-29 + 1 year →
// 02-28.
func AddYears(order Date, n int) Date {
	return AddMonths(order, 12*n)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Deadline is the last day of a period, computed on a calendar. A deadline
// whose Provisional is true was computed on at least one year without an
// official schedule and is to be recomputed when that schedule is loaded
// (RULES §5).
type Deadline struct {
	Kind            string    `json:"kind"`
	Due             Date      `json:"due"`    // the last day of the period
	DueAt           time.Time `json:"due_at"` // the instant the period runs out: Due.End()
	Provisional     bool      `json:"provisional"`
	CalendarVersion int       `json:"calendar_version"`
}

// deadline builds the Deadline of kind from from to due: it is provisional
// when the span waits for a year's schedule (ProvisionalSpan).
func (c *Calendar) deadline(kind string, from, due Date) Deadline {
	return Deadline{
		Kind:            kind,
		Due:             due,
		DueAt:           due.End(),
		Provisional:     c.ProvisionalSpan(from, due),
		CalendarVersion: c.version,
	}
}

// WorkdaysDeadline returns the deadline of kind that falls n working days
// after from (民法典第二百零一条: from itself is not counted; the period ends
// at 24:00 of the nth working day). n must be at least 1.
func (c *Calendar) WorkdaysDeadline(kind string, from Date, n int) (Deadline, error) {
	if n < 1 {
		return Deadline{}, fmt.Errorf("calendar: %s deadline: %d working days after %s: want at least 1", kind, n, from)
	}
	due, err := c.AddWorkdays(from, n)
	if err != nil {
		return Deadline{}, fmt.Errorf("%s deadline: %w", kind, err)
	}
	return c.deadline(kind, from, due), nil
}

// MonthsDeadline returns the deadline of kind by which someone must act,
// months months after from: AddMonths, then, because 民法典第二百零三条 moves
// the last day of a period off a day of rest, a last day that is not a
// working day becomes the next working day. months must be at least 1.
func (c *Calendar) MonthsDeadline(kind string, from Date, months int) (Deadline, error) {
	if months < 1 {
		return Deadline{}, fmt.Errorf("calendar: %s deadline: %d months after %s: want at least 1", kind, months, from)
	}
	return c.actDeadline(kind, from, AddMonths(from, months))
}

// YearsDeadline is MonthsDeadline for a period of years (民法典第二百零一条–
// 第二百零三条): AddYears, then moved to the next working day when needed.
// years must be at least 1.
func (c *Calendar) YearsDeadline(kind string, from Date, years int) (Deadline, error) {
	if years < 1 {
		return Deadline{}, fmt.Errorf("calendar: %s deadline: %d years after %s: want at least 1", kind, years, from)
	}
	return c.actDeadline(kind, from, AddYears(from, years))
}

// actDeadline moves last, the last day of a period to act in, to the next
// working day when it is not one (民法典第二百零三条).
func (c *Calendar) actDeadline(kind string, from, last Date) (Deadline, error) {
	if err := checkDate("from", from); err != nil {
		return Deadline{}, fmt.Errorf("%s deadline: %w", kind, err)
	}
	if err := checkDate("last day", last); err != nil {
		return Deadline{}, fmt.Errorf("%s deadline: %w", kind, err)
	}
	due := c.NextWorkday(last)
	if err := checkDate("due", due); err != nil {
		return Deadline{}, fmt.Errorf("%s deadline: %w", kind, err)
	}
	return c.deadline(kind, from, due), nil
}

// SanctionEnd returns the last day of a sanction that lasts months months
// from from (a suspension; a ban of n years is 12n months): AddMonths, never
// moved to a working day, because it limits a right rather than giving time
// to act. Provisional follows the same rule as for other deadlines.
func (c *Calendar) SanctionEnd(kind string, from Date, months int) Deadline {
	return c.deadline(kind, from, AddMonths(from, months))
}
