package store

import (
	"context"
	"fmt"

	"qifu/internal/fault"
)

// Settings are the deployment's choices an administrator makes on the pages
// (a module's: the appeal workflow's redo count; the engine's: the password
// rules), kept as key and text in one table. A module reads and writes its
// own keys through these; the caller checks the value and audits the change.

// Setting returns the value of key, and whether it is set.
func (h DB) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := Scan(h.Row(ctx, "SELECT value FROM settings WHERE key = ?", key), &v)
	if fault.Is(err, fault.NotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting sets key to value.
func (h DB) SetSetting(ctx context.Context, key, value string) error {
	if _, err := h.Exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// UnsetSetting removes key.
func (h DB) UnsetSetting(ctx context.Context, key string) error {
	if _, err := h.Exec(ctx, "DELETE FROM settings WHERE key = ?", key); err != nil {
		return fmt.Errorf("unset setting %s: %w", key, err)
	}
	return nil
}
