/**
 * andock's engine. Packages, values first: {@code json}, {@code image} (references, manifests, platforms; no I/O),
 * {@code content} (blob store), {@code registry} (distribution client), {@code snapshot} (layer application),
 * {@code transfer} (the one copy algorithm between image sources and destinations), {@code os} (host programs,
 * /proc, signals), {@code container} (what a container is, on disk), {@code driver} (chroot, proot, oci),
 * {@code task} (running containers), {@code net}, {@code engine} (the facade both front ends call). Dependencies point one way, from values to services to front ends.
 */
package io.andock;
