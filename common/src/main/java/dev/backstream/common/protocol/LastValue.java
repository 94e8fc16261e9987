package dev.backstream.common.protocol;

import java.util.function.Function;

/**
 * The value of the last key asked, kept until another key is asked: a run's step frames all
 * carry one spec, so its JSON is written and parsed once per spec rather than once per step.
 * Thread-safe: the key and its value are replaced together.
 *
 * @param <K> the key, compared with {@code equals}
 * @param <V> what {@code compute} makes of it
 */
final class LastValue<K, V> {
  private record Entry<K, V>(K key, V value) {}

  private final Function<K, V> compute;
  private volatile Entry<K, V> last;

  /** @param compute makes the value of a key; what it throws reaches the caller of {@link #get} */
  LastValue(Function<K, V> compute) {
    this.compute = compute;
  }

  /** {@code compute(key)}, computed again only when {@code key} is not the last one asked. */
  V get(K key) {
    Entry<K, V> entry = last;
    if (entry == null || !entry.key().equals(key)) {
      entry = new Entry<>(key, compute.apply(key));
      last = entry;
    }
    return entry.value();
  }
}
