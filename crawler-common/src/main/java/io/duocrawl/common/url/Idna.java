package io.duocrawl.common.url;

import com.ibm.icu.text.IDNA;
import java.util.EnumSet;
import java.util.Set;

/**
 * The WHATWG URL Standard's "domain to ASCII": UTS #46 processing with {@code CheckHyphens} false,
 * {@code CheckBidi} and {@code CheckJoiners} true, {@code UseSTD3ASCIIRules} false, {@code
 * Transitional_Processing} false and {@code VerifyDnsLength} false, done by ICU4J. Not {@link
 * java.net.IDN}: that is IDNA2003 on Unicode 3.2, where {@code faß.de} maps to {@code fass.de},
 * another registered domain.
 */
final class Idna {
  private static final IDNA UTS46 =
      IDNA.getUTS46Instance(
          IDNA.NONTRANSITIONAL_TO_ASCII
              | IDNA.NONTRANSITIONAL_TO_UNICODE
              | IDNA.CHECK_BIDI
              | IDNA.CHECK_CONTEXTJ);

  /**
   * The errors ICU reports that the URL Standard's settings switch off: hyphen rules
   * (CheckHyphens=false) and DNS lengths (VerifyDnsLength=false). {@link Hosts} applies its own
   * length and empty-label rules after this.
   */
  private static final Set<IDNA.Error> IGNORED =
      EnumSet.of(
          IDNA.Error.LEADING_HYPHEN,
          IDNA.Error.TRAILING_HYPHEN,
          IDNA.Error.HYPHEN_3_4,
          IDNA.Error.EMPTY_LABEL,
          IDNA.Error.LABEL_TOO_LONG,
          IDNA.Error.DOMAIN_NAME_TOO_LONG);

  private Idna() {}

  /**
   * The ASCII form of a domain that has non-ASCII characters or an {@code xn--} label.
   *
   * @throws UrlSyntaxException when UTS #46 finds an error that the URL Standard does not ignore
   */
  static String toAscii(String domain) throws UrlSyntaxException {
    StringBuilder out = new StringBuilder(domain.length() + 16);
    IDNA.Info info = new IDNA.Info();
    UTS46.nameToASCII(domain, out, info);
    for (IDNA.Error error : info.getErrors()) {
      if (!IGNORED.contains(error)) {
        throw UrlSyntaxException.malformed("invalid international host name: " + error);
      }
    }
    if (out.isEmpty()) {
      throw UrlSyntaxException.malformed("empty host after IDNA mapping");
    }
    return out.toString();
  }
}
