package io.duocrawl.common.parse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Character encodings the way browsers pick and name them, after the WHATWG Encoding Standard
 * (https://encoding.spec.whatwg.org/): every label of its table that names an encoding the JVM can
 * decode maps to that encoding, so {@code iso-8859-1}, {@code latin1}, {@code us-ascii} and {@code
 * ascii} all mean windows-1252, as they do in every browser.
 *
 * <p>Deviations, each because the JVM has no such decoder: ISO-8859-10, ISO-8859-14, ISO-8859-16
 * and x-user-defined labels are unknown here (x-user-defined from a {@code <meta>} reads as
 * windows-1252, as the standard's prescan says). GBK decodes as GB18030, Big5 as Big5-HKSCS,
 * Shift_JIS as windows-31j and EUC-KR as windows-949, which are the encodings the standard's
 * decoders implement under those names.
 */
final class Encodings {
  /** The standard's "replacement" encoding: the whole body decodes to one U+FFFD. */
  static final Charset REPLACEMENT = new ReplacementCharset();

  /** windows-1252 decoded by table: the JDK's decoder turns 0x81, 0x8D, 0x8F, 0x90, 0x9D to '?'. */
  static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private static final char[] WINDOWS_1252_TABLE = windows1252Table();

  private Encodings() {}

  /**
   * The encoding a label names, after trimming ASCII whitespace and ignoring case; empty for a
   * label the standard does not list or the JVM cannot decode.
   */
  static Optional<Charset> forLabel(String label) {
    String key = label.strip().toLowerCase(Locale.ROOT);
    return Optional.ofNullable(LABELS.get(key));
  }

  /**
   * The encoding a byte-order mark at the start of {@code body} announces, if there is one. A
   * UTF-16 mark gives Java's {@code UTF-16}, which reads the mark itself to pick the byte order.
   */
  static Optional<Charset> fromBom(byte[] body, int length) {
    if (length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
      return Optional.of(StandardCharsets.UTF_8);
    }
    if (length >= 2
        && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
            || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE))) {
      return Optional.of(StandardCharsets.UTF_16);
    }
    return Optional.empty();
  }

  /**
   * Decodes {@code body[0, length)}: malformed input becomes U+FFFD, as browsers show it; a UTF-8
   * byte-order mark is dropped.
   */
  static String decode(byte[] body, int length, Charset charset) {
    if (charset == REPLACEMENT) {
      return length == 0 ? "" : "\uFFFD";
    }
    if (charset == WINDOWS_1252) {
      return decodeWindows1252(body, length);
    }
    if (charset == StandardCharsets.UTF_8
        && length >= 3
        && body[0] == (byte) 0xEF
        && body[1] == (byte) 0xBB
        && body[2] == (byte) 0xBF) {
      return new String(body, 3, length - 3, StandardCharsets.UTF_8);
    }
    return new String(body, 0, length, charset);
  }

  private static String decodeWindows1252(byte[] body, int length) {
    int i = 0;
    while (i < length && body[i] >= 0) {
      i++;
    }
    if (i == length) {
      // Pure ASCII, the common case: the JDK's Latin-1 path copies without a per-byte lookup.
      return new String(body, 0, length, StandardCharsets.ISO_8859_1);
    }
    char[] chars = new char[length];
    for (int j = 0; j < length; j++) {
      chars[j] = WINDOWS_1252_TABLE[body[j] & 0xFF];
    }
    return new String(chars);
  }

  private static char[] windows1252Table() {
    byte[] all = new byte[256];
    for (int b = 0; b < 256; b++) {
      all[b] = (byte) b;
    }
    char[] table = new String(all, WINDOWS_1252).toCharArray();
    for (int b = 0; b < 256; b++) {
      // The five bytes windows-1252 leaves undefined decode to the C1 control of the same value.
      if (table[b] == '\uFFFD') {
        table[b] = (char) b;
      }
    }
    return table;
  }

  /**
   * The standard's label table, encoding name first, for the encodings the JVM decodes. The name
   * after {@code =} is the JVM's when it differs.
   */
  private static final String[] TABLE = {
    "UTF-8: unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "IBM866: 866 cp866 csibm866 ibm866",
    "ISO-8859-2: csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2"
        + " iso_8859-2:1987 l2 latin2",
    "ISO-8859-3: csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3"
        + " iso_8859-3:1988 l3 latin3",
    "ISO-8859-4: csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4"
        + " iso_8859-4:1988 l4 latin4",
    "ISO-8859-5: csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595"
        + " iso_8859-5 iso_8859-5:1988",
    "ISO-8859-6: arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114"
        + " iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6"
        + " iso_8859-6:1987",
    "ISO-8859-7: csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126"
        + " iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    "ISO-8859-8: csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138"
        + " iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual",
    "ISO-8859-8: csiso88598i iso-8859-8-i logical",
    "ISO-8859-13: iso-8859-13 iso8859-13 iso885913",
    "ISO-8859-15: csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "KOI8-R: cskoi8r koi koi8 koi8-r koi8_r",
    "KOI8-U: koi8-ru koi8-u",
    "x-MacRoman: csmacintosh mac macintosh x-mac-roman",
    "windows-874=x-windows-874: dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "windows-1250: cp1250 windows-1250 x-cp1250",
    "windows-1251: cp1251 windows-1251 x-cp1251",
    "windows-1252: ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100"
        + " iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252"
        + " x-cp1252",
    "windows-1253: cp1253 windows-1253 x-cp1253",
    "windows-1254: cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9"
        + " iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254",
    "windows-1255: cp1255 windows-1255 x-cp1255",
    "windows-1256: cp1256 windows-1256 x-cp1256",
    "windows-1257: cp1257 windows-1257 x-cp1257",
    "windows-1258: cp1258 windows-1258 x-cp1258",
    "x-MacCyrillic: x-mac-cyrillic x-mac-ukrainian",
    "GB18030: chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk",
    "GB18030: gb18030",
    "Big5-HKSCS: big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "EUC-JP: cseucpkdfmtjapanese euc-jp x-euc-jp",
    "ISO-2022-JP: csiso2022jp iso-2022-jp",
    "windows-31j: csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "x-windows-949: cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987"
        + " ks_c_5601-1989 ksc5601 ksc_5601 windows-949",
    "replacement: csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement",
    "UTF-16BE: unicodefffe utf-16be",
    "UTF-16LE: csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
  };

  private static final Map<String, Charset> LABELS = labels();

  private static Map<String, Charset> labels() {
    Map<String, Charset> map = new HashMap<>();
    for (String row : TABLE) {
      int colon = row.indexOf(':');
      String name = row.substring(0, colon);
      int eq = name.indexOf('=');
      String javaName = eq < 0 ? name : name.substring(eq + 1);
      Charset charset;
      if (javaName.equals("replacement")) {
        charset = REPLACEMENT;
      } else if (javaName.equals("windows-1252")) {
        charset = WINDOWS_1252;
      } else if (Charset.isSupported(javaName)) {
        charset = Charset.forName(javaName);
      } else {
        continue;
      }
      for (String label : row.substring(colon + 1).strip().split(" ")) {
        map.put(label, charset);
      }
    }
    return Map.copyOf(map);
  }

  /** A charset object only so that "replacement" can travel where a {@link Charset} does. */
  private static final class ReplacementCharset extends Charset {
    ReplacementCharset() {
      super("replacement", null);
    }

    @Override
    public boolean contains(Charset cs) {
      return false;
    }

    @Override
    public java.nio.charset.CharsetDecoder newDecoder() {
      throw new UnsupportedOperationException("replacement decodes only through Encodings");
    }

    @Override
    public java.nio.charset.CharsetEncoder newEncoder() {
      throw new UnsupportedOperationException("replacement has no encoder");
    }
  }
}
