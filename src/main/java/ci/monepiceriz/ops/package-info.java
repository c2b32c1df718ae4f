/**
 * Operations: the health document of PRODUCT.md §11, database creation and migration at
 * start-up, and the guard that refuses production with development settings.
 */
package ci.monepiceriz.ops;
