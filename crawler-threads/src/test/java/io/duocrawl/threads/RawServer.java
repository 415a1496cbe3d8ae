package io.duocrawl.threads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 that hands each request to a handler writing raw bytes, so
 * tests can produce what a well-behaved server never sends: resets, garbage, broken chunks, bodies
 * that never end. One request per connection; every connection is served on a virtual thread.
 */
final class RawServer implements AutoCloseable {
  /** Writes the response for one request, or misbehaves. */
  @FunctionalInterface
  interface Handler {
    void handle(String requestHead, Socket socket) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final Handler handler;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private RawServer(Handler handler) throws IOException {
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.handler = handler;
    this.acceptor = Thread.ofVirtual().name("raw-server-accept").start(this::accept);
  }

  static RawServer start(Handler handler) throws IOException {
    return new RawServer(handler);
  }

  /** A response with a body and {@code Connection: close}. */
  static void respond(Socket socket, int status, String contentType, byte[] body)
      throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 "
                + status
                + " X\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** The request heads received, in order. */
  List<String> requests() {
    return requests;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().name("raw-server-conn").start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      String head = readHead(socket.getInputStream());
      requests.add(head);
      handler.handle(head, socket);
    } catch (IOException e) {
      // The client went away, which is what several tests provoke.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
