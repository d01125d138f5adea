package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"qifu/bench/datagen"
)

// genCmd fills a store with a generated history and says how long it took.
func genCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	db := fs.String("db", "", "the store to fill (an SQLite file or a postgres:// URL); it must be empty")
	blocks := fs.Int("blocks", 60, "copies of the demo district's layout (60: a city of ten districts, about 120,000 enterprises; 522, the most: a province of 87 districts, 1 M)")
	appeals := fs.Int("appeals", 1_000_000, "appeals wanted")
	fs.Parse(args)
	if *db == "" {
		return fmt.Errorf("--db is required")
	}
	began := time.Now()
	rep, err := datagen.Generate(ctx, datagen.Options{DSN: *db, Blocks: *blocks, Appeals: *appeals, Log: os.Stderr})
	if err != nil {
		return err
	}
	fmt.Printf("generated in %s: %d enterprises, %d appeals over %.1f years, %d events, %d dispatches, %d steps\n",
		time.Since(began).Round(time.Second), rep.Enterprises, rep.Appeals, rep.Span.Hours()/24/365, rep.Events, rep.Dispatches, rep.Steps)
	return nil
}

// finishCmd completes a generation that was stopped: the history's indexes
// built, the kept figures folded (what is left of the queue, or everything;
// or, with --fold=false, emptied) and the store analysed.
func finishCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	db := fs.String("db", "", "the store a gen was filling (an SQLite file or a postgres:// URL)")
	fold := fs.Bool("fold", true, "fold the kept figures; false leaves them empty, for the paths that do not read them (the export, the queues), in minutes instead of a province's hour")
	fs.Parse(args)
	if *db == "" {
		return fmt.Errorf("--db is required")
	}
	began := time.Now()
	rep, err := datagen.Finish(ctx, *db, *fold, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("finished in %s: %d enterprises, %d appeals, %d events, %d dispatches, %d steps\n",
		time.Since(began).Round(time.Second), rep.Enterprises, rep.Appeals, rep.Events, rep.Dispatches, rep.Steps)
	return nil
}
