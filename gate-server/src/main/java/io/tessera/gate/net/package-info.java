/** The gate's network plumbing shared by its MySQL listener and its gRPC channels to tablets. */
package io.tessera.gate.net;
