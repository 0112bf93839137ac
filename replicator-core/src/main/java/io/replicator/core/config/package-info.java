/** The drbd.conf-style configuration language: lexer, parser, syntax tree and the resource model. */
package io.replicator.core.config;
