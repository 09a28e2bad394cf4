// Package remind sends payment reminders and collection follow-up by
// itself: each day, at the hour the policy says (Madrid time), every open
// invoice whose customer wants reminders gets the highest level now due,
// once, through the outbox; the levels it missed (after downtime) are marked
// skipped and never sent.
package remind

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Collections this package owns.
const (
	SettingsCollection = "reminder_settings"
	Levels             = "reminder_levels"
	Sent               = "reminders_sent"
)

// What a reminders_sent row records.
const (
	StatusSent    = "sent"
	StatusSkipped = "skipped"
)

// Customer choices (customers.reminders).
const (
	CustomerDefault = "default"
	CustomerOff     = "off"
	CustomerCustom  = "custom"
)

// actorEmail names the reminders on the timeline.
const actorEmail = "reminders"

// ParseDay reads a YYYY-MM-DD day.
func ParseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a day (YYYY-MM-DD)", s)
	}
	return t, nil
}

// Settings are the reminder policy's switches (collection
// reminder_settings).
type Settings struct {
	record *core.Record

	Enabled          bool
	RunHour          int // Europe/Madrid
	GroupPerCustomer bool
	LastRunOn        string
}

// LoadSettings reads the reminder policy's switches.
func LoadSettings(app core.App) (Settings, error) {
	r := &core.Record{}
	if err := app.RecordQuery(SettingsCollection).Limit(1).One(r); err != nil {
		return Settings{}, errors.New("the reminder settings are missing; the migrations create them")
	}
	return Settings{
		record:           r,
		Enabled:          r.GetBool("enabled"),
		RunHour:          r.GetInt("run_hour"),
		GroupPerCustomer: r.GetBool("group_per_customer"),
		LastRunOn:        r.GetString("last_run_on"),
	}, nil
}

// Level is one step of the follow-up: when it is due and what it says.
type Level struct {
	Days            int // after the due date; negative: before it
	Name            string
	Subject, Body   map[string]string // by language: es, en
	AttachPDF       bool
	AttachStatement bool
}

// LoadLevels reads the active levels, earliest first.
func LoadLevels(app core.App) ([]Level, error) {
	records, err := app.FindRecordsByFilter(Levels, "active = true", "days", 0, 0)
	if err != nil {
		return nil, err
	}
	levels := make([]Level, 0, len(records))
	for _, r := range records {
		levels = append(levels, Level{
			Days: r.GetInt("days"), Name: r.GetString("name"),
			Subject:   map[string]string{"es": r.GetString("subject_es"), "en": r.GetString("subject_en")},
			Body:      map[string]string{"es": r.GetString("body_es"), "en": r.GetString("body_en")},
			AttachPDF: r.GetBool("attach_pdf"), AttachStatement: r.GetBool("attach_statement"),
		})
	}
	return levels, nil
}

// schedule is a customer's reminder days, earliest first, each with the
// level whose texts it uses.
type schedule []step

type step struct {
	days  int
	level *Level
}

// defaultSchedule is every active level on its own days.
func defaultSchedule(levels []Level) schedule {
	s := make(schedule, len(levels))
	for i := range levels {
		s[i] = step{levels[i].Days, &levels[i]}
	}
	return s
}

// customSchedule is a customer's own days; each uses the texts of the
// nearest level at or before it (the earliest level for days before all).
func customSchedule(levels []Level, days []int) schedule {
	if len(levels) == 0 {
		return nil
	}
	days = slices.Clone(days)
	slices.Sort(days)
	days = slices.Compact(days)
	s := make(schedule, 0, len(days))
	for _, d := range days {
		level := &levels[0]
		for i := range levels {
			if levels[i].Days <= d {
				level = &levels[i]
			}
		}
		s = append(s, step{d, level})
	}
	return s
}

// parseCustomDays reads customers.reminder_days: a JSON list of whole days.
func parseCustomDays(raw string) ([]int, error) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var days []int
	if err := json.Unmarshal([]byte(raw), &days); err != nil {
		return nil, errors.New("must be a list of whole days after the due date, e.g. [7, 30]")
	}
	for _, d := range days {
		if d < -60 || d > 365 {
			return nil, fmt.Errorf("%d is outside -60…365", d)
		}
	}
	return days, nil
}
