package store

import "context"

// RawRow is a temporary profiling helper.
func RawRow(s *Store, q string, dest ...any) error {
	return scan(s.reader().row(context.Background(), q), dest...)
}
