package dev.harp.audit.store;

/**
 * A checkpoint this node signed over its own log, as stored.
 *
 * @param note    the full signed note (checkpoint text, blank line, signature lines), cosignatures included
 * @param isFinal whether it gathered the cosignatures it needed (set by the caller; never unset)
 * @param savedAt epoch milliseconds of the last save
 */
public record StoredCheckpoint(long size, String note, boolean isFinal, long savedAt) {
}
