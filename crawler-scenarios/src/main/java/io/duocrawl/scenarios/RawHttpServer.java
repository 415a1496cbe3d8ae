package io.duocrawl.scenarios;

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
import java.util.function.Function;

/**
 * A loopback HTTP server that answers every request with the raw bytes a function gives, then
 * closes the connection: for responses a well-behaved server (or WireMock) does not send, such as a
 * 20 KiB header, an HTTP/1.0 status line or a body delimited only by the close. One request per
 * connection; each connection is served on a virtual thread.
 */
final class RawHttpServer implements AutoCloseable {
  private final ServerSocket server;
  private final Function<String, byte[]> responder;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private RawHttpServer(InetAddress address, Function<String, byte[]> responder)
      throws IOException {
    this.server = new ServerSocket(0, 64, address);
    this.responder = responder;
    Thread.ofVirtual().name("raw-http-accept").start(this::accept);
  }

  /** A server on {@code address} (any 127.0.0.x) answering each request head with its bytes. */
  static RawHttpServer start(InetAddress address, Function<String, byte[]> responder)
      throws IOException {
    return new RawHttpServer(address, responder);
  }

  /** The port the server listens on. */
  int port() {
    return server.getLocalPort();
  }

  /** The request heads received, in order. */
  List<String> requests() {
    return requests;
  }

  /** {@code head} (lines joined with CRLF, a blank line added) followed by {@code body}. */
  static byte[] response(String head, byte[] body) {
    byte[] headBytes = (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().name("raw-http-conn").start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      String head = readHead(socket.getInputStream());
      requests.add(head);
      OutputStream out = socket.getOutputStream();
      out.write(responder.apply(head));
      out.flush();
      // Half-close and wait for the client to hang up, so the close comes after every byte.
      socket.shutdownOutput();
      socket.getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client went away, as it does when it stops reading an over-long body.
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
  }
}
