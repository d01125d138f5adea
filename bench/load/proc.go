package load

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is the kernel's USER_HZ, the unit of the CPU times in
// /proc/<pid>/stat: 100 on Linux.
const clockTicks = 100

// Proc reads the resource use of a process from /proc (Linux).
type Proc struct{ PID int }

// Usage is a process's memory and CPU at one moment.
type Usage struct {
	RSS, PeakRSS int64         // bytes: resident now, and the high-water mark since start
	CPU          time.Duration // user + system time since start
}

// Read returns the process's usage now.
func (p Proc) Read() (Usage, error) {
	var u Usage
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.PID))
	if err != nil {
		return u, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			u.RSS = kb << 10
		case "VmHWM:":
			u.PeakRSS = kb << 10
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.PID))
	if err != nil {
		return u, err
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return u, fmt.Errorf("short /proc/%d/stat", p.PID)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	u.CPU = time.Duration(utime+stime) * time.Second / clockTicks
	return u, nil
}

// ReadBytes is how much the process has read from the disk since it
// started (read_bytes of /proc/PID/io; the same user, or root).
func (p Proc) ReadBytes() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", p.PID))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "read_bytes: "); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("no read_bytes in /proc/%d/io", p.PID)
}

// ResetPeak resets the process's RSS high-water mark (VmHWM), so that a
// measurement's peak is its own; it needs the right to write the process's
// clear_refs (the same user, or root).
func (p Proc) ResetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.PID), []byte("5"), 0)
}
