package storetest

import (
	"io"
	"os"
)

// A benchmark's generated city is slow to make: a SQLite file of it may be
// kept between runs and copied in place of a fresh one.

// Kept reports whether a kept file exists at path.
func Kept(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// CopyStore copies a SQLite store (closed) from src to dst.
func CopyStore(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
