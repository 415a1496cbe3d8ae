package io.duocrawl.reactive;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Drops interim responses (1xx other than 101, such as {@code 103 Early Hints}) before Reactor
 * Netty sees them, so the final response is the one the exchange reports, as {@link
 * io.duocrawl.common.fetch.FetchPolicy} says every engine does (OkHttp skips them by itself;
 * Reactor Netty would take a 103 for the final response). Confined to the channel's event loop.
 */
final class InterimResponses extends ChannelInboundHandlerAdapter {
  static final String NAME = "duocrawl.interimResponses";

  /** The empty last content the decoder emits after an interim head is dropped too. */
  private boolean dropping;

  private InterimResponses() {}

  /** Adds the handler after the HTTP codec; does nothing without one. */
  static void install(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(NAME) != null) {
      return;
    }
    pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new InterimResponses());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpResponse response) {
      int code = response.status().code();
      dropping = code >= 100 && code < 200 && code != 101;
    }
    if (dropping) {
      if (msg instanceof LastHttpContent) {
        dropping = false;
      }
      ReferenceCountUtil.release(msg);
      return;
    }
    super.channelRead(ctx, msg);
  }
}
