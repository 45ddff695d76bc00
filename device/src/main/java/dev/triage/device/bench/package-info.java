/** Command-line drivers for the benchmarks in bench/ (not used by the library). */
package dev.triage.device.bench;
