package io.duocrawl.common.url;

import crawlercommons.domains.EffectiveTldFinder;

/**
 * The registrable domain of a host ("eTLD+1") from the Public Suffix List bundled with
 * crawler-commons, private section included: {@code alice.github.io} and {@code bob.github.io}
 * belong to different people, so they are different sites.
 */
final class RegistrableDomains {
  private RegistrableDomains() {}

  /**
   * {@code www.example.co.uk} → {@code example.co.uk}. An IP address, {@code localhost}, or a host
   * that is itself a public suffix is its own domain; a host under a suffix the list does not know
   * ({@code www.site.test}) takes its last two labels, the list's default rule {@code *}.
   *
   * @param host a canonical host name (lower case, ASCII)
   */
  static String of(String host) {
    if (Hosts.isIpLiteral(host) || host.equals("localhost")) {
      return host;
    }
    String domain = EffectiveTldFinder.getAssignedDomain(host, true, false);
    if (domain != null) {
      return domain;
    }
    if (EffectiveTldFinder.getEffectiveTLD(host) != null) {
      return host; // the host is a public suffix itself
    }
    int last = host.lastIndexOf('.');
    int secondLast = last < 0 ? -1 : host.lastIndexOf('.', last - 1);
    return secondLast < 0 ? host : host.substring(secondLast + 1);
  }
}
