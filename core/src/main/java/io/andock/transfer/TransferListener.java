package io.andock.transfer;

/**
 * Progress of a copy, for the CLI's bars and the API's JSON progress stream. Called from download threads;
 * implementations must be thread-safe and cheap.
 *
 * <p>{@code id} is the short form of a blob's digest (12 hex digits, as Docker shows layer IDs).
 */
public interface TransferListener {

    /** A status line: "Pulling fs layer", "Already exists", "Verifying Checksum", "Download complete", "Pull complete", "Extracting"... */
    default void status(String id, String status) {
    }

    /** Bytes moved so far of {@code total} (total -1 when unknown). */
    default void progress(String id, String action, long current, long total) {
    }

    /** A message not tied to a layer ("Digest: sha256:…", "Status: Downloaded newer image for …"). */
    default void message(String text) {
    }

    TransferListener NONE = new TransferListener() {
    };
}
