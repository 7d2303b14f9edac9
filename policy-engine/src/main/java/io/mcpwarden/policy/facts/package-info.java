/**
 * Facts the policy engine computes for rules ({@link io.mcpwarden.policy.facts.Subject}) and the verdict rules
 * insert ({@link io.mcpwarden.policy.facts.Verdict}). Rules also see the event records of {@code io.mcpwarden.model}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.mcpwarden.policy.facts;
