package audiencedb_test

import (
	"os"
	"testing"

	"qifu/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
