/**
 * Small building blocks every module may use and that depend on no module: money in whole
 * XOF, the RFC 9457 problem edge, the read-through cache and health probes, and what the
 * provider adapters share (a circuit breaker, base-URL settings, JSON answers).
 */
package ci.monepiceriz.shared;
