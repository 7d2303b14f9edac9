/** The appliance runtime. */
package io.mcpwarden.runtime;
