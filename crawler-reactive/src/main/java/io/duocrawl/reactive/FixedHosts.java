package io.duocrawl.reactive;

import io.duocrawl.common.fetch.FetchPolicy;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The {@link FetchPolicy#hosts()} hook for Reactor Netty: names the policy fixes resolve to their
 * address at once, every other name goes to the client's own resolver.
 */
final class FixedHosts extends AddressResolverGroup<InetSocketAddress> {
  private final FetchPolicy policy;
  private final AddressResolverGroup<?> fallback;

  FixedHosts(FetchPolicy policy, AddressResolverGroup<?> fallback) {
    this.policy = policy;
    this.fallback = fallback;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    @SuppressWarnings("unchecked")
    AddressResolver<SocketAddress> other =
        (AddressResolver<SocketAddress>) fallback.getResolver(executor);
    return new AbstractAddressResolver<>(executor, InetSocketAddress.class) {
      @Override
      protected boolean doIsResolved(InetSocketAddress address) {
        return !address.isUnresolved();
      }

      @Override
      protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
        Optional<InetAddress> fixed = policy.fixedAddress(address.getHostString());
        if (fixed.isPresent()) {
          promise.setSuccess(fixedAddress(fixed.get(), address));
          return;
        }
        other
            .resolve(address)
            .addListener(
                (Future<SocketAddress> f) -> {
                  if (f.isSuccess()) {
                    promise.setSuccess((InetSocketAddress) f.getNow());
                  } else {
                    promise.setFailure(f.cause());
                  }
                });
      }

      @Override
      protected void doResolveAll(
          InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
        Optional<InetAddress> fixed = policy.fixedAddress(address.getHostString());
        if (fixed.isPresent()) {
          promise.setSuccess(List.of(fixedAddress(fixed.get(), address)));
          return;
        }
        other
            .resolveAll(address)
            .addListener(
                (Future<List<SocketAddress>> f) -> {
                  if (f.isSuccess()) {
                    promise.setSuccess(
                        f.getNow().stream().map(a -> (InetSocketAddress) a).toList());
                  } else {
                    promise.setFailure(f.cause());
                  }
                });
      }
    };
  }

  private static InetSocketAddress fixedAddress(InetAddress fixed, InetSocketAddress unresolved) {
    // Keep the name beside the address, so the Host header and TLS SNI still say the name.
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(unresolved.getHostString(), fixed.getAddress()),
          unresolved.getPort());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("a fixed address has a valid length", e);
    }
  }
}
