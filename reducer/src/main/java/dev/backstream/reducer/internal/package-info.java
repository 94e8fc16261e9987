/** A reducer's machinery: the subtree it follows, what it admits and adds, and its Kafka side. */
package dev.backstream.reducer.internal;
