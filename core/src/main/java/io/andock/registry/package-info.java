/**
 * The registry client: Docker Registry HTTP API v2 / OCI distribution spec, pull and push.
 *
 * <p>It reads like the protocol. Public: {@link io.andock.registry.RegistryClient} (the actions),
 * {@link io.andock.registry.RegistryImageSource} (a reference as an {@code ImageSource}),
 * {@link io.andock.registry.RegistryDestination} (a reference as an {@code ImageDestination}: push), with
 * {@link io.andock.registry.PushOptions} and {@link io.andock.registry.BlobOrigins} (mount hints),
 * {@link io.andock.registry.RegistryOptions}, {@link io.andock.registry.CredentialStore} and
 * {@link io.andock.registry.Credentials}. Inside, one class per registry action — {@code Pinger} ({@code GET /v2/}),
 * {@code ManifestPuller}, {@code BlobPuller} (+ {@code ResumingInputStream}), {@code BlobChecker} (HEAD),
 * {@code TagLister} — each building a {@code RegistryRequest} and reading its response; everything else happens
 * once, in {@code RegistryTransport}: the endpoint list ({@code Endpoint}: mirrors, then the registry; loopback
 * over plain HTTP, insecure registries HTTPS then HTTP), the 401 → {@code Authenticator.refresh} → retry-once,
 * retries with {@code Backoff} (idempotent requests only), redirects, streamed request bodies. Push adds
 * {@code BlobMounter} (cross-repo mount), {@code BlobUploader} (POST, then PUT or PATCH…PUT, over an
 * {@code UploadSession}; {@code UploadStream} is one request's body) and {@code ManifestPusher}, all with the
 * {@code repository:NAME:pull,push} scope (a mount adds {@code repository:FROM:pull} to the same token request).
 *
 * <p>Who verifies what: a manifest's bytes are hashed here and must match a pinned digest (the
 * {@code Docker-Content-Digest} header is ignored); blobs are not hashed here — the copy verifies while it streams.
 * On push, the registry's {@code Docker-Content-Digest} must match ours, and its {@code DIGEST_INVALID} is CORRUPT.
 */
package io.andock.registry;
