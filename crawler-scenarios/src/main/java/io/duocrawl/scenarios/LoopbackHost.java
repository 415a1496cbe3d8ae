package io.duocrawl.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small scripted HTTP/1.1 server bound to one loopback address ({@code 127.0.0.2}, {@code
 * 127.0.0.3}, …), so that a scenario can have several distinct hosts: each path answers what the
 * script says for its n-th request (a response, a reset, or silence), every response closes its
 * connection, and every request is logged with its arrival time. For the open-web scenarios, where
 * a host misbehaves in ways the fixture site does not model (a robots.txt that fails once, a host
 * that accepts and never answers).
 */
public final class LoopbackHost implements AutoCloseable {
  /** What a path answers to its {@code hit}-th request (0 = first). */
  @FunctionalInterface
  public interface Script {
    /** The reply to one request. */
    Reply reply(String path, int hit);
  }

  /** One reply: {@link #respond}, {@link #reset()} or {@link #silence()}. */
  public sealed interface Reply {}

  /** A whole response, then the connection closes. */
  public record Response(int status, Map<String, String> headers, byte[] body) implements Reply {}

  /** The connection is reset (RST) without a response. */
  public record Reset() implements Reply {}

  /** The connection is accepted and never answered, until the host closes. */
  public record Silence() implements Reply {}

  /** One logged request: its path and when it arrived ({@link System#nanoTime()}). */
  public record Hit(String path, long nanoTime) {}

  private final ServerSocket server;
  private final Script script;
  private final List<Hit> log = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private LoopbackHost(ServerSocket server, Script script) {
    this.server = server;
    this.script = script;
  }

  /** Starts a host on {@code address} (a loopback address) and a free port. */
  public static LoopbackHost start(String address, Script script) throws IOException {
    ServerSocket server = new ServerSocket(0, 256, InetAddress.getByName(address));
    LoopbackHost host = new LoopbackHost(server, Objects.requireNonNull(script, "script"));
    Thread.ofPlatform().daemon().name("loopback-" + address).start(host::acceptLoop);
    return host;
  }

  /** An HTML page linking to the given hrefs. */
  public static Response html(String... hrefs) {
    StringBuilder body = new StringBuilder("<html><body>");
    for (String href : hrefs) {
      body.append("<a href=\"").append(href).append("\">x</a>\n");
    }
    return respond(200, "text/html; charset=utf-8", body.append("</body></html>").toString());
  }

  /** A response with a body of the given type. */
  public static Response respond(int status, String contentType, String body) {
    return new Response(
        status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  /** A response without a body, with header name/value pairs. */
  public static Response status(int status, String... headerPairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    return new Response(status, headers, new byte[0]);
  }

  /** A connection reset. */
  public static Reply reset() {
    return new Reset();
  }

  /** No answer at all. */
  public static Reply silence() {
    return new Silence();
  }

  /** The absolute URL of {@code path} on this host, e.g. {@code http://127.0.0.2:41234/a}. */
  public String url(String path) {
    return "http://"
        + server.getInetAddress().getHostAddress()
        + ":"
        + server.getLocalPort()
        + path;
  }

  /** Every request so far, in arrival order. */
  public List<Hit> log() {
    return List.copyOf(log);
  }

  /** How many requests {@code path} received. */
  public int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  /** Requests of paths other than {@code /robots.txt}. */
  public List<Hit> pageHits() {
    List<Hit> pages = new ArrayList<>();
    for (Hit hit : log) {
      if (!hit.path().equals("/robots.txt")) {
        pages.add(hit);
      }
    }
    return pages;
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String requestLine = in.readLine();
      if (requestLine == null) {
        return;
      }
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers are not needed
      }
      String[] parts = requestLine.split(" ");
      String path = parts.length > 1 ? parts[1] : "/";
      log.add(new Hit(path, System.nanoTime()));
      int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).getAndIncrement();
      Reply reply = script.reply(path, hit);
      switch (reply) {
        case Response r -> write(socket.getOutputStream(), r);
        case Reset r -> {
          socket.setSoLinger(true, 0);
        }
        case Silence s -> closed.await();
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(socket);
    }
  }

  private static void write(OutputStream out, Response r) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.status()).append(" X\r\n");
    r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(r.body().length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(r.body());
    out.flush();
  }
}
