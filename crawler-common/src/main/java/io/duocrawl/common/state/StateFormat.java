package io.duocrawl.common.state;

import io.duocrawl.common.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The on-disk format of a state directory, version {@value #VERSION}: the one place that says every
 * file, record type and field. Readers reject another version with a message naming both versions.
 *
 * <h2>Files</h2>
 *
 * <pre>
 * DIR/lock                     held with FileChannel.tryLock while a process uses DIR (empty)
 * DIR/snapshot-GGGGGGGG.dcs    the state as of the start of journal GGGGGGGG (8 decimal digits)
 * DIR/journal-GGGGGGGG.dcj     what happened after that snapshot, in order
 * DIR/*.tmp                    a snapshot being written; ignored and deleted on open
 * </pre>
 *
 * The state is the newest <em>complete</em> snapshot (one whose last record is {@code END}) plus
 * every journal of its generation or later, replayed in generation order. A snapshot is written to
 * a {@code .tmp} file, forced to disk and renamed into place atomically, so it is either whole or
 * absent; older files are deleted only after a newer snapshot is in place.
 *
 * <h2>Framing (both files)</h2>
 *
 * <pre>
 * file    := magic:u32 version:u32 record*
 * record  := length:u32 crc:u32 body[length]
 * body    := type:u8 payload
 * </pre>
 *
 * All integers big-endian; {@code crc} is CRC32C of {@code body}; {@code length} is at most {@value
 * #MAX_RECORD} bytes. Journal magic {@code "DCJL"} (0x44434A4C), snapshot magic {@code "DCSN"}
 * (0x4443534E). A record whose length runs past the end of the file, or whose CRC does not match,
 * is a torn tail (a kill during a write): it and everything after it are cut, and the cut is
 * logged. Inside payloads, {@code varint} is an unsigned LEB128 integer and {@code str} is {@code
 * varint length, UTF-8 bytes}.
 *
 * <h2>Journal records</h2>
 *
 * <pre>
 * 1 ACCEPTED  depth:varint url:str hops:varint chain:str[hops]
 *             a URL the frontier accepted (written before the page that linked it is done)
 * 2 DONE      fingerprint:i64 reason:u8
 *             a URL reached its terminal outcome and its page was delivered to the listener;
 *             fingerprint = Frontier.fingerprint(url), reason = a code of the table below
 * 3 RETRY     fingerprint:i64 attempt:varint
 *             a URL was put back to be tried again; attempt is the one it will make (1 = first
 *             retry). The last RETRY of a URL not done gives its attempt on resume.
 * </pre>
 *
 * <h2>Snapshot records</h2>
 *
 * <pre>
 * 16 CONFIG   n:varint (key:str value:str)[n]      the fields a resume must not change
 * 17 COUNTS   n:varint (reason:u8 count:varint)[n] DONE URLs by reason, over all runs
 * 18 SEEN     n:varint fingerprint:i64[n]          fingerprints of URLs done (blocks of at most 8,192)
 * 19 QUEUED   n:varint (depth:varint url:str hops:varint chain:str[hops])[n]
 *                                                  URLs accepted and not done, in accept order
 * 20 END      seen:i64 queued:i64                  totals of SEEN and QUEUED; the snapshot is whole
 * 21 ATTEMPTS n:varint (fingerprint:i64 attempt:varint)[n]
 *                                                  queued URLs past their first attempt (blocks of
 *                                                  at most 8,192); a URL not listed is at attempt 0
 * </pre>
 *
 * Unknown record types are an error (the version says what a reader must understand). RETRY and
 * ATTEMPTS were added to version 1 after its first files were written: every file written before
 * reads the same (no URL is past attempt 0 in it), and a reader from before them rejects a file
 * holding one as "a record of unknown type". robots.txt rules, crawl delays, host holds and host
 * strikes are not stored: every host with queued URLs has its robots.txt fetched again, and holds
 * and strikes are rebuilt from the host's next answers.
 *
 * <h2>Generations</h2>
 *
 * A new crawl writes snapshot 1 (its CONFIG) and starts journal 1. A state directory whose newest
 * file is of generation {@code g} is resumed by starting journal {@code g+1} at once; the files up
 * to {@code g} are folded into snapshot {@code g+1} on a background thread (the resume does not
 * wait for it), and deleted once it is in place. While a crawl runs, a journal that reaches its
 * rotation size (64 MiB, or the size of the last snapshot if larger) is closed and journal {@code
 * g+2} started; the full journal is then folded, on a background thread, into snapshot {@code g+2},
 * after which the files before {@code g+2} are deleted. A kill at any point of this leaves either
 * the old snapshot and every journal after it, or the new snapshot (and perhaps older files,
 * deleted at the next open): both load to the same state.
 *
 * <h2>Reason codes</h2>
 *
 * One byte per {@link Reason}, fixed forever for this version: 0 OK, 1 REDIRECT, 2 NOT_FOUND, 3
 * HTTP_CLIENT_ERROR, 4 TOO_MANY_REQUESTS, 5 HTTP_SERVER_ERROR, 6 UNEXPECTED_STATUS, 7 UNKNOWN_HOST,
 * 8 CONNECT_FAILED, 9 CONNECT_TIMEOUT, 10 READ_TIMEOUT, 11 REQUEST_TIMEOUT, 12 CONNECTION_RESET, 13
 * EMPTY_RESPONSE, 14 PROTOCOL_ERROR, 15 IO_ERROR, 16 REDIRECT_LOOP, 17 TOO_MANY_REDIRECTS, 18
 * BAD_REDIRECT, 19 PARSE_ERROR, 20 ROBOTS_DISALLOWED, 21 TOO_LARGE, 22 UNSUPPORTED_CONTENT_TYPE, 23
 * ROBOTS_UNAVAILABLE, 24 HOST_UNRESPONSIVE, 25 RETRY_AFTER_TOO_LONG. A new reason takes the next
 * code.
 *
 * <h2>Size</h2>
 *
 * A snapshot holds 8 bytes per URL done plus the strings of the URLs still queued: about 8 bytes
 * per seen URL for a crawl that is mostly done (see docs/resume.md for the measurement). A journal
 * holds about {@code 15 + url length} bytes per accepted URL and 18 per URL done; it is folded into
 * a new snapshot each time a state directory is opened, when it reaches its rotation size, and when
 * a crawl ends.
 */
final class StateFormat {
  private StateFormat() {}

  /** The version this code writes and the only one it reads. */
  static final int VERSION = 1;

  static final int JOURNAL_MAGIC = 0x44434A4C;
  static final int SNAPSHOT_MAGIC = 0x4443534E;
  static final int HEADER_BYTES = 8;
  static final int RECORD_HEADER_BYTES = 8;
  static final int MAX_RECORD = 16 << 20;

  static final int ACCEPTED = 1;
  static final int DONE = 2;
  static final int RETRY = 3;
  static final int CONFIG = 16;
  static final int COUNTS = 17;
  static final int SEEN = 18;
  static final int QUEUED = 19;
  static final int END = 20;
  static final int ATTEMPTS = 21;

  static final int SEEN_BLOCK = 8192;

  /** Reason by code; the order of this array is the format, not the order of the enum. */
  private static final Reason[] REASONS = {
    Reason.OK,
    Reason.REDIRECT,
    Reason.NOT_FOUND,
    Reason.HTTP_CLIENT_ERROR,
    Reason.TOO_MANY_REQUESTS,
    Reason.HTTP_SERVER_ERROR,
    Reason.UNEXPECTED_STATUS,
    Reason.UNKNOWN_HOST,
    Reason.CONNECT_FAILED,
    Reason.CONNECT_TIMEOUT,
    Reason.READ_TIMEOUT,
    Reason.REQUEST_TIMEOUT,
    Reason.CONNECTION_RESET,
    Reason.EMPTY_RESPONSE,
    Reason.PROTOCOL_ERROR,
    Reason.IO_ERROR,
    Reason.REDIRECT_LOOP,
    Reason.TOO_MANY_REDIRECTS,
    Reason.BAD_REDIRECT,
    Reason.PARSE_ERROR,
    Reason.ROBOTS_DISALLOWED,
    Reason.TOO_LARGE,
    Reason.UNSUPPORTED_CONTENT_TYPE,
    // Codes only ever grow at the end, so a state written before a reason existed reads the same.
    Reason.ROBOTS_UNAVAILABLE,
    Reason.HOST_UNRESPONSIVE,
    Reason.RETRY_AFTER_TOO_LONG,
  };

  private static final Map<Reason, Integer> CODES = codes();

  private static Map<Reason, Integer> codes() {
    Map<Reason, Integer> codes = new EnumMap<>(Reason.class);
    for (int i = 0; i < REASONS.length; i++) {
      codes.put(REASONS[i], i);
    }
    if (codes.size() != Reason.values().length) {
      throw new ExceptionInInitializerError("StateFormat.REASONS misses a Reason");
    }
    return codes;
  }

  static int codeOf(Reason reason) {
    return CODES.get(reason);
  }

  static Optional<Reason> reasonOf(int code) {
    return code >= 0 && code < REASONS.length ? Optional.of(REASONS[code]) : Optional.empty();
  }

  static int reasonCount() {
    return REASONS.length;
  }

  static String snapshotName(long generation) {
    return String.format(java.util.Locale.ROOT, "snapshot-%08d.dcs", generation);
  }

  static String journalName(long generation) {
    return String.format(java.util.Locale.ROOT, "journal-%08d.dcj", generation);
  }
}
