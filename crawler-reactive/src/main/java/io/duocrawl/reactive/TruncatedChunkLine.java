package io.duocrawl.reactive;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;

/**
 * Lets Netty's HTTP decoder judge the last, unterminated line of a chunked body cut off by a close,
 * as {@link io.duocrawl.common.fetch.FetchPolicy} says every engine does: a malformed chunk-size
 * line is a protocol error even when the connection closes right after it.
 *
 * <p>Netty's decoder checks a chunk-size line only once its CRLF has arrived; a server that sends
 * garbage where a chunk size belongs and then closes (WireMock's {@code MALFORMED_RESPONSE_CHUNK})
 * therefore looks like a plain premature close, where OkHttp, which checks as it reads, reports a
 * protocol error. When the connection closes in the middle of a response body, this handler hands
 * the decoder a CRLF first, for a chunked body only: a malformed chunk-size line then fails to
 * decode (a protocol error), while a close in the middle of chunk data, of a valid chunk-size line
 * or of a sized body stays the premature close it is. Nothing changes outside a response body.
 *
 * <p>Two handlers around the codec share one flag, confined to the channel's event loop: the one
 * after the codec sees where bodies start and end, the one before it sees the close first.
 */
final class TruncatedChunkLine {
  static final String BEFORE_CODEC = "duocrawl.truncatedLine.raw";
  static final String AFTER_CODEC = "duocrawl.truncatedLine.messages";

  private boolean inBody;

  private TruncatedChunkLine() {}

  /** Adds the two handlers to a new HTTP/1.1 connection; does nothing without an HTTP codec. */
  static void install(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(BEFORE_CODEC) != null) {
      return;
    }
    TruncatedChunkLine state = new TruncatedChunkLine();
    pipeline.addBefore(NettyPipeline.HttpCodec, BEFORE_CODEC, state.new CloseWatcher());
    pipeline.addAfter(NettyPipeline.HttpCodec, AFTER_CODEC, state.new BodyWatcher());
  }

  private final class CloseWatcher extends ChannelInboundHandlerAdapter {
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (inBody) {
        inBody = false;
        ctx.fireChannelRead(Unpooled.wrappedBuffer(new byte[] {'\r', '\n'}));
      }
      super.channelInactive(ctx);
    }
  }

  private final class BodyWatcher extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof HttpResponse response && response.status().code() >= 200) {
        // Only a chunked body has lines to judge; a close-delimited body ends at the close with
        // exactly the bytes that came, and a sized body cut short is a premature close.
        inBody = HttpUtil.isTransferEncodingChunked(response);
      }
      if (msg instanceof LastHttpContent) {
        inBody = false;
      }
      super.channelRead(ctx, msg);
    }
  }
}
