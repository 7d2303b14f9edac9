/**
 * MCP fingerprinting primitives: a bounded JSON-RPC 2.0 reader that extracts only what MCP recognition
 * needs, and the semantic tests that tell an MCP handshake from other JSON-RPC (LSP, Ethereum, A2A).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.mcp;
