package dev.negbench.generate;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several replicas of one server (e.g. vLLM instances): each request goes to the endpoint with the
 * fewest requests outstanding, ties broken round-robin, as a least-outstanding-requests balancer.
 */
public final class EndpointPool {
  private final List<URI> endpoints;
  private final AtomicInteger[] outstanding;
  private final AtomicInteger next = new AtomicInteger();

  public EndpointPool(List<URI> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one --endpoint is required");
    }
    for (URI u : endpoints) {
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("--endpoint " + u + ": expected an http(s) URL such as http://127.0.0.1:8000/v1");
      }
    }
    this.endpoints = List.copyOf(endpoints);
    this.outstanding = new AtomicInteger[endpoints.size()];
    for (int i = 0; i < outstanding.length; i++) {
      outstanding[i] = new AtomicInteger();
    }
  }

  /** Picks an endpoint and counts the request against it; pair with {@link #release}. */
  public int acquire() {
    int n = outstanding.length;
    int offset = Math.floorMod(next.getAndIncrement(), n);
    int best = offset;
    for (int k = 1; k < n; k++) {
      int i = (offset + k) % n;
      if (outstanding[i].get() < outstanding[best].get()) {
        best = i;
      }
    }
    outstanding[best].incrementAndGet();
    return best;
  }

  public void release(int index) {
    outstanding[index].decrementAndGet();
  }

  public URI endpoint(int index) {
    return endpoints.get(index);
  }

  public int outstanding(int index) {
    return outstanding[index].get();
  }

  public List<URI> endpoints() {
    return endpoints;
  }
}
