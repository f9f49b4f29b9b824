// Package modelfile is the versioned binary format of fitted models.
//
// A model file is
//
//	magic    8 bytes "PGMLMODL"
//	version  uint16
//	name     uint16 length, then that many bytes of algorithm name
//	task     uint8 (algorithms.Task)
//	payload  algorithm specific, to the end of the file
//
// with every number little-endian. Payloads are written with Encoder and read
// with Decoder, whose length checks make truncated or corrupt input an error
// rather than a panic or a huge allocation.
package modelfile
