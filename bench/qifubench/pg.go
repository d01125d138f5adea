package main

import (
	"context"
	"flag"
	"fmt"

	"qifu/internal/pgtest"
)

// pgCmd starts a PostgreSQL cluster with the benchmarks' settings and an
// empty database, prints the database's URL and keeps the cluster until it
// is interrupted: a store to generate once (gen --db URL) and read many
// times (reads --store postgres --reuse URL), for a history that takes
// longer to generate than a scenario should.
func pgCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	name := fs.String("name", "bench", "the database to create")
	fs.Parse(args)
	pg, err := pgtest.StartThrowaway(pgConf)
	if err != nil {
		return err
	}
	defer pg.Close()
	url, err := pg.CreateDB(*name)
	if err != nil {
		return err
	}
	fmt.Println(url)
	fmt.Fprintln(stderr, "PostgreSQL is running with the benchmarks' settings; interrupt to stop it and remove its files")
	<-ctx.Done()
	return nil
}
