/**
 * {@link dev.backstream.reducer.ReducerRuntime}: a process that adds up one fixed subtree of a
 * run's reduction tree, so that the coordinator takes one gradient frame for it a step.
 */
package dev.backstream.reducer;
