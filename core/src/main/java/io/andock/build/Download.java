package io.andock.build;

import io.andock.AndockException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ADD of a URL: one HTTP GET (redirects followed) to a file. */
final class Download {
    private Download() {
    }

    /** Downloads {@code url} to {@code file}; returns the {@code Last-Modified} header or null. */
    static String get(String url, Path file) {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<Path> r = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() / 100 != 2) {
                throw new AndockException(AndockException.Kind.UNAVAILABLE, "ADD " + url + ": HTTP " + r.statusCode());
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
