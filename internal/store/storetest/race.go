package storetest

import (
	"sync"
	"testing"

	"qifu/internal/fault"
)

// Race runs fns in goroutines released together, and returns their errors.
func Race(fns ...func() error) []error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, len(fns))
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// OneWins fails the test unless exactly one of errs is nil and every other
// is a fault of kind k (and has code, when code is not ""); it returns the
// winner's index.
func OneWins(t testing.TB, what string, errs []error, k fault.Kind, code string) int {
	t.Helper()
	win := -1
	for i, err := range errs {
		switch f := fault.As(err); {
		case err == nil && win >= 0:
			t.Errorf("%s: calls %d and %d both won", what, win, i)
		case err == nil:
			win = i
		case f == nil || f.Kind != k || (code != "" && f.Code != code):
			t.Errorf("%s: call %d lost with %v; want %s %s", what, i, err, k, code)
		}
	}
	if win < 0 {
		t.Errorf("%s: nobody won (%v)", what, errs)
	}
	return win
}
