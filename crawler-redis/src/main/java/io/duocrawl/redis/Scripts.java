package io.duocrawl.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the frontier: each bucket script is prelude.lua followed by its own file;
 * index.lua, on the crawl's global slot, stands alone.
 */
enum Scripts {
  ENQUEUE("enqueue.lua"),
  CLAIM("claim.lua"),
  COMPLETE("complete.lua"),
  RETRY("retry.lua"),
  RELEASE("release.lua"),
  HOST("host.lua"),
  RENEW("renew.lua"),
  PEEK("peek.lua"),
  INDEX("index.lua");

  private final String text;
  private final String sha;

  Scripts(String file) {
    this.text = file.equals("index.lua") ? read(file) : read("prelude.lua") + "\n" + read(file);
    this.sha = sha1(text);
  }

  /** The script's source, sent with EVAL when a node answers NOSCRIPT (then cached there). */
  String text() {
    return text;
  }

  /** The SHA-1 EVALSHA names the script by. */
  String sha() {
    return sha;
  }

  private static String read(String file) {
    try (InputStream in = Scripts.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
