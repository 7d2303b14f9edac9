package io.mcpwarden.policy.internal;

import io.mcpwarden.policy.Policy;
import io.mcpwarden.policy.PolicyConfig;
import io.mcpwarden.policy.PolicyService;
import io.mcpwarden.policy.RegistryCheck;
import io.mcpwarden.policy.RuleCheck;
import io.mcpwarden.policy.RuleError;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The policy service: a DS component inside the framework, a plain object outside it. */
@Component(service = PolicyService.class)
public final class PolicyServiceImpl implements PolicyService {

    @Activate
    public PolicyServiceImpl() {
        // stateless; Drools is loaded on the first compile
    }

    @Override
    public Policy open(PolicyConfig config) {
        return new PolicyImpl(config, PolicyImpl.DEFAULT_SCAN_MILLIS);
    }

    /** Opens with a given scan interval (tests, tools). */
    public Policy open(PolicyConfig config, long scanMillis) {
        return new PolicyImpl(config, scanMillis);
    }

    @Override
    public RuleCheck check(Path rulesDir) {
        if (rulesDir == null || !Files.isDirectory(rulesDir)) {
            return new RuleCheck(false, 0, "", List.of(new RuleError(String.valueOf(rulesDir), 0, 0,
                    "rules directory not found")));
        }
        try {
            CompiledRules c = PolicyImpl.compileDir(rulesDir);
            return new RuleCheck(c.ok(), c.rules(), c.hash(), c.errors());
        } catch (IOException e) {
            return new RuleCheck(false, 0, "", List.of(new RuleError(rulesDir.toString(), 0, 0, e.toString())));
        }
    }

    @Override
    public io.mcpwarden.policy.Registry readRegistry(Path registryFile) {
        String name = registryFile == null ? "" : String.valueOf(registryFile.getFileName());
        try {
            RegistryParser.Parsed p = RegistryParser.parse(name, Files.readAllBytes(registryFile));
            return p.check().ok() ? p.registry() : RegistryImpl.EMPTY;
        } catch (IOException | RuntimeException e) {
            return RegistryImpl.EMPTY;
        }
    }

    @Override
    public RegistryCheck checkRegistry(Path registryFile) {
        String name = registryFile == null ? "" : String.valueOf(registryFile.getFileName());
        try {
            return RegistryParser.parse(name, Files.readAllBytes(registryFile)).check();
        } catch (IOException | RuntimeException e) {
            return new RegistryCheck(false, List.of(), "", List.of(new RuleError(name, 0, 0,
                    "cannot read registry: " + e)));
        }
    }
}
