/**
 * HAProxy's runtime API (the "CLI" on the stats socket) for Tidegate: the line protocol
 * ({@link CliConversation}), the commands and their levels ({@link CliCommands}) and the UNIX-domain
 * socket that serves them ({@link CliSocketServer}). Engine-free: every read and change goes through
 * a {@link RuntimeOperations}, which ejb-control implements on its one management service.
 */
package io.tidegate.cli;
