/**
 * Small building blocks every module may use and that depend on no module: money in whole
 * XOF, the RFC 9457 problem edge, the read-through cache and health probes.
 */
package ci.monepiceriz.shared;
