package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;

/**
 * The distribution API (Docker Registry HTTP API v2, OCI distribution spec) for pulls, pushes, tags and login.
 * Each method is one registry action ({@link ManifestPuller}, {@link BlobPuller}, {@link BlobChecker},
 * {@link TagLister}, {@link Pinger}); a push is a {@link RegistryDestination} composing {@link BlobChecker},
 * {@link BlobMounter}, {@link BlobUploader} and {@link ManifestPusher}; endpoints, auth, retries and redirects
 * are the {@link RegistryTransport}'s.
 *
 * <p>Errors are {@link AndockException}s with one line and no "pull &lt;ref&gt;" prefix (the caller adds its own
 * context): NOT_FOUND {@code manifest unknown}, UNAUTHORIZED {@code pull access denied for …, repository does not
 * exist or may require 'andock login': …}, UNAVAILABLE {@code cannot connect to 127.0.0.1:5000: connection
 * refused}, CORRUPT for a manifest whose bytes do not match the pinned digest.
 *
 * <p>One instance per engine: it holds the shared HTTP client and the token cache. Thread-safe.
 */
public final class RegistryClient {
    private final RegistryOptions options;
    private final CredentialStore credentials;
    private final HttpClient http;
    private final RegistryTransport transport;

    public RegistryClient(RegistryOptions options, CredentialStore credentials) {
        this.options = options;
        this.credentials = credentials;
        this.http = RegistryTransport.newHttpClient(options);
        this.transport = new RegistryTransport(http, options,
                new Authenticator(http, options.requestTimeout(), options.readTimeout(), credentials::find));
    }

    /**
     * Stops the HTTP client's threads: a process about to exit would otherwise wait for its selector thread (see
     * {@link HttpClientShutdown}). The client is unusable afterwards.
     */
    public void close() {
        HttpClientShutdown.shutdown(http);
    }

    public RegistryOptions options() {
        return options;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    /** An image source for {@code ref}: its top manifest is the reference's tag or digest. */
    public ImageSource source(Reference ref) {
        return new RegistryImageSource(this, ref);
    }

    /**
     * A destination that pushes to {@code ref}'s repository and tags the top manifest with {@code ref}'s tag (or
     * puts it by digest when {@code ref} has only one). Pushes go to the registry itself, never to a mirror.
     */
    public RegistryDestination destination(Reference ref, PushOptions options) {
        return new RegistryDestination(this, ref, options);
    }

    public RegistryDestination destination(Reference ref) {
        return destination(ref, PushOptions.defaults());
    }

    /** {@code GET /v2/} on the registry itself: reachable, speaks v2, lets us in (anonymously or with the stored credentials). */
    public void ping(String registry) {
        String r = CredentialStore.normalize(registry);
        Pinger.ping(transport, Endpoint.origin(r, options), r);
    }

    /** The manifest or index {@code ref} names (tag or digest); checked against the digest when the reference pins one. */
    public RawManifest manifest(Reference ref) {
        return ManifestPuller.pull(transport, pullEndpoints(ref), ref, ref.tagOrDigest(), ref.digest());
    }

    /** The manifest with {@code digest} in {@code ref}'s repository (a child of an index); its bytes must match. */
    public RawManifest manifest(Reference ref, Digest digest) {
        return ManifestPuller.pull(transport, pullEndpoints(ref), ref, digest.toString(), digest);
    }

    /**
     * A blob of {@code ref}'s repository from {@code offset} on. The request is made now (a missing blob fails
     * here); a connection dropped later is resumed with {@code Range} from the bytes delivered. The caller checks
     * size and digest.
     */
    public InputStream blob(Reference ref, Descriptor blob, long offset) {
        return BlobPuller.pull(transport, pullEndpoints(ref), ref, blob, offset, options.retries());
    }

    /** Whether {@code ref}'s repository has the blob (HEAD; asks the registry itself, not its mirrors). */
    public boolean blobExists(Reference ref, Digest digest) {
        return BlobChecker.exists(transport, Endpoint.origin(ref.domain(), options), ref, digest);
    }

    /**
     * The size of a blob of {@code ref}'s repository ({@code HEAD}, through the mirrors like a pull); empty when
     * the repository lacks it. For a pull-through cache, which must know a blob's size before it fetches it.
     */
    public java.util.OptionalLong blobSize(Reference ref, Digest digest) {
        return BlobChecker.size(transport, pullEndpoints(ref), ref, digest);
    }

    /**
     * The referrers of {@code subject} in {@code ref}'s repository as the registry's image index (its bytes, and
     * whether it applied the {@code artifactType} filter); empty when the registry has no referrers API.
     */
    public Optional<Referrers> referrers(Reference ref, Digest subject, String artifactType) {
        return ReferrersLister.list(transport, pullEndpoints(ref), ref, subject, artifactType)
                .map(a -> new Referrers(a.index(), a.filtered()));
    }

    /** An image index of referrers as a registry sent it; {@code filtered}: by the artifact type asked for. */
    public record Referrers(byte[] index, boolean filtered) {}

    /** The tags of {@code ref}'s repository, in the registry's order, all pages. */
    public List<String> tags(Reference ref) {
        return TagLister.list(transport, Endpoint.origin(ref.domain(), options), ref);
    }

    /**
     * Checks {@code username}/{@code password} against the registry ({@code GET /v2/}; for token registries a token
     * request with these credentials) and saves them only when accepted. A registry without auth accepts any.
     *
     * @throws AndockException UNAUTHORIZED when refused (nothing saved), UNAVAILABLE when unreachable
     */
    public void login(String registry, String username, String password) {
        String r = CredentialStore.normalize(registry);
        Credentials c = new Credentials(username, password);
        Authenticator only = new Authenticator(http, options.requestTimeout(), options.readTimeout(),
                name -> name.equals(r) ? Optional.of(c) : Optional.empty());
        try {
            Pinger.ping(new RegistryTransport(http, options, only), Endpoint.origin(r, options), r);
        } catch (AndockException e) {
            throw e.withContext("login " + r);
        }
        credentials.save(r, c);
    }

    /** Forgets the saved credentials of {@code registry}; whether there were any (in andock's own file). */
    public boolean logout(String registry) {
        return credentials.remove(CredentialStore.normalize(registry));
    }

    // ------------------------------------------------------------------ andock hub sync (io.andock.sync)

    /** Whether {@code registry} is an andock hub that offers file-level sync. */
    public boolean syncOffered(String registry) {
        return HubSync.discover(transport, Endpoint.origin(registry, options));
    }

    /** The hub's answer (JSON) to a sync plan request for a layer of {@code ref}'s repository. */
    public byte[] syncPlan(Reference ref, byte[] request) {
        return HubSync.plan(transport, Endpoint.origin(ref.domain(), options), ref, request);
    }

    /** A sync pack of {@code ref}'s repository from {@code offset} on, resumed after drops; the caller checks it. */
    public InputStream syncPack(Reference ref, Digest pack, long size, long offset) {
        return HubSync.pack(transport, Endpoint.origin(ref.domain(), options), ref, pack, size, offset, options.retries());
    }

    RegistryTransport transport() {
        return transport;
    }

    /** The registry's own endpoints: pushes never go to mirrors. */
    List<Endpoint> pushEndpoints(Reference ref) {
        return Endpoint.origin(ref.domain(), options);
    }

    private List<Endpoint> pullEndpoints(Reference ref) {
        return Endpoint.forPull(ref.domain(), options);
    }
}
