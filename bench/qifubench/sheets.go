package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"qifu/internal/demo"
	"qifu/internal/enterprise"
	"qifu/internal/sheet"
)

// sheetsCmd is scenario 5: an administrator imports a workbook of 120,000
// new enterprises over HTTP (every row validated, all applied in one
// transaction), then exports every enterprise; each run on a fresh store.
func sheetsCmd(ctx context.Context, fs *flag.FlagSet, args []string) error {
	kind := fs.String("store", "sqlite", "sqlite or postgres")
	rows := fs.Int("rows", 120_000, "enterprises in the workbook")
	runs := fs.Int("runs", 3, "runs, each on a fresh store")
	profile := fs.String("profile", "", "folder for CPU and allocation profiles of qifu's first import (none if empty)")
	fs.Parse(args)

	e, err := newEnv(*kind)
	if err != nil {
		return err
	}
	defer e.close()

	// The workbook: new enterprises spread over the demo's grids.
	d := demo.Generate(1)
	list := make([]enterprise.Enterprise, 0, *rows)
	for i := range *rows {
		t := d.Enterprises[i%len(d.Enterprises)]
		stem := fmt.Sprintf("91%sW%08d", demo.DistrictCode, i)
		c, ok := enterprise.CheckChar(stem)
		if !ok {
			return fmt.Errorf("no check character for %s", stem)
		}
		t.CreditCode = stem + string(c)
		t.Name = fmt.Sprintf("%s（导入%d）", t.Name, i)
		list = append(list, t)
	}
	var book bytes.Buffer
	began := time.Now()
	if err := sheet.WriteEnterprises(&book, list); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "workbook of %d rows, %.1f MiB, written in %s\n", *rows, float64(book.Len())/(1<<20), time.Since(began).Round(time.Millisecond))

	fmt.Printf("scenario 5, enterprises as .xlsx, %s: import of %d new enterprises (%.1f MiB) and export of all; %d runs, each on a fresh store\n\n",
		*kind, *rows, float64(book.Len())/(1<<20), *runs)
	fmt.Println("| run | import (goal < 30 s) | created | export (goal < 15 s) | rows exported | export size | qifu peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|")
	var imports, exports []float64
	for run := range *runs {
		db, err := e.db("sheets")
		if err != nil {
			return err
		}
		srv, err := e.start(ctx, db, "--demo", "--demo-appeals", "0", "--max-upload", fmt.Sprint(256<<20))
		if err != nil {
			return err
		}
		admin, err := signIn(srv.url, "admin")
		if err != nil {
			return err
		}
		var form bytes.Buffer
		w := multipart.NewWriter(&form)
		fw, _ := w.CreateFormFile("file", "enterprises.xlsx")
		fw.Write(book.Bytes())
		w.Close()
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.url+"/api/v1/enterprises/import", &form)
		req.Header.Set("Content-Type", w.FormDataContentType())
		if *profile != "" && run == 0 {
			go srv.profile(*profile, "import-"+*kind, 25)
		}
		t := time.Now()
		res, err := admin.http.Do(req)
		if err != nil {
			return err
		}
		var out struct {
			Applied  bool  `json:"applied"`
			Created  int   `json:"created"`
			Rejected []any `json:"rejected"`
		}
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		took := time.Since(t)
		if err != nil || res.StatusCode != http.StatusOK || !out.Applied || out.Created != *rows {
			return fmt.Errorf("import: status %d, applied %v, created %d, rejected %d: %v", res.StatusCode, out.Applied, out.Created, len(out.Rejected), err)
		}
		imports = append(imports, took.Seconds())

		t = time.Now()
		req, _ = http.NewRequestWithContext(ctx, "GET", srv.url+"/api/v1/enterprises/export", nil)
		res, err = admin.http.Do(req)
		if err != nil {
			return err
		}
		var exported bytes.Buffer
		_, err = io.Copy(&exported, res.Body)
		res.Body.Close()
		etook := time.Since(t)
		if err != nil || res.StatusCode != http.StatusOK {
			return fmt.Errorf("export: status %d: %v", res.StatusCode, err)
		}
		back, err := sheet.ReadEnterprises(bytes.NewReader(exported.Bytes()), 0)
		if err != nil {
			return fmt.Errorf("read the export: %w", err)
		}
		exports = append(exports, etook.Seconds())
		u, _ := srv.proc.Read()
		fmt.Printf("| %d | %.1f s | %d | %.1f s | %d | %.1f MiB | %.0f MiB |\n", run+1, took.Seconds(), out.Created, etook.Seconds(),
			len(back), float64(exported.Len())/(1<<20), float64(u.PeakRSS)/(1<<20))
		srv.stop()
	}
	fmt.Printf("\nmedian: import %.1f s, export %.1f s\n", median(imports), median(exports))
	return nil
}
