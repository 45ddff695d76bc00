/**
 * Virtual-time models of disks and SSDs ({@link dev.triage.device.timing.DiskModel},
 * {@link dev.triage.device.timing.SsdModel}) and {@link dev.triage.device.timing.TimedDevice}, which
 * charges their service times to a deterministic clock while another device holds the data.
 */
package dev.triage.device.timing;
