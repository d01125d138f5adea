package resumptiondb

import (
	"context"

	"qifu/internal/appeal"
)

// Categories are the appeals' categories, for raising a finding as an appeal.
func (s *Store) Categories(ctx context.Context) (appeal.Categories, error) {
	return s.appeals.Categories(ctx)
}
