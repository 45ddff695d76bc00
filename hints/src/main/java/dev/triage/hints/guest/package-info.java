/**
 * Classes for guests that send none: {@link dev.triage.hints.guest.GuestClassifier} watches the
 * block writes of one virtual disk, recognises an ext4 file system on it, follows its
 * structures as the guest writes them, and tags each request with the DSS class of the blocks
 * it touches, so that the policy file's classifier treats an unmodified guest's metadata and
 * journal as such.
 */
package dev.triage.hints.guest;
