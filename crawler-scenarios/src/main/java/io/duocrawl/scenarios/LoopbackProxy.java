package io.duocrawl.scenarios;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on loopback, for the proxy scenarios: a {@code CONNECT host:port} request
 * gets a tunnel, an absolute-form request ({@code GET http://host:port/path}) is passed to its
 * origin as it is; either way the bytes are then piped both ways until a side closes. Records each
 * connection's first request line. Targets must be loopback addresses.
 */
final class LoopbackProxy implements AutoCloseable {
  private final ServerSocket server;
  private final List<String> requestLines = new CopyOnWriteArrayList<>();

  private LoopbackProxy() throws IOException {
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("loopback-proxy-accept").start(this::accept);
  }

  static LoopbackProxy start() throws IOException {
    return new LoopbackProxy();
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * The first request line of each connection, in order: {@code CONNECT …} or {@code GET http…}.
   */
  List<String> requestLines() {
    return requestLines;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().name("loopback-proxy-conn").start(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      String line = head.lines().findFirst().orElse("");
      requestLines.add(line);
      String[] parts = line.split(" ");
      if (parts.length < 3) {
        return;
      }
      boolean connect = parts[0].equals("CONNECT");
      String authority = connect ? parts[1] : URI.create(parts[1]).getRawAuthority();
      int colon = authority.lastIndexOf(':');
      String host = authority.substring(0, colon);
      InetAddress address = InetAddress.getByName(host);
      if (!address.isLoopbackAddress()) {
        return;
      }
      try (Socket origin = new Socket(address, Integer.parseInt(authority.substring(colon + 1)))) {
        OutputStream toClient = client.getOutputStream();
        if (connect) {
          toClient.write(
              "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          toClient.flush();
        } else {
          origin.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        }
        Thread up =
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        in.transferTo(origin.getOutputStream());
                        origin.shutdownOutput();
                      } catch (IOException e) {
                        // One side went away; the other copy ends too.
                      }
                    });
        origin.getInputStream().transferTo(toClient);
        client.shutdownOutput();
        up.join();
      }
    } catch (IOException | RuntimeException e) {
      // A client or origin that hung up: nothing to serve any more.
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
  }
}
