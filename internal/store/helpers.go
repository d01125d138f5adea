package store

import (
	"database/sql"
	"fmt"

	"qifu/internal/fault"
)

// Wrap adds what was being done to an error of the database, and leaves
// a domain's error (fault) as it is, for its message and code to reach
// the person.
func Wrap(err error, what string) error {
	if err == nil || fault.As(err) != nil {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Affected is the number of rows a statement changed.
func Affected(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
}
