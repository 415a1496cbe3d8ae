package io.duocrawl.warc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.netpreserve.jwarc.WarcCaptureRecord;
import org.netpreserve.jwarc.WarcDigest;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * One record of a WARC file as read back by jwarc, with its digests checked: what tests and tools
 * look at without holding jwarc's streaming records open.
 *
 * @param type the WARC-Type, {@code warcinfo}, {@code request} or {@code response}
 * @param id the WARC-Record-ID
 * @param target the WARC-Target-URI; empty for warcinfo
 * @param date the WARC-Date
 * @param ipAddress the WARC-IP-Address as text; empty when absent
 * @param concurrentTo the WARC-Concurrent-To ids
 * @param truncated the WARC-Truncated reason, {@code NOT_TRUNCATED} when absent
 * @param httpStatus the HTTP status of a response, 0 otherwise
 * @param httpTarget the request target of a request ({@code /path?query}), empty otherwise
 * @param httpHeaders the HTTP headers of a request or response, names as written
 * @param payload the HTTP body of a response, empty otherwise
 */
public record ArchivedRecord(
    String type,
    URI id,
    String target,
    Instant date,
    String ipAddress,
    List<URI> concurrentTo,
    WarcTruncationReason truncated,
    int httpStatus,
    String httpTarget,
    Map<String, List<String>> httpHeaders,
    byte[] payload) {

  /**
   * Reads every record of {@code files}, in order, and checks each block digest and each response's
   * payload digest against the bytes.
   *
   * @throws IllegalStateException when a digest does not match, naming the record
   * @throws UncheckedIOException when a file cannot be read
   */
  public static List<ArchivedRecord> readAll(List<Path> files) {
    List<ArchivedRecord> records = new ArrayList<>();
    for (Path file : files) {
      try (WarcReader reader = new WarcReader(file)) {
        reader.calculateBlockDigest();
        for (WarcRecord record : reader) {
          records.add(read(file, record));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(records);
  }

  private static ArchivedRecord read(Path file, WarcRecord record) throws IOException {
    String target = "";
    String ip = "";
    List<URI> concurrent = List.of();
    if (record instanceof WarcCaptureRecord capture) {
      target = capture.target();
      ip = capture.ipAddress().map(a -> a.getHostAddress()).orElse("");
      concurrent = capture.concurrentTo();
    }
    int status = 0;
    String httpTarget = "";
    Map<String, List<String>> headers = Map.of();
    byte[] payload = new byte[0];
    if (record instanceof WarcResponse response) {
      var http = response.http();
      status = http.status();
      headers = http.headers().map();
      payload = http.body().stream().readAllBytes();
      Optional<WarcDigest> declared = response.payloadDigest();
      if (declared.isEmpty() || !declared.get().equals(sha1(payload))) {
        throw new IllegalStateException(
            "payload digest mismatch in " + file + " for " + record.id() + ": " + declared);
      }
    } else if (record instanceof WarcRequest request) {
      var http = request.http();
      httpTarget = http.target();
      headers = http.headers().map();
      http.body().stream().readAllBytes();
    } else {
      record.body().stream().readAllBytes();
    }
    Optional<WarcDigest> calculated = record.calculatedBlockDigest();
    if (record.blockDigest().isPresent() && !record.blockDigest().equals(calculated)) {
      throw new IllegalStateException(
          "block digest mismatch in " + file + " for " + record.id() + ": " + record.blockDigest());
    }
    return new ArchivedRecord(
        record.type(),
        record.id(),
        target,
        record.date(),
        ip,
        concurrent,
        record.truncated(),
        status,
        httpTarget,
        headers,
        payload);
  }

  /** The sha1 digest of {@code bytes}. */
  private static WarcDigest sha1(byte[] bytes) {
    try {
      return new WarcDigest("sha1", MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  /** The first value of HTTP header {@code name}, case-insensitively. */
  public Optional<String> httpHeader(String name) {
    for (Map.Entry<String, List<String>> header : httpHeaders.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return Optional.of(header.getValue().get(0));
      }
    }
    return Optional.empty();
  }
}
