package duckdb

import (
	"fmt"
	"os"
	"syscall"
)

// AllocatorConfEnv configures DuckDB's allocator (jemalloc, on Linux). It
// is read once, as the process starts, before main: setting it later
// changes nothing.
const AllocatorConfEnv = "DUCKDB_JE_MALLOC_CONF"

// ReturnFreedConf makes DuckDB's allocator return freed memory to the
// system at once, rather than keep it resident for about ten seconds in
// case it is needed again: a job's peak RSS then follows what DuckDB
// holds rather than everything it held lately.
const ReturnFreedConf = "dirty_decay_ms:0,muzzy_decay_ms:0"

// ExecReturningFreed runs the program again, in place (execve of
// /proc/self/exe with the same arguments), with AllocatorConfEnv set to
// ReturnFreedConf, unless the environment already sets AllocatorConfEnv
// (to anything). Call it first thing in main, before any work; it returns
// only if the environment had it (nil) or exec failed.
func ExecReturningFreed() error {
	if _, set := os.LookupEnv(AllocatorConfEnv); set {
		return nil
	}
	env := append(os.Environ(), AllocatorConfEnv+"="+ReturnFreedConf)
	if err := syscall.Exec("/proc/self/exe", os.Args, env); err != nil {
		return fmt.Errorf("duckdb: exec with %s: %w", AllocatorConfEnv, err)
	}
	return nil
}
