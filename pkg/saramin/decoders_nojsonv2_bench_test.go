//go:build !goexperiment.jsonv2

package saramin

// stdlibDecoders is empty without GOEXPERIMENT=jsonv2.
var stdlibDecoders []struct {
	name string
	walk func(data []byte) int
}
