/**
 * File-level sync between andock hub and a device: the device receives only the file contents it does not hold.
 *
 * <h2>Terms</h2>
 * A layer's <em>file index</em> lists its entries (path, type, mode, owner, size, content sha256); its
 * <em>recipe</em> ({@link io.andock.sync.TarRecipe}) rebuilds the uncompressed tar byte for byte from literal bytes
 * and content references. Both are made once per layer on the hub by {@link io.andock.sync.TarScanner}; a layer it
 * cannot describe (sparse entries, a broken header) is served whole. A <em>pack</em> ({@link io.andock.sync.SyncPack})
 * is what one device receives for one layer: the recipe, a table, and each missing content once, whole (deflate,
 * zstd above 16 MiB) or
 * as a {@link io.andock.sync.BinaryDelta} against the version the device holds at the same path.
 *
 * <h2>Protocol</h2> (the hub's side: {@code io.andock.hub.sync.SyncService}; the requests:
 * {@code io.andock.registry.HubSync})
 * <ol>
 *   <li>{@code GET /v2/_andock/sync}: discovery. Anything but {@code 200 {"sync":1}} means a plain pull.</li>
 *   <li>{@code POST /v2/_andock/sync/<repo>/plan} {@code {"layer", "have": [diff_id…], "need": [sha256…]}}: the
 *       diff_ids of the layers the device has unpacked (the hub resolves them to its indexes); {@code need} only
 *       on a second round, for contents the hub thought held that the device lacks. Answer
 *       {@code {"pack", "size"}} or {@code {"whole": true}}.</li>
 *   <li>{@code GET /v2/_andock/sync/<repo>/packs/<digest>}, with {@code Range} to resume.</li>
 * </ol>
 *
 * <h2>Who checks what</h2>
 * The device ({@link io.andock.sync.LayerSync}) trusts nothing the hub says: the pack must have the digest it is
 * named by (the transfer), every content the sha256 the recipe names (read back from the device's own files too:
 * {@link io.andock.sync.HeldFiles}), and the rebuilt tar ({@link io.andock.sync.RebuiltTar}, made as the
 * snapshotter's hardened applier reads it) the diff_id the image config names: the stream fails instead of ending
 * otherwise, and the applier writes into a staging directory that becomes a snapshot only once the diff_id matches.
 * A recipe's paths are inside its literal headers and are never used by the device to write: a lie there changes
 * the tar's sha256 (or the applier refuses the entry). Every count and size read is bounded.
 */
package io.andock.sync;
