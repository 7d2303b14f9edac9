/**
 * The warden command line: a Declarative Services component that runs one command (inspect, run, demo,
 * version) inside the framework, then stops it. Private to this bundle.
 */
package io.mcpwarden.runtime;
