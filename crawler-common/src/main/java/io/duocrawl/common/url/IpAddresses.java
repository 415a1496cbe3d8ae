package io.duocrawl.common.url;

/**
 * The IPv4 and IPv6 host parsers and serializers of the WHATWG URL Standard (sections 3.5 and 3.6):
 * {@code 0x7f.1}, {@code 2130706433} and {@code 0177.0.0.1} are all {@code 127.0.0.1}, and {@code
 * [0:0::1]} is {@code [::1]}, so that each address has one key.
 */
final class IpAddresses {
  private IpAddresses() {}

  /**
   * Whether a lower-case ASCII domain "ends in a number" and must therefore parse as IPv4: its last
   * label (a trailing empty one aside) is all digits, or {@code 0x} and hex digits.
   */
  static boolean endsInNumber(String domain) {
    int end = domain.length();
    if (end > 0 && domain.charAt(end - 1) == '.') {
      if (end == 1) {
        return false;
      }
      end--;
    }
    int start = domain.lastIndexOf('.', end - 1) + 1;
    if (start == end) {
      return false;
    }
    boolean digits = true;
    for (int i = start; i < end; i++) {
      char c = domain.charAt(i);
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
    }
    return digits || ipv4Number(domain, start, end) >= 0;
  }

  /**
   * The dotted-decimal form of an IPv4 host in any of the forms browsers accept: one to four parts,
   * each decimal, octal (leading {@code 0}) or hex ({@code 0x}), the last part filling the
   * remaining bytes.
   *
   * @throws UrlSyntaxException if it is not such an address
   */
  static String ipv4(String host) throws UrlSyntaxException {
    int end = host.length();
    if (end > 1 && host.charAt(end - 1) == '.') {
      end--; // "1.2.3.4." is 1.2.3.4
    }
    long[] numbers = new long[4];
    int count = 0;
    int start = 0;
    while (true) {
      int dot = host.indexOf('.', start);
      int partEnd = dot < 0 || dot >= end ? end : dot;
      if (count == 4) {
        throw UrlSyntaxException.malformed("IPv4 address with more than four parts");
      }
      long n = ipv4Number(host, start, partEnd);
      if (n < 0) {
        throw UrlSyntaxException.malformed("bad IPv4 address part");
      }
      numbers[count++] = n;
      if (partEnd == end) {
        break;
      }
      start = partEnd + 1;
    }
    for (int i = 0; i < count - 1; i++) {
      if (numbers[i] > 255) {
        throw UrlSyntaxException.malformed("IPv4 address part above 255");
      }
    }
    long last = numbers[count - 1];
    if (last >= 1L << (8 * (5 - count))) {
      throw UrlSyntaxException.malformed("IPv4 address out of range");
    }
    long address = last;
    for (int i = 0; i < count - 1; i++) {
      address += numbers[i] << (8 * (3 - i));
    }
    return (address >> 24)
        + "."
        + ((address >> 16) & 0xFF)
        + "."
        + ((address >> 8) & 0xFF)
        + "."
        + (address & 0xFF);
  }

  /**
   * One IPv4 part {@code s[from, to)} as a number, or -1 when it is not one. Values are capped just
   * above 2^32, which every caller rejects anyway, so that long inputs cannot overflow.
   */
  private static long ipv4Number(String s, int from, int to) {
    if (from == to) {
      return -1;
    }
    int radix = 10;
    if (to - from >= 2 && s.charAt(from) == '0' && (s.charAt(from + 1) | 0x20) == 'x') {
      radix = 16;
      from += 2;
    } else if (to - from >= 2 && s.charAt(from) == '0') {
      radix = 8;
      from++;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(s.charAt(i), radix);
      if (d < 0 || s.charAt(i) >= 0x80) {
        return -1;
      }
      value = Math.min(value * radix + d, 1L << 33);
    }
    return value;
  }

  /**
   * The canonical form of an IPv6 literal {@code [..]}: lower-case hex without leading zeros, the
   * first longest run of two or more zero pieces written {@code ::}, an embedded IPv4 tail written
   * in hex.
   *
   * @param literal the host with its brackets
   * @throws UrlSyntaxException if it is not an IPv6 address (zone ids included)
   */
  static String ipv6(String literal) throws UrlSyntaxException {
    int[] address = parseIpv6(literal, 1, literal.length() - 1);
    int compressStart = -1;
    int compressLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && address[j] == 0) {
        j++;
      }
      if (j - i > compressLength) {
        compressStart = i;
        compressLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder(41).append('[');
    for (int i = 0; i < 8; i++) {
      if (i == compressStart) {
        out.append(i == 0 ? "::" : ":");
        i += compressLength - 1;
        continue;
      }
      out.append(Integer.toHexString(address[i]));
      if (i < 7) {
        out.append(':');
      }
    }
    return out.append(']').toString();
  }

  private static int[] parseIpv6(String s, int from, int to) throws UrlSyntaxException {
    int[] address = new int[8];
    int piece = 0;
    int compress = -1;
    int p = from;
    if (p < to && s.charAt(p) == ':') {
      if (p + 1 >= to || s.charAt(p + 1) != ':') {
        throw bad();
      }
      p += 2;
      compress = ++piece;
    }
    while (p < to) {
      if (piece == 8) {
        throw bad();
      }
      if (s.charAt(p) == ':') {
        if (compress >= 0) {
          throw bad();
        }
        p++;
        compress = ++piece;
        continue;
      }
      int value = 0;
      int length = 0;
      while (length < 4 && p < to && PercentEncoding.hexValue(s.charAt(p)) >= 0) {
        value = value * 16 + PercentEncoding.hexValue(s.charAt(p));
        p++;
        length++;
      }
      if (p < to && s.charAt(p) == '.') {
        if (length == 0 || piece > 6) {
          throw bad();
        }
        parseIpv4Tail(s, p - length, to, address, piece);
        piece += 2;
        p = to;
        break;
      }
      if (p < to && s.charAt(p) == ':') {
        p++;
        if (p == to) {
          throw bad();
        }
      } else if (p < to) {
        throw bad();
      }
      address[piece++] = value;
    }
    if (compress >= 0) {
      int swaps = piece - compress;
      piece = 7;
      while (piece != 0 && swaps > 0) {
        int t = address[piece];
        address[piece] = address[compress + swaps - 1];
        address[compress + swaps - 1] = t;
        piece--;
        swaps--;
      }
    } else if (piece != 8) {
      throw bad();
    }
    return address;
  }

  private static void parseIpv4Tail(String s, int p, int to, int[] address, int piece)
      throws UrlSyntaxException {
    int numbersSeen = 0;
    while (p < to) {
      if (numbersSeen > 0) {
        if (s.charAt(p) == '.' && numbersSeen < 4) {
          p++;
        } else {
          throw bad();
        }
      }
      if (p >= to || s.charAt(p) < '0' || s.charAt(p) > '9') {
        throw bad();
      }
      int value = -1;
      while (p < to && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
        int d = s.charAt(p) - '0';
        if (value == 0) {
          throw bad(); // a leading zero
        }
        value = value < 0 ? d : value * 10 + d;
        if (value > 255) {
          throw bad();
        }
        p++;
      }
      address[piece] = address[piece] * 0x100 + value;
      numbersSeen++;
      if (numbersSeen == 2 || numbersSeen == 4) {
        piece++;
      }
    }
    if (numbersSeen != 4) {
      throw bad();
    }
  }

  private static UrlSyntaxException bad() {
    return UrlSyntaxException.malformed("bad IPv6 literal");
  }
}
