package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"qifu/internal/access"
	"qifu/internal/calendar"
	"qifu/internal/fault"
)

// The working-day calendar every module's deadlines are counted on: the
// official calendars qifu ships with, and the administrators' days on top.

// calendarTTL bounds how long an instance works with a calendar that an
// administrator has since changed on another instance.
const calendarTTL = time.Minute

// calendarCache holds the working-day calendar built from the official
// calendars and the administrators' days in the store.
type calendarCache struct {
	mu     sync.Mutex
	cal    *calendar.Calendar
	loaded time.Time
}

// Calendar returns the working-day calendar: the official calendars qifu
// ships with the administrators' days on top.
func (s *Store) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	s.cal.mu.Lock()
	defer s.cal.mu.Unlock()
	if s.cal.cal != nil && time.Since(s.cal.loaded) < calendarTTL {
		return s.cal.cal, nil
	}
	cal, err := s.Reader().Calendar(ctx)
	if err != nil {
		return nil, err
	}
	s.cal.cal, s.cal.loaded = cal, time.Now()
	return cal, nil
}

// calendar builds the working-day calendar from the official days and the
// administrators' days as they are now.
func (h DB) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	admin, err := h.CalendarDays(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := calendar.New(append(calendar.Official(), admin...))
	if err != nil {
		return nil, fmt.Errorf("build calendar: %w", err)
	}
	return cal, nil
}

// CalendarDays returns the administrators' days.
func (s *Store) CalendarDays(ctx context.Context) ([]calendar.Day, error) {
	return s.Reader().CalendarDays(ctx)
}

func (h DB) CalendarDays(ctx context.Context) ([]calendar.Day, error) {
	rows, err := h.Query(ctx, "SELECT day, kind, name FROM calendar_days ORDER BY day")
	if err != nil {
		return nil, fmt.Errorf("read calendar: %w", err)
	}
	defer rows.Close()
	var out []calendar.Day
	for rows.Next() {
		var d calendar.Day
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetCalendarDay records an administrator's exception to the weekly pattern
// (for example the next year's official holidays once announced).
func (s *Store) SetCalendarDay(ctx context.Context, actor access.Actor, d calendar.Day) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	if _, err := calendar.New([]calendar.Day{d}); err != nil {
		return err
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.DB().Exec(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, d.Date, string(d.Kind), d.Name); err != nil {
			return fmt.Errorf("set calendar day: %w", err)
		}
		if err := tx.calendarChanged(ctx, d.Date); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "calendar.set", "calendar/"+d.Date, "ok", map[string]string{"kind": string(d.Kind), "name": d.Name})
	})
	s.forgetCalendar()
	return err
}

// DeleteCalendarDay removes an administrator's exception.
func (s *Store) DeleteCalendarDay(ctx context.Context, actor access.Actor, date string) error {
	if !access.May(actor.Role, access.AppealConfigure) {
		return access.ErrForbidden
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.DB().Exec(ctx, "DELETE FROM calendar_days WHERE day = ?", date)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.ErrNotFound
		}
		if err := tx.calendarChanged(ctx, date); err != nil {
			return err
		}
		return tx.Record(ctx, actor, "calendar.delete", "calendar/"+date, "ok", nil)
	})
	s.forgetCalendar()
	return err
}

// forgetCalendar makes this instance rebuild the calendar on its next use;
// other instances do within calendarTTL.
func (s *Store) forgetCalendar() {
	s.cal.mu.Lock()
	s.cal.cal = nil
	s.cal.mu.Unlock()
}
