package io.duocrawl.common.url;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link UrlRewriter} removing query parameters whose names match: {@code utm_*} (a trailing
 * {@code *} matches any suffix) or an exact name, compared case-insensitively. Parameter order and
 * the other parameters' spelling are kept; a query left empty goes with its {@code ?}. Path
 * parameters such as {@code ;jsessionid=…} are removed too when their name matches.
 *
 * <pre>{@code
 * UrlRewriter strip = UrlRewriter.stripParams(List.of("utm_*", "sessionid"));
 * strip.rewrite("http://a.test/p?id=3&utm_source=x&sessionid=9"); // "http://a.test/p?id=3"
 * }</pre>
 *
 * @param names the patterns, as given; none blank, {@code *} only at the end
 */
public record StripParams(List<String> names) implements UrlRewriter {
  /** Validates and copies; a message names the bad pattern. */
  public StripParams {
    names = List.copyOf(Objects.requireNonNull(names, "names"));
    for (String name : names) {
      if (name.isBlank() || name.indexOf('*') >= 0 && name.indexOf('*') != name.length() - 1) {
        throw new IllegalArgumentException(
            "stripParams holds an invalid name '" + name + "': not blank, '*' only at the end");
      }
    }
  }

  @Override
  public String rewrite(String url) {
    int hash = url.indexOf('#');
    String fragment = hash >= 0 ? url.substring(hash) : "";
    String rest = hash >= 0 ? url.substring(0, hash) : url;
    int q = rest.indexOf('?');
    String path = q >= 0 ? rest.substring(0, q) : rest;
    String query = q >= 0 ? rest.substring(q + 1) : null;
    String newPath = stripPathParams(path);
    String newQuery = query == null ? null : stripQuery(query);
    if (newPath.equals(path) && Objects.equals(newQuery, query)) {
      return url;
    }
    return newPath + (newQuery == null || newQuery.isEmpty() ? "" : "?" + newQuery) + fragment;
  }

  private String stripQuery(String query) {
    List<String> kept = new ArrayList<>();
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq >= 0 ? pair.substring(0, eq) : pair;
      if (!matches(name)) {
        kept.add(pair);
      }
    }
    return String.join("&", kept);
  }

  private String stripPathParams(String url) {
    int authority = url.indexOf("://");
    int pathStart = url.indexOf('/', authority < 0 ? 0 : authority + 3);
    if (pathStart < 0 || url.indexOf(';', pathStart) < 0) {
      return url;
    }
    StringBuilder out = new StringBuilder(url.length()).append(url, 0, pathStart);
    for (String segment : url.substring(pathStart + 1).split("/", -1)) {
      String[] parts = segment.split(";", -1);
      out.append('/').append(parts[0]);
      for (int i = 1; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        if (!matches(eq >= 0 ? parts[i].substring(0, eq) : parts[i])) {
          out.append(';').append(parts[i]);
        }
      }
    }
    return out.toString();
  }

  private boolean matches(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String pattern : names) {
      String p = pattern.toLowerCase(Locale.ROOT);
      if (p.endsWith("*") ? lower.startsWith(p.substring(0, p.length() - 1)) : lower.equals(p)) {
        return true;
      }
    }
    return false;
  }
}
