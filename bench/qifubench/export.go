package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"qifu/internal/calendar"
)

// exportOf chooses the export of the read paths: the demo district's
// appeals of the last months, as many months back as hold 10,000 of them.
// It returns the export's path and how many appeals it holds, in words
// (a list's count stops at 10,000: "more than 10000").
func exportOf(ctx context.Context, leader *client, now time.Time) (string, string, error) {
	var list struct {
		Total int  `json:"total"`
		More  bool `json:"more"`
	}
	from := now
	for months := 1; months <= 60; months++ {
		from = now.AddDate(0, -months, 0)
		q := url.Values{"region": {"330206"}, "from": {from.Format(time.DateOnly)}, "size": {"1"}}
		if _, err := leader.call(ctx, "GET", "/api/v1/appeals?"+q.Encode(), nil, &list); err != nil {
			return "", "", err
		}
		if list.Total >= 10_000 {
			break
		}
	}
	rows := fmt.Sprint(list.Total)
	if list.More {
		rows = fmt.Sprintf("more than %d", list.Total)
	}
	return "/appeals/export.xlsx?" + url.Values{"region": {"330206"}, "from": {from.Format(time.DateOnly)}}.Encode(), rows, nil
}

// exportCmd times the read paths' export alone, one request at a time, with
// the page cache warm and, as root, dropped before each request, and says
// how much of the store each request read from the disk and how fast the
// disk answers random reads of the store's file when cold.
func exportCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	h := historyFlagsOf(fs)
	runs := fs.Int("runs", 5, "requests, warm and cold each")
	profile := fs.String("profile", "", "folder for CPU and allocation profiles of qifu over the warm requests (none if empty)")
	fs.Parse(args)
	if *h.kind != "sqlite" {
		return fmt.Errorf("export: the cold runs drop the page cache under a SQLite file; use --store sqlite")
	}
	e, srv, db, err := h.serve(ctx, "export")
	if err != nil {
		return err
	}
	defer e.close()
	leader, err := signIn(srv.url, "district_leader")
	if err != nil {
		return err
	}
	path, rows, err := exportOf(ctx, leader, time.Now().In(calendar.Shanghai))
	if err != nil {
		return err
	}
	// A SQLite store's file is the DSN without its options.
	file, _, _ := strings.Cut(strings.TrimPrefix(db, "file:"), "?")
	fmt.Printf("export of %s appeals of the district (%s), one request at a time, %d runs each\n\n", rows, path, *runs)
	fmt.Println("| cache | time (median, min–max) | read from the disk a request (median) |")
	fmt.Println("|---|---|---|")
	for _, cold := range []bool{false, true} {
		var profiled chan error
		if cold {
			if err := dropCaches(); err != nil {
				fmt.Printf("| cold | — (%v) | |\n", err)
				continue
			}
		} else if *profile != "" {
			// The profile spans the warm requests, as long as one untimed
			// request before them says they will take.
			began := time.Now()
			if err := fetch(ctx, leader, path); err != nil {
				return err
			}
			seconds := int(time.Since(began).Seconds()*float64(*runs)) + 1
			profiled = make(chan error, 1)
			go func() { profiled <- srv.profile(*profile, "export-warm", seconds) }()
		}
		var secs, mib []float64
		for range *runs {
			if cold {
				if err := dropCaches(); err != nil {
					return err
				}
			}
			before, err := srv.proc.ReadBytes()
			if err != nil {
				return err
			}
			began := time.Now()
			if err := fetch(ctx, leader, path); err != nil {
				return err
			}
			secs = append(secs, time.Since(began).Seconds())
			after, err := srv.proc.ReadBytes()
			if err != nil {
				return err
			}
			mib = append(mib, float64(after-before)/(1<<20))
		}
		if profiled != nil {
			if err := <-profiled; err != nil {
				return fmt.Errorf("profile: %w", err)
			}
		}
		name := map[bool]string{false: "warm", true: "cold (page cache dropped before each)"}[cold]
		fmt.Printf("| %s | %s s | %.1f MiB |\n", name, spread(secs, "%.2f"), median(mib))
	}
	if err := dropCaches(); err == nil {
		n, d, err := coldReads(file, 20_000)
		if err != nil {
			return err
		}
		fmt.Printf("\n%d random 4 KiB reads of the store's file (%s) after dropping the cache: %.2f s, %.0f µs each\n",
			n, file, d.Seconds(), d.Seconds()/float64(n)*1e6)
	}
	return nil
}

// fetch downloads path whole, which must answer 200.
func fetch(ctx context.Context, c *client, path string) error {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || n == 0 {
		return fmt.Errorf("GET %s: %d, %d bytes", path, res.StatusCode, n)
	}
	return nil
}

// dropCaches writes back and drops the kernel's page cache (root only).
func dropCaches() error {
	syscall.Sync()
	if err := os.WriteFile("/proc/sys/vm/drop_caches", []byte("3"), 0); err != nil {
		return fmt.Errorf("cannot drop the page cache: %w", err)
	}
	return nil
}

// coldReads reads n random 4 KiB pages of file and says how long they took.
func coldReads(file string, n int) (int, time.Duration, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	pages := st.Size() / 4096
	if pages == 0 {
		return 0, 0, fmt.Errorf("%s is empty", file)
	}
	r := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 4096)
	began := time.Now()
	for range n {
		if _, err := f.ReadAt(buf, r.Int64N(pages)*4096); err != nil {
			return 0, 0, err
		}
	}
	return n, time.Since(began), nil
}
