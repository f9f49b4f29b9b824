package lifecycle

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A training is admitted only if what it will allocate fits its memory budget: Go cannot
// recover from a failed allocation ("fatal error: out of memory" aborts the backend) and the
// kernel's OOM killer ends it with SIGKILL; either way the postmaster restarts every session.

// autoBudgetShare is the share of the memory available to the server that a training may
// use when pgml.training_memory_limit is 0 (automatic): other backends keep the rest.
const autoBudgetShare = 0.5

// explicitBudgetCeiling bounds an explicit pgml.training_memory_limit by what is available
// now: a limit above the machine's free memory would only move the failure to the OOM killer.
const explicitBudgetCeiling = 0.9

// MemoryBudget is the bytes one training may allocate, and where that figure comes from.
type MemoryBudget struct {
	Bytes  int64
	Origin string // for messages: "pgml.training_memory_limit = 512MB" or the automatic rule
}

// trainingBudget applies pgml.training_memory_limit to the memory available to the server.
func (sess *Session) trainingBudget() MemoryBudget {
	available, where := availableMemory()
	if limit := sess.Settings.TrainingMemoryLimit; limit > 0 {
		if ceiling := int64(float64(available) * explicitBudgetCeiling); ceiling < limit {
			return MemoryBudget{ceiling, fmt.Sprintf("%.0f%% of the %s available %s (pgml.training_memory_limit = %s is higher)",
				explicitBudgetCeiling*100, FormatBytes(available), where, FormatBytes(limit))}
		}
		return MemoryBudget{limit, "pgml.training_memory_limit = " + FormatBytes(limit)}
	}
	return MemoryBudget{int64(float64(available) * autoBudgetShare),
		fmt.Sprintf("%.0f%% of the %s available %s (pgml.training_memory_limit = 0: automatic)", autoBudgetShare*100, FormatBytes(available), where)}
}

// availableMemory is what the server may still allocate: the memory cgroup's limit minus
// its working set when the backend runs under a limit, else MemAvailable.
func availableMemory() (int64, string) {
	host := meminfo("MemAvailable")
	if limit, used, ok := cgroupMemory(); ok {
		free := max(limit-used, 0)
		if host <= 0 || free < host {
			return free, "in the server's memory cgroup"
		}
	}
	if host <= 0 {
		// /proc is unreadable: assume a small machine rather than an unbounded one.
		return 1 << 30, "(unknown: /proc/meminfo unreadable, 1GB assumed)"
	}
	return host, "on this machine"
}

func meminfo(key string) int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) >= 2 && fields[0] == key+":" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// cgroupMemory returns the memory limit of this process's cgroup and its working set
// (usage without the inactive file cache, which the kernel reclaims before it kills).
func cgroupMemory() (limit, used int64, ok bool) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0, 0, false
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "": // cgroup v2
			dir := filepath.Join("/sys/fs/cgroup", parts[2])
			limit = readNumber(filepath.Join(dir, "memory.max"))
			used = readNumber(filepath.Join(dir, "memory.current")) - statField(filepath.Join(dir, "memory.stat"), "inactive_file")
		case containsWord(parts[1], "memory"): // cgroup v1
			dir := filepath.Join("/sys/fs/cgroup/memory", parts[2])
			limit = readNumber(filepath.Join(dir, "memory.limit_in_bytes"))
			used = readNumber(filepath.Join(dir, "memory.usage_in_bytes")) - statField(filepath.Join(dir, "memory.stat"), "total_inactive_file")
		default:
			continue
		}
		// "max" (v2) reads as 0; v1 says "no limit" with a huge number.
		if limit > 0 && limit < 1<<60 {
			return limit, max(used, 0), true
		}
	}
	return 0, 0, false
}

func containsWord(list, word string) bool {
	for _, w := range strings.Split(list, ",") {
		if w == word {
			return true
		}
	}
	return false
}

func readNumber(path string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func statField(path, key string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && k == key {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// FormatBytes writes a size as PostgreSQL's memory settings do (kB, MB, GB, TB).
func FormatBytes(b int64) string {
	units := []string{"bytes", "kB", "MB", "GB", "TB"}
	v := float64(b)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d bytes", b)
	}
	if v >= 100 || v == math.Trunc(v) {
		return fmt.Sprintf("%.0f%s", v, units[i])
	}
	return fmt.Sprintf("%.1f%s", v, units[i])
}
