/**
 * Database plumbing every module shares: transactions that run to their end whatever
 * their caller does.
 */
package ci.monepiceriz.shared.persistence;
