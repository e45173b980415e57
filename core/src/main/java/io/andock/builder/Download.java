package io.andock.builder;

import io.andock.AndockException;
import io.andock.registry.IdleTimeoutInputStream;
import io.andock.registry.RegistryOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ADD of a URL: one HTTP GET (redirects followed) to a file; the headers must come within a minute, and the body may
 * pause at most {@link RegistryOptions#DEFAULT_READ_TIMEOUT} between bytes ({@link IdleTimeoutInputStream}).
 */
final class Download {
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);

    private Download() {
    }

    /** Downloads {@code url} to {@code file}; returns the {@code Last-Modified} header or null. */
    static String get(String url, Path file) {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try {
            URI uri = URI.create(url);
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).timeout(HEADERS_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = new IdleTimeoutInputStream(r.body(), RegistryOptions.DEFAULT_READ_TIMEOUT,
                    r.uri().getRawAuthority())) {
                if (r.statusCode() / 100 != 2) {
                    throw new AndockException(AndockException.Kind.UNAVAILABLE, "ADD " + url + ": HTTP " + r.statusCode());
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return r.headers().firstValue("Last-Modified").orElse(null);
        } catch (IOException e) {
            throw AndockException.wrap("ADD " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "ADD " + url + ": interrupted");
        } catch (IllegalArgumentException e) {
            throw AndockException.invalid("ADD " + url + ": " + e.getMessage());
        }
    }

    static Instant parseHttpDate(String s) {
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
