package warehouse

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// BatchKey names a batch of objects in staging.indicator_loads, the same
// in both warehouses: the first 8 bytes of the SHA-256 of the objects
// joined by newlines, in hex.
func BatchKey(objects []string) string {
	h := sha256.Sum256([]byte(strings.Join(objects, "\n")))
	return hex.EncodeToString(h[:8])
}
