package main

import (
	"context"
	"errors"
	"flag"
)

func sheetsCmd(context.Context, *flag.FlagSet, []string) error   { return errors.New("todo") }
func scaleoutCmd(context.Context, *flag.FlagSet, []string) error { return errors.New("todo") }
